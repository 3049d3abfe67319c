/// Runs `plan`'s candidates over replicates, adding replicates where the answer is still
/// open.
///
///     let reports = try PlanReplicates.run(scenarios, replicates: 5, cap: 20, jobs: 2,
///         isUndecided: { limits.isUndecided(PlanFigures(replicates: $0)) },
///         isContender: { limits.excess(of: PlanFigures(replicates: $0)) == 0 })
///
/// Every candidate runs replicates 0..<`replicates`. Then, round after round, each one for
/// which `isUndecided` holds (a limit inside its interval) runs `replicates` more (the
/// next seeds), until none is undecided or has reached `cap`. Last, every contender (within
/// the limits) is brought up to the most replicates any contender ran, so that contenders
/// are compared seed by seed on the same seeds. Each round is one batch on every core. The
/// seeds depend only on the replicate's number, so the result is the same whatever `jobs`
/// is.
package enum PlanReplicates {
    /// The replicate reports of every scenario, in order.
    ///
    /// - Throws: ``WorkloadError`` for an invalid scenario, before anything runs.
    /// - Complexity: the simulations' work ÷ min(`jobs`, cores) per round, at best; at most
    ///   ⌈`cap` ÷ `replicates`⌉ + 1 rounds.
    package static func run<ErrorOutput: TextOutputStream>(
        _ scenarios: [Scenario], described descriptions: [String], replicates: Int, cap: Int, jobs: Int,
        progress display: BatchProgress.Display = [], stderr: inout ErrorOutput,
        isUndecided: ([SimulationReport]) -> Bool, isContender: ([SimulationReport]) -> Bool
    ) throws(WorkloadError) -> [[SimulationReport]] {
        let batch = Batch(scenarios: scenarios, descriptions: descriptions, jobs: jobs, display: display)
        var reports = try SimulationBatch.run(
            scenarios, described: descriptions, replicates: 0..<replicates, jobs: jobs, progress: display,
            stderr: &stderr)
        while true {
            let open = scenarios.indices.filter { reports[$0].count < cap && isUndecided(reports[$0]) }
            guard !open.isEmpty else { break }
            try batch.extend(
                &reports, to: open.map { ($0, Swift.min(cap, reports[$0].count + replicates)) }, stderr: &stderr)
        }
        let contenders = scenarios.indices.filter { isContender(reports[$0]) }
        let level = contenders.map { reports[$0].count }.max() ?? 0
        try batch.extend(&reports, to: contenders.map { ($0, level) }, stderr: &stderr)
        return reports
    }

    /// What every round runs with.
    private struct Batch {
        var scenarios: [Scenario]
        var descriptions: [String]
        var jobs: Int
        var display: BatchProgress.Display

        /// Runs the next replicates of each listed scenario, up to its target count, as one
        /// batch.
        func extend<ErrorOutput: TextOutputStream>(
            _ reports: inout [[SimulationReport]], to targets: [(index: Int, count: Int)], stderr: inout ErrorOutput
        ) throws(WorkloadError) {
            let ranges = targets.filter { reports[$0.index].count < $0.count }.map { target in
                (index: target.index, range: reports[target.index].count..<target.count)
            }
            guard !ranges.isEmpty else { return }
            let runs = ranges.map { scenarios[$0.index].replicates($0.range) }
            let results = try SimulationBatch.run(
                runs.flatMap { $0 },
                described: zip(ranges, runs).flatMap { range, runs in
                    runs.map { "\(descriptions[range.index]), seed \($0.seed)" }
                },
                jobs: jobs, progress: display, stderr: &stderr)
            var next = results[...]
            for (index, range) in ranges {
                reports[index] += next.prefix(range.count)
                next = next.dropFirst(range.count)
            }
        }
    }
}
