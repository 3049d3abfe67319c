import BranchTree

/// The text forms of the structured scenario options, read strictly: no spaces, no
/// trailing garbage, every number finite and within ``Scenario/Limits``. Each reader
/// returns nil for text it does not accept; the option's ``ValueParser`` says what it
/// expected.
///
///     ScenarioSyntax.secondsRange("0.05...0.1", in: 0...3_600)   // 0.05...0.1
///     ScenarioSyntax.sessionLengths("exponential:506")           // .exponential(mean: 506)
///     ScenarioSyntax.uplinkClasses("fibre:0.7,mobile:0.3:0")     // two classes
package enum ScenarioSyntax {
    /// An uplink class as given on the command line, before the fan-out and the stream
    /// bitrate turn an uplink rate into a capacity.
    package struct UplinkSpec: Sendable, Hashable {
        package enum Capacity: Sendable, Hashable {
            /// Relays to the full fan-out.
            case fanout
            /// Relays to at most this many children; 0 does not relay.
            case children(Int)
            /// Relays as many streams as the uplink carries.
            case uplink(Bitrate)
        }

        package var name: String
        package var share: Double
        package var capacity: Capacity

        /// The class this spec describes; one given by an uplink rate relays as many
        /// children as `relayCapacity` says its rate carries.
        package func uplinkClass<Failure: Error>(
            relayCapacity: (Bitrate) throws(Failure) -> Int
        ) throws(Failure) -> UplinkClass {
            let children: Int
            switch capacity {
            case .fanout: return UplinkClass(name: name, share: share)
            case .children(let count): children = count
            case .uplink(let rate): children = try relayCapacity(rate)
            }
            return UplinkClass(name: name, share: share, relayable: children > 0, capacity: children)
        }
    }

    /// Bits per second.
    package struct Bitrate: Sendable, Hashable {
        package var bitsPerSecond: Double
    }

    /// A finite number within `range`.
    static func number(_ text: some StringProtocol, in range: ClosedRange<Double>) -> Double? {
        guard !text.isEmpty, !text.hasPrefix("+"), let value = Double(text), value.isFinite, range.contains(value)
        else { return nil }
        return value
    }

    /// A decimal integer within `range`.
    static func integer(_ text: some StringProtocol, in range: ClosedRange<Int>) -> Int? {
        guard !text.hasPrefix("+"), let value = Int(text), range.contains(value) else { return nil }
        return value
    }

    /// `LOW...HIGH` with LOW ≤ HIGH, or one number (a range of one value).
    static func secondsRange(_ text: String, in limits: ClosedRange<Double>) -> ClosedRange<Double>? {
        let ends = text.split(separator: "...", maxSplits: 1, omittingEmptySubsequences: false)
        guard let low = number(ends[0], in: limits) else { return nil }
        guard ends.count == 2 else { return low...low }
        guard let high = number(ends[1], in: limits), low <= high else { return nil }
        return low...high
    }

    /// `lognormal:MU,SIGMA`, `exponential:MEAN` or `pareto:SHAPE,SCALE`.
    static func sessionLengths(_ text: String) -> SessionLengthDistribution? {
        let limits = Scenario.Limits.self
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let parameters = parts[1].split(separator: ",", omittingEmptySubsequences: false)
        switch (parts[0], parameters.count) {
        case ("lognormal", 2):
            guard let mu = number(parameters[0], in: limits.lognormalMu),
                let sigma = number(parameters[1], in: limits.lognormalSigma)
            else { return nil }
            return .lognormal(mu: mu, sigma: sigma)
        case ("exponential", 1):
            return number(parameters[0], in: limits.sessionSeconds).map { .exponential(mean: $0) }
        case ("pareto", 2):
            guard let shape = number(parameters[0], in: limits.paretoShape),
                let scale = number(parameters[1], in: limits.sessionSeconds)
            else { return nil }
            return .pareto(shape: shape, scale: scale)
        default:
            return nil
        }
    }

    /// `NAME:SHARE[:CAPACITY],…`; CAPACITY is children or an uplink rate.
    static func uplinkClasses(_ text: String) -> [UplinkSpec]? {
        text.commaSeparated { part in
            let fields = part.split(separator: ":", omittingEmptySubsequences: false)
            guard (2...3).contains(fields.count), !fields[0].isEmpty,
                let share = number(fields[1], in: Scenario.Limits.uplinkShare)
            else { return nil }
            var capacity = UplinkSpec.Capacity.fanout
            if fields.count == 3 {
                if let children = integer(fields[2], in: Scenario.Limits.uplinkCapacity) {
                    capacity = .children(children)
                } else if let rate = bitrate(fields[2]), fields[2].last?.isLetter == true {
                    // A rate needs its unit, so that a mistyped capacity is not read as bits.
                    capacity = .uplink(rate)
                } else {
                    return nil
                }
            }
            return UplinkSpec(name: String(fields[0]), share: share, capacity: capacity)
        }
    }

    /// `SECONDS:RATE,…`, or `none`.
    static func rateChanges(_ text: String) -> [Scenario.RateChange]? {
        guard text != "none" else { return [] }
        return text.commaSeparated { part in
            let fields = part.split(separator: ":", omittingEmptySubsequences: false)
            guard fields.count == 2, let at = number(fields[0], in: Scenario.Limits.rateChangeTime),
                let rate = number(fields[1], in: Scenario.Limits.rateChangeRate)
            else { return nil }
            return Scenario.RateChange(at: at, rate: rate)
        }
    }

    /// `MULTIPLIER:SECONDS`, or `none`. The outer optional is the reading; the inner one
    /// the value (`none` reads as `.some(nil)`).
    static func flashCrowd(_ text: String) -> ArrivalProcess.FlashCrowd?? {
        guard text != "none" else { return .some(nil) }
        let fields = text.split(separator: ":", omittingEmptySubsequences: false)
        guard fields.count == 2, let multiplier = number(fields[0], in: Scenario.Limits.flashCrowdMultiplier),
            let seconds = number(fields[1], in: Scenario.Limits.flashCrowdDuration)
        else { return nil }
        return .some(ArrivalProcess.FlashCrowd(multiplier: multiplier, duration: Scenario.duration(seconds: seconds)))
    }

    /// A number of bits per second with an optional unit: `bps`, `kbps`, `Mbps`, `Gbps`
    /// (decimal: 1 kbps = 1,000 bit/s).
    static func bitrate(_ text: some StringProtocol) -> Bitrate? {
        let units: [(suffix: String, scale: Double)] = [("Gbps", 1e9), ("Mbps", 1e6), ("kbps", 1e3), ("bps", 1)]
        var digits = Substring(text)
        var scale = 1.0
        if let unit = units.first(where: { text.hasSuffix($0.suffix) }) {
            digits = digits.dropLast(unit.suffix.count)
            scale = unit.scale
        }
        guard let value = number(digits, in: 0...1e15) else { return nil }
        return Bitrate(bitsPerSecond: value * scale)
    }
}
