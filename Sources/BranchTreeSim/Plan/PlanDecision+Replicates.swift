extension PlanDecision {
    /// The candidates that need more replicates before the decision stops hanging on the
    /// seeds, each with the number of replicates it should have; empty when the decision is
    /// settled. `plan` asks after every round (``PlanReplicates``).
    ///
    /// In order, the first that applies:
    /// 1. A limit lies strictly inside a candidate's interval and it has fewer than `cap`:
    ///    `step` more of it (at the cap, the pessimistic end decides).
    /// 2. The candidates within the limits ran different numbers of replicates: all of them
    ///    as many as the most-run, so that they are compared on the same seeds.
    /// 3. A comparison that could change the answer is ``Comparison/open``: going from the
    ///    simplest candidate within the limits towards the mark (the fewest interruptions),
    ///    one that is open comes before any that is ``Comparison/asGood``. Then `step` more
    ///    of every candidate within the limits, up to `cap`.
    ///
    /// - Parameter candidates: the simulated candidates (every one has figures).
    /// - Complexity: O(candidates × replicates)
    package static func replicatesWanted(
        _ candidates: [PlanCandidate], constraints: PlanConstraints, step: Int, cap: Int
    ) -> [(index: Int, count: Int)] {
        func count(_ index: Int) -> Int { candidates[index].figures!.replicates }
        let straddling = candidates.indices.filter {
            count($0) < cap && constraints.isUndecided(candidates[$0].figures!)
        }
        if !straddling.isEmpty { return straddling.map { ($0, Swift.min(cap, count($0) + step)) } }

        let within = candidates.indices.filter { constraints.excess(of: candidates[$0].figures!) == 0 }
        let level = within.map(count).max() ?? 0
        let behind = within.filter { count($0) < level }
        if !behind.isEmpty { return behind.map { ($0, level) } }

        guard level < cap, !within.isEmpty else { return [] }
        let mark = best(within, in: candidates)
        let simpler = within.filter { candidates[$0].isSimpler(than: candidates[mark]) }
            .sorted { candidates[$0].isSimpler(than: candidates[$1]) }
        for index in simpler {
            switch compare(index, with: mark, in: candidates) {
            case .worse: continue
            case .asGood: return []
            case .open: return within.map { ($0, Swift.min(cap, level + step)) }
            }
        }
        return []
    }
}
