import BranchTree

/// One configuration `plan` considers: a fan-out, the broadcaster's fan-out and a policy,
/// the relay slots the audience brings for it, and what the simulation measured (nil when
/// the audience cannot carry itself at this fan-out, so it was not simulated).
///
///     PlanCandidate(fanout: 3, broadcasterFanout: 1, policy: .skyway, relaySlotsPerViewer: 1.35, figures: figures)
package struct PlanCandidate: Sendable, Hashable {
    package var fanout: Int
    /// The first viewers the broadcaster feeds: its upload is this many copies of the stream.
    package var broadcasterFanout: Int
    package var policy: Policy
    /// The mean number of children a viewer can feed at this fan-out.
    package var relaySlotsPerViewer: Double
    /// The simulated figures; nil when not simulated because the viewers' relay slots
    /// cannot hold the audience.
    package var figures: PlanFigures?

    package init(
        fanout: Int, broadcasterFanout: Int = 1, policy: Policy, relaySlotsPerViewer: Double, figures: PlanFigures?
    ) {
        self.fanout = fanout
        self.broadcasterFanout = broadcasterFanout
        self.policy = policy
        self.relaySlotsPerViewer = relaySlotsPerViewer
        self.figures = figures
    }

    /// `fan-out 3, broadcaster fan-out 2, rejoin`, for messages.
    package var summary: String {
        "fan-out \(fanout), broadcaster fan-out \(broadcasterFanout), \(policy)"
    }

    /// Whether this candidate comes before `other` in the order of simplicity among
    /// candidates that are otherwise equal: fewer streams from the broadcaster, then fewer
    /// from each viewer, then the policy listed first in ``Policy`` (skyway).
    ///
    /// - Complexity: O(1)
    package func isSimpler(than other: PlanCandidate) -> Bool {
        func rank(_ candidate: PlanCandidate) -> (Int, Int, Int) {
            (candidate.broadcasterFanout, candidate.fanout, Policy.allCases.firstIndex(of: candidate.policy) ?? 0)
        }
        return rank(self) < rank(other)
    }
}
