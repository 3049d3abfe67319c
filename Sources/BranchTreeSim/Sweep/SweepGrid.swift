import BranchTree

/// The axes of a sweep and their expansion into points, in grid order.
///
///     let grid = SweepGrid(fanouts: [2, 3], audiences: [1_000], policies: [.skyway, .rejoin], churns: [1])
///     grid.points(base: Scenario()).map { ($0.scenario.fanout, $0.scenario.policy) }
///     // (2, skyway), (2, rejoin), (3, skyway), (3, rejoin)
///
/// Grid order nests the axes as listed — fan-out outermost, then audience, policy and
/// churn — each axis in the order given. Each point runs its replicates
/// (``Scenario/replicates(_:)``).
package struct SweepGrid: Sendable, Hashable {
    package var fanouts: [Int]
    package var audiences: [Int]
    package var policies: [Policy]
    /// Churn multipliers (see ``Scenario/scaledChurn(by:)``).
    package var churns: [Double]

    package init(fanouts: [Int], audiences: [Int], policies: [Policy], churns: [Double]) {
        self.fanouts = fanouts
        self.audiences = audiences
        self.policies = policies
        self.churns = churns
    }

    /// The number of points.
    package var count: Int {
        fanouts.count * audiences.count * policies.count * churns.count
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
                        points.append(SweepPoint(index: points.count, churn: churn, scenario: scenario))
                    }
                }
            }
        }
        return points
    }
}
