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
        "\(Self.plain(lowerBound))...\(Self.plain(upperBound))"
    }

    /// ``Scenario/numberText(_:)`` with a negative exponent written out: `1e-06` → `0.000001`.
    private static func plain(_ value: Double) -> String {
        let text = Scenario.numberText(value)
        guard let e = text.firstIndex(of: "e"), let exponent = Int(text[text.index(after: e)...]), exponent < 0
        else { return text }
        let mantissa = text[..<e]
        let sign = mantissa.hasPrefix("-") ? "-" : ""
        let digits = mantissa.filter(\.isNumber)
        // The mantissa has one digit before its point: 1.5e-3 is 0.0015.
        return sign + "0." + String(repeating: "0", count: -exponent - 1) + digits
    }
}

extension Scenario {
    /// `value` as the shortest text that reads back to it: `3600`, `0.05`, `1e-06`;
    /// whole numbers below 10¹⁵ without a fraction. Valid JSON for finite values.
    ///
    /// - Complexity: O(1)
    package static func numberText(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(describing: value)
    }
}

extension Scenario {
    /// `seconds` as a duration of whole nanoseconds (the simulator's resolution), so that
    /// it prints back as the same decimal (``secondsText(_:)``).
    ///
    /// - Precondition: `seconds` is finite and within ±9.2 · 10⁹ (checked by the limits).
    /// - Complexity: O(1)
    package static func duration(seconds: Double) -> Duration {
        .nanoseconds(Int64((seconds * 1e9).rounded()))
    }

    /// `duration` in seconds as exact decimal text: `3`, `0.25`, `0.000000001`.
    ///
    /// - Complexity: O(1)
    package static func secondsText(_ duration: Duration) -> String {
        let nanoseconds = duration.nanosecondsClamped
        let sign = nanoseconds < 0 ? "-" : ""
        let magnitude = nanoseconds.magnitude
        let whole = magnitude / 1_000_000_000
        let fraction = magnitude % 1_000_000_000
        guard fraction > 0 else { return sign + String(whole) }
        var digits = String(fraction)
        digits = String(repeating: "0", count: 9 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return sign + String(whole) + "." + digits
    }
}
