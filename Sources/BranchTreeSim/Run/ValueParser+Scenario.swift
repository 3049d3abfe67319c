import BranchTree

// Readers for the scenario options whose values have structure: ranges, distributions,
// uplink classes, rate changes. Each accepts exactly the values ``Scenario/Limits`` allows,
// so an option and a scenario file agree on what is valid.

extension ValueParser where Value == Double {
    /// A finite number within `range`, said with the range as a person writes it.
    static func decimal(in range: ClosedRange<Double>) -> ValueParser<Double> {
        ValueParser(expectation: "a number in \(range.limitDescription)") { text in
            ScenarioSyntax.number(text, in: range)
        }
    }
}

extension ValueParser where Value == ClosedRange<Double> {
    /// Seconds as `LOW...HIGH` (uniform between them) or one number (always that).
    static func secondsRange(in limits: ClosedRange<Double>) -> ValueParser<ClosedRange<Double>> {
        ValueParser(
            expectation: "seconds as LOW...HIGH (e.g. 0.05...0.1) or one number, within \(limits.limitDescription)"
        ) { text in
            ScenarioSyntax.secondsRange(text, in: limits)
        }
    }
}

extension ValueParser where Value == SessionLengthDistribution {
    /// `lognormal:MU,SIGMA`, `exponential:MEAN` or `pareto:SHAPE,SCALE` (seconds).
    static var sessionLengths: ValueParser<SessionLengthDistribution> {
        let limits = Scenario.Limits.self
        return ValueParser(
            expectation: "lognormal:MU,SIGMA (MU in \(limits.lognormalMu.limitDescription), SIGMA in "
                + "\(limits.lognormalSigma.limitDescription)), exponential:MEAN or pareto:SHAPE,SCALE "
                + "(MEAN and SCALE seconds in \(limits.sessionSeconds.limitDescription), SHAPE in "
                + "\(limits.paretoShape.limitDescription))",
            convert: ScenarioSyntax.sessionLengths)
    }
}

extension ValueParser where Value == [ScenarioSyntax.UplinkSpec] {
    /// `NAME:SHARE[:CAPACITY],…` with CAPACITY children (0: no relay) or an uplink rate
    /// such as `10Mbps`.
    static var uplinkClasses: ValueParser<[ScenarioSyntax.UplinkSpec]> {
        ValueParser(
            expectation: "a comma-separated list of NAME:SHARE[:CAPACITY], SHARE in 0...1, CAPACITY children "
                + "in \(Scenario.Limits.uplinkCapacity) (0: does not relay; absent: the fan-out) or an uplink "
                + "rate such as 10Mbps",
            convert: ScenarioSyntax.uplinkClasses)
    }
}

extension ValueParser where Value == [Scenario.RateChange] {
    /// `SECONDS:RATE,…`, or `none`.
    static var rateChanges: ValueParser<[Scenario.RateChange]> {
        let limits = Scenario.Limits.self
        return ValueParser(
            expectation: "a comma-separated list of SECONDS:RATE (SECONDS in "
                + "\(limits.rateChangeTime.limitDescription), RATE arrivals per second in "
                + "\(limits.rateChangeRate.limitDescription)), or none",
            convert: ScenarioSyntax.rateChanges)
    }
}

extension ValueParser where Value == ArrivalProcess.FlashCrowd? {
    /// `MULTIPLIER:SECONDS`, or `none`.
    static var flashCrowd: ValueParser<ArrivalProcess.FlashCrowd?> {
        let limits = Scenario.Limits.self
        return ValueParser(
            expectation: "MULTIPLIER:SECONDS (MULTIPLIER in \(limits.flashCrowdMultiplier.limitDescription), "
                + "SECONDS in \(limits.flashCrowdDuration.limitDescription)), or none",
            convert: ScenarioSyntax.flashCrowd)
    }
}

extension ValueParser where Value == [Double] {
    /// `SECONDS,…`, or `none` for the empty list.
    static func timesOrNone(in range: ClosedRange<Double>) -> ValueParser<[Double]> {
        ValueParser(expectation: "a comma-separated list of seconds in \(range.limitDescription), or none") { text in
            text == "none" ? [] : text.commaSeparated { ScenarioSyntax.number($0, in: range) }
        }
    }
}

extension ValueParser where Value == ScenarioSyntax.Bitrate {
    /// Bits per second: a number with an optional `bps`, `kbps`, `Mbps` or `Gbps`.
    static var bitrate: ValueParser<ScenarioSyntax.Bitrate> {
        ValueParser(expectation: "a positive bitrate such as 2500000, 2500kbps or 2.5Mbps") { text in
            ScenarioSyntax.bitrate(text).flatMap { $0.bitsPerSecond > 0 ? $0 : nil }
        }
    }
}
