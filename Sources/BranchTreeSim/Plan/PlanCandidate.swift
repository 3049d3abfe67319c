import BranchTree

/// One configuration `plan` considers: a fan-out and a policy, the relay slots the
/// audience brings for it, and what the simulation measured (nil when the audience
/// cannot carry itself at this fan-out, so it was not simulated).
///
///     PlanCandidate(fanout: 3, policy: .skyway, relaySlotsPerViewer: 1.35, figures: figures)
package struct PlanCandidate: Sendable, Hashable {
    package var fanout: Int
    package var policy: Policy
    /// The mean number of children a viewer can feed at this fan-out.
    package var relaySlotsPerViewer: Double
    /// The simulated figures; nil when not simulated because the viewers' relay slots
    /// cannot hold the audience.
    package var figures: PlanFigures?

    package init(fanout: Int, policy: Policy, relaySlotsPerViewer: Double, figures: PlanFigures?) {
        self.fanout = fanout
        self.policy = policy
        self.relaySlotsPerViewer = relaySlotsPerViewer
        self.figures = figures
    }
}

extension PlanCandidate {
    /// `fan-out 3, skyway`, for messages.
    package var summary: String {
        "fan-out \(fanout), \(policy)"
    }
}
