import BranchTree

extension Scenario {
    /// The values a scenario's parameters may take, shared by the command-line options and
    /// the scenario file so that both accept exactly the same scenarios.
    ///
    ///     Scenario.Limits.duration.contains(3_600)    // true
    ///
    /// Lower bounds that are "positive" in ``Scenario/validate()`` are a small positive
    /// number here, so that a message can say what is allowed; upper bounds keep
    /// arithmetic on them finite (a year of simulated time, a day for any wait).
    package enum Limits {
        /// Simulated seconds: a second to a year.
        package static let duration: ClosedRange<Double> = 1...31_536_000
        package static let audience: ClosedRange<Int> = 0...50_000_000
        /// Arrivals per second.
        package static let arrivalRate: ClosedRange<Double> = 0.000_001...10_000_000
        /// When a rate change takes effect, seconds (after the start).
        package static let rateChangeTime: ClosedRange<Double> = 0.001...31_536_000
        /// The rate after a change; zero pauses arrivals.
        package static let rateChangeRate: ClosedRange<Double> = 0...10_000_000
        package static let flashCrowdMultiplier: ClosedRange<Double> = 0.01...1_000
        /// Seconds.
        package static let flashCrowdDuration: ClosedRange<Double> = 0.001...31_536_000
        package static let lognormalMu: ClosedRange<Double> = -20...20
        package static let lognormalSigma: ClosedRange<Double> = 0.01...10
        /// Seconds: the exponential's mean and the Pareto scale.
        package static let sessionSeconds: ClosedRange<Double> = 0.001...31_536_000
        package static let paretoShape: ClosedRange<Double> = 0.01...100
        /// An uplink class's share of viewers.
        package static let uplinkShare: ClosedRange<Double> = 0...1
        /// An uplink class's relay capacity, children (0: does not relay).
        package static let uplinkCapacity: ClosedRange<Int> = 0...BranchTree.Configuration.fanoutRange.upperBound
        package static let fanout = BranchTree.Configuration.fanoutRange
        package static let abruptShare: ClosedRange<Double> = 0...1
        package static let connectionFailureRate: ClosedRange<Double> = 0...0.49
        /// Either end of a delay range (detection, latency, set-up), seconds.
        package static let delaySeconds: ClosedRange<Double> = 0...3_600
        /// A restart's time, seconds; it must also fall within the duration.
        package static let restartTime: ClosedRange<Double> = 0...31_536_000
        /// Downtime, persist interval and the protocol's waits, seconds.
        package static let waitSeconds: ClosedRange<Double> = 0.001...86_400
    }
}

extension ClosedRange where Bound == Double {
    /// `0.000001...86400`: the bounds as a person writes them (no `.0` on whole numbers,
    /// no exponent on small ones).
    var limitDescription: String {
        "\(NumberFormat.plain(lowerBound))...\(NumberFormat.plain(upperBound))"
    }
}

extension Scenario {
    /// `seconds` as a duration of whole nanoseconds (the simulator's resolution), so that
    /// it prints back as the same decimal (``NumberFormat/seconds(_:)``).
    ///
    /// - Precondition: `seconds` is finite and within ±9.2 · 10⁹ (checked by the limits).
    /// - Complexity: O(1)
    package static func duration(seconds: Double) -> Duration {
        .nanoseconds(Int64((seconds * 1e9).rounded()))
    }
}
