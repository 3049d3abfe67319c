/// Runs `plan`'s candidates over replicates, adding replicates until the answer no longer
/// hangs on them.
///
///     let reports = try PlanReplicates.run(scenarios, described: names, replicates: 5, cap: 20, jobs: 2,
///         stderr: &stderr,
///         wanted: { reports in PlanDecision.replicatesWanted(…, step: 5, cap: 20) })
///
/// Every scenario runs replicates 0..<`replicates`. Then, round after round, `wanted` says
/// which scenarios need more and how many each should have in all, and they run the next
/// seeds, until it asks for none beyond what they have or `cap`. Each round is one batch
/// on every core. The seeds depend only on the replicate's number, so the result is the
/// same whatever `jobs` is, and a scenario's replicates are extended, never redrawn.
package enum PlanReplicates {
    /// The replicate reports of every scenario, in order.
    ///
    /// - Parameters:
    ///   - model: What simulates the scenarios.
    ///   - wanted: given every scenario's reports so far, the scenarios that need
    ///     more, each with the number of replicates it should have; counts beyond `cap` are
    ///     cut to it. Its last call sees the reports this returns.
    /// - Throws: ``WorkloadError`` for an invalid scenario, before anything runs.
    /// - Complexity: the simulations' work ÷ min(`jobs`, cores) per round, at best; at most
    ///   `cap` × scenarios rounds, as each round runs at least one more replicate.
    package static func run<ErrorOutput: TextOutputStream>(
        _ scenarios: [Scenario], described descriptions: [String], replicates: Int, cap: Int, jobs: Int,
        model: SimulationModel = .full, progress display: BatchProgress.Display = [], stderr: inout ErrorOutput,
        wanted: ([[SimulationReport]]) -> [(index: Int, count: Int)]
    ) throws(WorkloadError) -> [[SimulationReport]] {
        var reports = try SimulationBatch.run(
            scenarios, described: descriptions, replicates: 0..<replicates, jobs: jobs, model: model, progress: display,
            stderr: &stderr)
        while true {
            let ranges = wanted(reports).compactMap { target -> (index: Int, range: Range<Int>)? in
                let range = reports[target.index].count..<Swift.min(cap, target.count)
                return range.isEmpty ? nil : (target.index, range)
            }
            guard !ranges.isEmpty else { return reports }
            let runs = ranges.map { scenarios[$0.index].replicates($0.range) }
            let results = try SimulationBatch.run(
                runs.flatMap { $0 },
                described: zip(ranges, runs).flatMap { range, runs in
                    runs.map { "\(descriptions[range.index]), seed \($0.seed)" }
                },
                jobs: jobs, model: model, progress: display, stderr: &stderr)
            var next = results[...]
            for (index, range) in ranges {
                reports[index] += next.prefix(range.count)
                next = next.dropFirst(range.count)
            }
        }
    }
}
