import BranchTree

/// How viewers spread over uplink classes, and the draw of a joining viewer's class.
///
///     let uplinks = try UplinkClasses([
///         UplinkClass(name: "fibre", share: 0.5),
///         UplinkClass(name: "dsl", share: 0.3, capacity: 1),
///         UplinkClass(name: "mobile", share: 0.2, relayable: false),
///     ])
///     var random = Xoshiro256StarStar(seed: 3)
///     let joiner = uplinks.sample(using: &random)
///     let (relayable, capacity) = joiner.joinArguments(fanout: 4)
///
/// ``relayCapacity(uplinkBitsPerSecond:streamBitsPerSecond:fanout:)`` turns a measured
/// uplink into a capacity.
package struct UplinkClasses: Sendable, Hashable {
    /// The classes, in the order given (the order draws are mapped in).
    package let classes: [UplinkClass]
    /// `cumulativeShares[i]` = the shares of classes `0...i`; 1 from the last class with a
    /// share on.
    private let cumulativeShares: [Double]

    /// The tolerance on the sum of the shares.
    package static let shareTolerance = 1e-6

    /// Makes a distribution, checking it.
    ///
    /// - Throws: ``WorkloadError`` when there is no class, a name is empty or repeated, a
    ///   share is negative or not finite, the shares do not add up to 1 (within ``shareTolerance``),
    ///   or a capacity contradicts `relayable`.
    /// - Complexity: O(number of classes²) for the name check; there are a handful.
    package init(_ classes: [UplinkClass]) throws(WorkloadError) {
        guard !classes.isEmpty else {
            throw WorkloadError(parameter: "uplink classes", problem: "must not be empty")
        }
        var total = 0.0
        var cumulative: [Double] = []
        for (index, uplinkClass) in classes.enumerated() {
            try uplinkClass.validate(position: index + 1)
            if classes[..<index].contains(where: { $0.name == uplinkClass.name }) {
                throw WorkloadError(
                    parameter: "uplink class names", problem: "must be unique, \"\(uplinkClass.name)\" repeats")
            }
            total += uplinkClass.share
            cumulative.append(total)
        }
        guard abs(total - 1) <= Self.shareTolerance else {
            // Rounded to 10⁻⁹ so that 0.6 + 0.3 reads 0.9.
            let shown = (total * 1e9).rounded() / 1e9
            throw WorkloadError(parameter: "uplink class shares", problem: "must add up to 1, got \(shown)")
        }
        // Absorb rounding into the last class that can be drawn, so that a draw never lands
        // past it (on a zero-share class at the end, or nowhere).
        if let lastDrawn = classes.lastIndex(where: { $0.share > 0 }) {
            for index in lastDrawn..<cumulative.count { cumulative[index] = 1 }
        }
        self.classes = classes
        self.cumulativeShares = cumulative
    }

    /// Every viewer relays to the full fan-out: the seed's assumption and BranchTree's
    /// default join.
    // Source: the workload studies give no uplink mix; this is the seed's behaviour (every
    // viewer relays to N children) and BranchTree's join default.
    package static let `default` = try! UplinkClasses([UplinkClass(name: "relay", share: 1)])

    /// The index in ``classes`` of a joining viewer's class. One draw.
    ///
    /// - Complexity: O(number of classes)
    package func sampleIndex(using random: inout Xoshiro256StarStar) -> Int {
        let u = random.nextUnitDouble()
        // Never nil: the last drawable class has cumulative share 1 > u.
        return cumulativeShares.firstIndex(where: { u < $0 })!
    }

    /// A joining viewer's class. One draw.
    ///
    /// - Complexity: O(number of classes)
    package func sample(using random: inout Xoshiro256StarStar) -> UplinkClass {
        classes[sampleIndex(using: &random)]
    }

    /// The mean number of children a viewer can feed in a tree with `fanout`: the relay
    /// slots the audience brings per viewer. Below 1 the audience cannot carry itself.
    ///
    /// - Complexity: O(number of classes)
    package func meanCapacity(fanout: Int) -> Double {
        classes.reduce(0) { sum, uplinkClass in
            let (relayable, capacity) = uplinkClass.joinArguments(fanout: fanout)
            return sum + uplinkClass.share * Double(relayable ? capacity ?? fanout : 0)
        }
    }

    /// How many children a viewer with `uplinkBitsPerSecond` can feed a stream of
    /// `streamBitsPerSecond`: ⌊uplink / bitrate⌋, capped at `fanout`; 0 means it cannot
    /// relay.
    ///
    ///     try UplinkClasses.relayCapacity(uplinkBitsPerSecond: 10e6, streamBitsPerSecond: 2.5e6, fanout: 3)  // 3
    ///     try UplinkClasses.relayCapacity(uplinkBitsPerSecond: 0.3, streamBitsPerSecond: 0.1, fanout: 8)    // 3
    ///
    /// A ratio less than 10⁻⁹ short of a whole number counts as that number, so that
    /// decimal inputs such as 0.3 / 0.1 give 3, not 2.
    ///
    /// - Throws: ``WorkloadError`` unless the uplink is zero or positive and finite, the
    ///   bitrate positive and finite, and the fan-out in
    ///   `BranchTree.Configuration.fanoutRange`.
    /// - Complexity: O(1)
    package static func relayCapacity(uplinkBitsPerSecond: Double, streamBitsPerSecond: Double, fanout: Int)
        throws(WorkloadError) -> Int
    {
        guard uplinkBitsPerSecond.isFinite, uplinkBitsPerSecond >= 0 else {
            throw WorkloadError(
                parameter: "uplink", problem: "must be zero or positive and finite, got \(uplinkBitsPerSecond)")
        }
        try WorkloadError.requirePositive(streamBitsPerSecond, "stream bitrate")
        guard BranchTree.Configuration.fanoutRange.contains(fanout) else {
            throw WorkloadError(
                parameter: "fan-out", problem: "must be in \(BranchTree.Configuration.fanoutRange), got \(fanout)")
        }
        let streams = (uplinkBitsPerSecond / streamBitsPerSecond + 1e-9).rounded(.down)
        return Int(min(streams, Double(fanout)))
    }
}

extension UplinkClasses: Codable {
    /// Decodes an array of ``UplinkClass`` and validates it.
    ///
    /// - Throws: `DecodingError.dataCorrupted` with the ``WorkloadError`` as its underlying
    ///   error when the classes do not form a distribution.
    package init(from decoder: any Decoder) throws {
        let classes = try [UplinkClass](from: decoder)
        do {
            try self.init(classes)
        } catch {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath, debugDescription: error.description, underlyingError: error))
        }
    }

    /// Encodes ``classes`` as an array.
    package func encode(to encoder: any Encoder) throws {
        try classes.encode(to: encoder)
    }
}
