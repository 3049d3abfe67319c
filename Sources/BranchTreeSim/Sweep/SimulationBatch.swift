/// Simulates many scenarios at once, one per thread, for `sweep` and `plan`.
///
///     let reports = try SimulationBatch.run([small, large], jobs: 2)   // reports[0] is small's
///
/// Every ``Simulation`` is a value of its own, so the runs share nothing; the biggest
/// start first (by ``Scenario/estimatedWork``) so that the threads finish together.
/// Reports come back in the order of the scenarios, identical whatever `jobs` is.
package enum SimulationBatch {
    /// `--jobs`, shared by the commands that run batches.
    package static let jobs = TypedOption(
        name: "jobs", valueName: "n", help: "Simulations run at once (at most one per core).",
        parser: .integer(in: 1...1_024), defaultDescription: "all cores")

    /// The `--jobs` given, or every core.
    /// - Throws: A usage error for a bad value.
    package static func jobs(from arguments: ParsedArguments) throws(CommandError) -> Int {
        try arguments.valueIfPresent(of: jobs) ?? ParallelRunner.availableCores
    }

    /// The reports of replicates `replicates` of every scenario (``Scenario/replicates(_:)``):
    /// `result[i][k]` is scenario `i`'s replicate `replicates.lowerBound + k`. All run as one
    /// batch, so replicates spread over the cores too.
    ///
    /// - Throws: ``WorkloadError`` for the first invalid scenario, before anything runs.
    /// - Complexity: the simulations' work ÷ min(`jobs`, cores, runs), at best.
    package static func run(
        _ scenarios: [Scenario], replicates: Range<Int>, jobs: Int
    ) throws(WorkloadError) -> [[SimulationReport]] {
        let reports = try run(scenarios.flatMap { $0.replicates(replicates) }, jobs: jobs)
        return scenarios.indices.map { index in
            Array(reports[(index * replicates.count)..<((index + 1) * replicates.count)])
        }
    }

    /// The report of every scenario, in order.
    ///
    /// - Throws: ``WorkloadError`` for the first invalid scenario, before anything runs.
    /// - Complexity: the simulations' work ÷ min(`jobs`, cores, scenarios), at best.
    package static func run(_ scenarios: [Scenario], jobs: Int) throws(WorkloadError) -> [SimulationReport] {
        var simulations: [Simulation] = []
        simulations.reserveCapacity(scenarios.count)
        for scenario in scenarios { simulations.append(try Simulation(scenario: scenario)) }
        let work = scenarios.map(\.estimatedWork)
        // Stable: equal estimates start in scenario order.
        let startOrder = scenarios.indices.sorted { work[$0] > work[$1] || (work[$0] == work[$1] && $0 < $1) }
        return ParallelRunner.map(simulations, jobs: jobs, startOrder: startOrder) { simulation in
            var simulation = simulation
            return simulation.run()
        }
    }
}
