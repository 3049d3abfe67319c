extension SimulationModel {
    /// `--model`, shared by the commands that simulate.
    package static let option = TypedOption(
        name: "model", valueName: "name",
        help: "full (every state machine over a simulated network) or tree (the tree alone: no messages, "
            + "latencies or timers, departures repaired at once; tree figures only, far faster).",
        parser: .choice(SimulationModel.self), default: SimulationModel.full)

    /// Checks that `scenario` can run under this model, without running it.
    /// - Throws: ``WorkloadError`` naming the first invalid parameter.
    package func validate(_ scenario: Scenario) throws(WorkloadError) {
        switch self {
        case .full: _ = try Simulation(scenario: scenario)
        case .tree: _ = try TreeSimulation(scenario: scenario)
        }
    }

    /// Runs `scenario` to the end under this model and reports.
    ///
    /// - Parameters:
    ///   - interval: How many events between two calls of `progress`.
    ///   - progress: Called every `interval` events, for a display only.
    /// - Throws: ``WorkloadError`` naming the first invalid parameter.
    package func run(
        _ scenario: Scenario, progressEvery interval: Int = 1 << 16,
        progress: ((SimulationProgress) -> Void)? = nil
    ) throws(WorkloadError) -> SimulationReport {
        switch self {
        case .full:
            var simulation = try Simulation(scenario: scenario)
            return simulation.run(progressEvery: interval, progress: progress)
        case .tree:
            var simulation = try TreeSimulation(scenario: scenario)
            return simulation.run(progressEvery: interval, progress: progress)
        }
    }
}
