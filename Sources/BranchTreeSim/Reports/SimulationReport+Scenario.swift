extension SimulationReport {
    /// The name of the section that echoes the scenario.
    package static let scenarioSectionName = "scenario"

    /// The section that echoes everything needed to run the report again: every setting of
    /// `scenario` as the scenario file writes it (``Scenario/json``), how many replicates
    /// stand behind the figures, and the tool's version. `run --scenario report.json`
    /// reads it back.
    ///
    ///     SimulationReport.scenarioSection(Scenario(), replicates: 1).figures.map(\.name)
    ///     // ["seed", "duration", "audience", …, "timings", "replicates", "toolVersion"]
    ///
    /// - Complexity: O(size of the scenario)
    package static func scenarioSection(_ scenario: Scenario, replicates: Int) -> (name: String, figures: [Figure]) {
        guard case .object(let members) = scenario.json else { preconditionFailure("a scenario is a JSON object") }
        return (
            scenarioSectionName,
            members.map { Figure(name: $0.key, value: .json($0.value)) } + [
                Figure(name: "replicates", value: .integer(replicates)),
                Figure(name: "toolVersion", value: .text(ToolVersion.current)),
            ]
        )
    }
}
