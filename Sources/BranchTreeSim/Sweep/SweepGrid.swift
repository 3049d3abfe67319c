import BranchTree

/// The axes of a sweep and their expansion into points, in grid order.
///
///     let grid = SweepGrid(fanouts: [2, 3], audiences: [1_000], policies: [.skyway, .rejoin], churns: [1])
///     grid.points(base: Scenario()).map { ($0.scenario.fanout, $0.scenario.policy) }
///     // (2, skyway), (2, rejoin), (3, skyway), (3, rejoin)
///
/// Grid order nests the axes as listed — fan-out outermost, then audience, policy, churn,
/// and the replicate seeds innermost — each axis in the order given.
package struct SweepGrid: Sendable, Hashable {
    package var fanouts: [Int]
    package var audiences: [Int]
    package var policies: [Policy]
    /// Churn multipliers (see ``Scenario/scaledChurn(by:)``).
    package var churns: [Double]
    /// Seeds per grid cell: the base seed and `replicates − 1` derived from it.
    package var replicates: Int

    package init(fanouts: [Int], audiences: [Int], policies: [Policy], churns: [Double], replicates: Int = 1) {
        self.fanouts = fanouts
        self.audiences = audiences
        self.policies = policies
        self.churns = churns
        self.replicates = replicates
    }

    /// The number of points.
    package var count: Int {
        fanouts.count * audiences.count * policies.count * churns.count * replicates
    }

    /// Every point, in grid order: `base` with each combination of the axes.
    ///
    /// - Complexity: O(``count``)
    package func points(base: Scenario) -> [SweepPoint] {
        var points: [SweepPoint] = []
        points.reserveCapacity(count)
        for fanout in fanouts {
            for audience in audiences {
                for policy in policies {
                    for churn in churns {
                        var scenario = base.scaledChurn(by: churn)
                        scenario.fanout = fanout
                        scenario.audience = audience
                        scenario.policy = policy
                        for replicate in 0..<replicates {
                            scenario.seed = Self.seed(base: base.seed, replicate: replicate)
                            points.append(
                                SweepPoint(index: points.count, churn: churn, replicate: replicate, scenario: scenario))
                        }
                    }
                }
            }
        }
        return points
    }

    /// The seed of replicate `replicate`: the base seed for 0 (so a one-seed sweep point
    /// reproduces `run` with the same options), else the `replicate`-th output of
    /// SplitMix64 seeded with the base seed, shifted right by one bit so that it prints
    /// as the same positive number wherever a seed is shown. The same for every grid cell,
    /// so cells are compared on the same random draws where they can be.
    ///
    /// - Complexity: O(`replicate`)
    package static func seed(base: UInt64, replicate: Int) -> UInt64 {
        var generator = SplitMix64(seed: base)
        var seed = base
        for _ in 0..<replicate { seed = generator.next() >> 1 }
        return seed
    }
}
