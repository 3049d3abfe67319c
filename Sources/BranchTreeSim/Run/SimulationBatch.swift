import BranchTree

/// Simulates many scenarios at once, one per thread, for `sweep` and `plan`.
///
///     let reports = try SimulationBatch.run(
///         [small, large], described: ["small", "large"], jobs: 2, progress: [], stderr: &stderr)
///     // reports[0] is small's
///
/// Every ``Simulation`` is a value of its own, so the runs share nothing; the biggest
/// start first (by ``Scenario/estimatedWork``) so that the threads finish together.
/// Reports come back in the order of the scenarios, identical whatever `jobs` is and
/// whatever progress is shown.
package enum SimulationBatch {
    /// `--jobs`, shared by the commands that run batches.
    package static let jobs = TypedOption(
        name: "jobs", valueName: "n", help: "Simulations run at once (at most one per core).",
        parser: .integer(in: 1...1_024), defaultDescription: "all cores")
    /// `--progress`, shared by the commands that run batches.
    package static let progress = Flag(
        name: "progress",
        help: "Write a line to standard error as each simulation finishes, also into a pipe or a file "
            + "(a terminal shows one progress line without it).")

    /// The `--jobs` given, or every core.
    /// - Throws: A usage error for a bad value.
    package static func jobs(from arguments: ParsedArguments) throws(CommandError) -> Int {
        try arguments.valueIfPresent(of: jobs) ?? ParallelRunner.availableCores
    }

    /// The reports of replicates `replicates` of every scenario (``Scenario/replicates(_:)``):
    /// `result[i][k]` is scenario `i`'s replicate `replicates.lowerBound + k`. All run as one
    /// batch, so replicates spread over the cores too; progress as for
    /// ``run(_:described:jobs:progress:stderr:)``, each run described with its seed.
    ///
    /// - Throws: ``WorkloadError`` for the first invalid scenario, before anything runs.
    /// - Complexity: the simulations' work ÷ min(`jobs`, cores, runs), at best.
    package static func run<ErrorOutput: TextOutputStream>(
        _ scenarios: [Scenario], described descriptions: [String], replicates: Range<Int>, jobs: Int,
        model: SimulationModel = .full, progress display: BatchProgress.Display, stderr: inout ErrorOutput
    ) throws(WorkloadError) -> [[SimulationReport]] {
        let runs = scenarios.map { $0.replicates(replicates) }
        let reports = try run(
            runs.flatMap { $0 },
            described: zip(runs, descriptions).flatMap { runs, description in
                runs.map { "\(description), seed \($0.seed)" }
            },
            jobs: jobs, model: model, progress: display, stderr: &stderr)
        return scenarios.indices.map { index in
            Array(reports[(index * replicates.count)..<((index + 1) * replicates.count)])
        }
    }

    /// The report of every scenario, in order, showing the progress `display` asks for
    /// on `stderr` (``BatchProgressReporter``).
    ///
    /// Progress goes straight to the process's standard error; any other stream cannot be
    /// written from the worker threads, so it receives the progress text when the batch
    /// has finished.
    ///
    /// - Parameter descriptions: What each scenario is, for the progress lines: one per
    ///   scenario, e.g. ``SweepPoint/summary``.
    /// - Throws: ``WorkloadError`` for the first invalid scenario, before anything runs.
    /// - Complexity: the simulations' work ÷ min(`jobs`, cores, scenarios), at best.
    package static func run<ErrorOutput: TextOutputStream>(
        _ scenarios: [Scenario], described descriptions: [String], jobs: Int, model: SimulationModel = .full,
        progress display: BatchProgress.Display, stderr: inout ErrorOutput
    ) throws(WorkloadError) -> [SimulationReport] {
        precondition(descriptions.count == scenarios.count, "one description per scenario")
        // Every scenario is checked before anything runs.
        for scenario in scenarios { try model.validate(scenario) }
        let work = scenarios.map(\.estimatedWork)
        // Stable: equal estimates start in scenario order.
        let startOrder = scenarios.indices.sorted { work[$0] > work[$1] || (work[$0] == work[$1] && $0 < $1) }
        let reporter =
            display.isEmpty
            ? nil
            : BatchProgressReporter(
                display: display, estimatedWork: work,
                destination: stderr is StandardErrorStream ? .standardError : .buffer)
        let reports = ParallelRunner.map(Array(scenarios.indices), jobs: jobs, startOrder: startOrder) { index in
            // Validated above: running cannot fail.
            func run(progress: ((SimulationProgress) -> Void)? = nil) -> SimulationReport {
                do {
                    return try model.run(scenarios[index], progressEvery: 1 << 12, progress: progress)
                } catch {
                    preconditionFailure("scenario \(index) was validated: \(error)")
                }
            }
            guard let reporter else { return run() }
            let clock = ContinuousClock()
            let started = clock.now
            // Every 4,096 events: far oftener than the line is redrawn in a release build, and
            // every few seconds with the `InternalChecks` trait, which checks the tree after
            // every change.
            let report = run { progress in
                reporter.simulationAdvanced(
                    index, fraction: progress.isSettling ? 1 : progress.simulatedSeconds / progress.durationSeconds)
            }
            reporter.simulationFinished(
                index, description: descriptions[index], wallSeconds: (clock.now - started).secondsDouble)
            return report
        }
        if let reporter { stderr.write(reporter.finish()) }
        return reports
    }
}
