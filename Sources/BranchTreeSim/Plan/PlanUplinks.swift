import BranchTree

/// The viewers' uplinks as `plan` sees them: each class's share and how many copies of
/// the stream its uplink carries with headroom to spare.
///
///     let uplinks = try PlanUplinks(
///         ScenarioSyntax.uplinkClasses("low:0.25:1Mbps,mid:0.45:5Mbps,high:0.3:20Mbps")!,
///         streamBitsPerSecond: 2_500_000, headroom: 0.8)
///     uplinks.capacities          // [0, 1, 6]: ⌊1 × 0.8 ÷ 2.5⌋, ⌊5 × 0.8 ÷ 2.5⌋, ⌊20 × 0.8 ÷ 2.5⌋
///     uplinks.relayingShare       // 0.75
///     uplinks.classes.meanCapacity(fanout: 4)   // 0.45 × 1 + 0.3 × 4 = 1.65
///
/// A class given by its uplink rate relays ⌊rate × headroom ÷ stream bitrate⌋ children
/// (``UplinkClasses/relayCapacity(uplinkBitsPerSecond:streamBitsPerSecond:fanout:)``); one
/// given by a number of children relays that many; one given without a capacity relays
/// to the full fan-out. Every capacity is capped by the tree's fan-out when viewers join.
package struct PlanUplinks: Sendable, Hashable {
    /// The classes, their capacities as computed (at most the largest fan-out).
    package let classes: UplinkClasses
    /// What each class was given as, in order: its uplink rate in bits per second, or nil
    /// when it was given as a number of children (or the fan-out).
    package let uplinkBitsPerSecond: [Double?]

    /// - Throws: ``WorkloadError`` when the shares do not form a distribution, a name
    ///   repeats, or the bitrate or headroom is not positive and finite.
    /// - Complexity: O(classes²)
    package init(
        _ specs: [ScenarioSyntax.UplinkSpec], streamBitsPerSecond: Double, headroom: Double
    ) throws(WorkloadError) {
        try WorkloadError.requirePositive(headroom, "headroom")
        let widest = BranchTree.Configuration.fanoutRange.upperBound
        var classes: [UplinkClass] = []
        for spec in specs {
            classes.append(
                try spec.uplinkClass { (rate) throws(WorkloadError) in
                    try UplinkClasses.relayCapacity(
                        uplinkBitsPerSecond: rate.bitsPerSecond * headroom, streamBitsPerSecond: streamBitsPerSecond,
                        fanout: widest)
                })
        }
        self.classes = try UplinkClasses(classes)
        self.uplinkBitsPerSecond = specs.map { spec in
            if case .uplink(let rate) = spec.capacity { rate.bitsPerSecond } else { nil }
        }
    }

    /// Each class's relay capacity, in order (the largest fan-out for "the fan-out").
    package var capacities: [Int] {
        classes.classes.map { $0.relayable ? $0.capacity ?? BranchTree.Configuration.fanoutRange.upperBound : 0 }
    }

    /// The share of viewers that can relay at all.
    package var relayingShare: Double {
        zip(classes.classes, capacities).reduce(0) { $0 + ($1.1 > 0 ? $1.0.share : 0) }
    }

    /// The most children any viewer (of a class with a share) can feed: fan-outs above it
    /// build the same tree as it does.
    package var maxCapacity: Int {
        zip(classes.classes, capacities).filter { $0.0.share > 0 }.map(\.1).max() ?? 0
    }

    /// Whether viewers bring enough relay slots for an audience of `audience` with a
    /// broadcaster that feeds `broadcasterFanout`: every viewer but the first ones needs a
    /// slot, so the mean capacity must reach 1 − broadcasterFanout ÷ audience.
    ///
    /// - Complexity: O(classes)
    package func canCarry(audience: Int, fanout: Int, broadcasterFanout: Int) -> Bool {
        guard audience > broadcasterFanout else { return true }
        return classes.meanCapacity(fanout: fanout) * Double(audience) + Double(broadcasterFanout)
            >= Double(audience) - 1e-9
    }
}
