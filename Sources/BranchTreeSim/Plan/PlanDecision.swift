import BranchTree

/// The choice among `plan`'s candidates.
///
///     switch PlanDecision(candidates, constraints: limits) {
///     case .recommended(let index): …   // candidates[index] meets every limit
///     case .unmet(let closest): …       // none does; closest is the nearest miss, if any was simulated
///     }
///
/// The rule: among the simulated candidates that meet every limit, the fewest
/// interruptions per viewer-hour; ties go to the smaller fan-out (fewer upload streams
/// per viewer), then to the policy listed first in ``Policy`` (skyway). When none meets
/// the limits, the closest is the one with the least relative excess
/// (``PlanConstraints/excess(of:)``), ties broken by the same rule.
package enum PlanDecision: Sendable, Hashable {
    /// The index of the recommended candidate.
    case recommended(Int)
    /// No candidate meets the limits; the index of the closest, or nil when no candidate
    /// could be simulated.
    case unmet(closest: Int?)

    /// Decides.
    ///
    /// - Complexity: O(candidates)
    package init(_ candidates: [PlanCandidate], constraints: PlanConstraints) {
        let simulated = candidates.indices.compactMap { index in
            candidates[index].figures.map { (index: index, figures: $0) }
        }
        func ranking(_ index: Int, _ figures: PlanFigures) -> (Double, Double, Int, Int) {
            let candidate = candidates[index]
            return (
                constraints.excess(of: figures), figures.interruptionsPerViewerHour, candidate.fanout,
                Policy.allCases.firstIndex(of: candidate.policy) ?? 0
            )
        }
        // Ties in all four keys keep the earlier candidate.
        let best = simulated.min { ranking($0.index, $0.figures) < ranking($1.index, $1.figures) }
        guard let best else {
            self = .unmet(closest: nil)
            return
        }
        self = constraints.excess(of: best.figures) == 0 ? .recommended(best.index) : .unmet(closest: best.index)
    }
}
