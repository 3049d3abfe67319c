import BranchTree

/// What kind of `TreeOperation` sequences ``operations(seed:)`` generates:
/// their length, the audience they drift towards, and the share of every unusual
/// operation a tree must tolerate.
///
///     let profile = try OperationProfile.mixed(fanout: 3, policy: .rejoin)
///     let operations = profile.operations(seed: 42)   // the same for seed 42, always
public struct OperationProfile: Sendable, Hashable, CustomStringConvertible {
    /// The tree the operations are meant for.
    public var configuration: BranchTree.Configuration
    /// Sequence lengths, drawn per seed.
    public var length: ClosedRange<Int>
    /// The audience size each sequence drifts towards is drawn from `1...maxAudience`.
    public var maxAudience: Int
    /// Share of joins that are not relayable (capacity 0).
    public var nonRelayable: Double
    /// Share of joins with a capacity between 1 and the fan-out − 1.
    public var lowCapacity: Double
    /// Share of operations that leave an id that is not in the tree.
    public var absentLeaves: Double
    /// Share of operations that join an id already in the tree.
    public var duplicateJoins: Double
    /// Share of new joins that reuse the id of a viewer that left.
    public var returningViewers: Double

    /// A profile for trees of `configuration`; by default only relayable, full-capacity
    /// joins of new ids and leaves of present ones.
    public init(
        configuration: BranchTree.Configuration, length: ClosedRange<Int> = 30...80, maxAudience: Int = 30,
        nonRelayable: Double = 0, lowCapacity: Double = 0, absentLeaves: Double = 0, duplicateJoins: Double = 0,
        returningViewers: Double = 0
    ) {
        self.configuration = configuration
        self.length = length
        self.maxAudience = maxAudience
        self.nonRelayable = nonRelayable
        self.lowCapacity = lowCapacity
        self.absentLeaves = absentLeaves
        self.duplicateJoins = duplicateJoins
        self.returningViewers = returningViewers
    }

    /// A profile for trees of `fanout`, `broadcasterFanout` and `policy`.
    ///
    /// - Throws: `BranchTreeError.invalidConfiguration(_:)` for a fan-out outside
    ///   `BranchTree.Configuration.fanoutRange`.
    public init(
        fanout: Int, broadcasterFanout: Int = 1, policy: Policy = .skyway, length: ClosedRange<Int> = 30...80,
        maxAudience: Int = 30, nonRelayable: Double = 0, lowCapacity: Double = 0, absentLeaves: Double = 0,
        duplicateJoins: Double = 0, returningViewers: Double = 0
    ) throws(BranchTreeError) {
        self.init(
            configuration: try BranchTree.Configuration(
                fanout: fanout, broadcasterFanout: broadcasterFanout, policy: policy),
            length: length, maxAudience: maxAudience, nonRelayable: nonRelayable, lowCapacity: lowCapacity,
            absentLeaves: absentLeaves, duplicateJoins: duplicateJoins, returningViewers: returningViewers)
    }

    /// Everything a tree must tolerate, mixed: joins that cannot relay or relay to
    /// fewer, leaves of absent ids, repeated joins, returning viewers.
    ///
    /// - Throws: `BranchTreeError.invalidConfiguration(_:)` for a fan-out outside
    ///   `BranchTree.Configuration.fanoutRange`.
    public static func mixed(fanout: Int, policy: Policy) throws(BranchTreeError) -> OperationProfile {
        var profile = try OperationProfile(fanout: fanout, policy: policy)
        profile.nonRelayable = 0.15
        profile.lowCapacity = 0.15
        profile.absentLeaves = 0.08
        profile.duplicateJoins = 0.08
        profile.returningViewers = 0.1
        return profile
    }

    /// The tree's fan-out.
    public var fanout: Int { configuration.fanout }

    /// Only relayable, full-capacity joins of new ids and leaves of present ones.
    public var isPlain: Bool {
        nonRelayable == 0 && lowCapacity == 0 && absentLeaves == 0 && duplicateJoins == 0
    }

    /// The fan-outs and policy, and whether the operations are plain or mixed, such as
    /// `fanout 3/1 rejoin mixed`.
    public var description: String {
        "fanout \(fanout)/\(configuration.broadcasterFanout) \(configuration.policy)\(isPlain ? " plain" : " mixed")"
    }
}
