import BranchTree

// The report as named figures in sections, the one form the table, CSV and JSON are printed
// from (SimulationReport+Formats.swift): names are camelCase, defined in the README's report
// table.

extension SimulationReport {
    /// One named figure.
    package struct Figure: Sendable, Hashable {
        package var name: String
        package var value: FigureValue

        package init(name: String, value: FigureValue) {
            self.name = name
            self.value = value
        }
    }

    /// A figure's value as printed: an integer, a decimal with a fixed number of places (so
    /// the text is the same on every machine), a text, a distribution (mean, p50, p99,
    /// max), an estimate over replicates, or a scenario setting as JSON.
    package enum FigureValue: Sendable, Hashable {
        case integer(Int)
        case decimal(Double, places: Int)
        case text(String)
        /// One run's per-event figure.
        case summary(QuantileSummary, places: Int)
        /// A per-event figure over replicates.
        case distribution(Distribution, places: Int)
        /// A figure over replicates: their mean and its 95 % interval.
        case estimate(Estimate, places: Int)
        /// A scenario setting, as the scenario file writes it.
        case json(JSONValue)
    }

    /// The name of the section that echoes the scenario.
    package static let scenarioSectionName = "scenario"

    /// The figures that depend on the machine, not the scenario (wall time, speed,
    /// memory): left out of reproducible output.
    package static let machineDependent: Set<String> = ["wallSeconds", "eventsPerSecond", "peakMemoryBytes"]

    /// Sections in order: `sweep` (in a sweep), `scenario` (every setting,
    /// ``scenarioSection(_:replicates:)``), `perDeparture`, `perViewer`, `tree`,
    /// `protocol` (full model), `run`; figures a model does not report are left out.
    ///
    /// - Complexity: O(figures + size of the scenario)
    package var sections: [(name: String, figures: [Figure])] {
        func figures(_ list: [(String, FigureValue?)]) -> [Figure] {
            list.compactMap { name, value in value.map { Figure(name: name, value: $0) } }
        }
        var result: [(name: String, figures: [Figure])] = []
        if let sweepPosition {
            result.append(
                (
                    "sweep",
                    figures([("point", .integer(sweepPosition.point)), ("churn", sweepPosition.churn.figureValue)])
                ))
        }
        result.append(Self.scenarioSection(scenario, replicates: replicates))
        let departure = perDeparture
        result.append(
            (
                "perDeparture",
                figures([
                    ("departures", departure.departures.figureValue),
                    ("interruptedViewers", departure.interruptedViewers.figureValue),
                    ("reconnections", departure.reconnections.figureValue),
                    ("controlMessages", departure.controlMessages?.figureValue),
                    ("repairLatencySeconds", departure.repairLatencySeconds?.figureValue),
                ])
            ))
        let viewer = perViewer
        result.append(
            (
                "perViewer",
                figures([
                    ("sessions", viewer.sessions.figureValue), ("neverServed", viewer.neverServed?.figureValue),
                    ("interruptionsPerViewerHour", viewer.interruptionsPerViewerHour.figureValue),
                    (
                        "interruptedViewerSecondsPerViewerHour",
                        viewer.interruptedViewerSecondsPerViewerHour?.figureValue
                    ),
                    ("startupViewerSecondsPerViewerHour", viewer.startupViewerSecondsPerViewerHour?.figureValue),
                    ("continuityIndex", viewer.continuityIndex?.figureValue),
                    ("sessionsWithoutInterruption", viewer.sessionsWithoutInterruption?.figureValue),
                    ("startupDelaySeconds", viewer.startupDelaySeconds?.figureValue),
                ])
            ))
        result.append(
            (
                "tree",
                figures([
                    ("viewers", tree.viewers.figureValue), ("height", tree.height.figureValue),
                    ("meanDepth", tree.meanDepth.figureValue), ("p99Depth", tree.p99Depth.figureValue),
                    ("fanoutUse", tree.fanoutUse.figureValue),
                    ("broadcasterUploadStreams", tree.broadcasterUploadStreams.figureValue),
                ])
            ))
        if let health = protocolHealth {
            result.append(
                (
                    "protocol",
                    figures([
                        ("ghosts", health.ghosts.figureValue), ("strandedViewers", health.strandedViewers.figureValue),
                        ("messages", health.messages.figureValue),
                        ("connectionsOpened", health.connectionsOpened.figureValue),
                        ("connectionsFailed", health.connectionsFailed.figureValue),
                        ("replaceTracks", health.replaceTracks.figureValue),
                        ("staleReportsIgnored", health.staleReportsIgnored.figureValue),
                        ("restarts", health.restarts.figureValue),
                        ("restartMessages", health.restartMessages.figureValue),
                        ("messagesPerRestart", health.messagesPerRestart.figureValue),
                    ])
                ))
        }
        result.append(
            (
                "run",
                figures([
                    // The full model is the default: only the tree model names itself.
                    ("model", run.model == .tree ? .text(run.model.rawValue) : nil),
                    ("events", run.events.figureValue), ("simulatedSeconds", run.simulatedSeconds.figureValue),
                    ("wallSeconds", run.wallSeconds.figureValue), ("eventsPerSecond", run.eventsPerSecond.figureValue),
                    ("peakMemoryBytes", run.peakMemoryBytes.figureValue),
                ])
            ))
        return result
    }

    /// A figure by section and name, for tests and the sweep's table.
    ///
    /// - Complexity: O(figures)
    package func figure(_ section: String, _ name: String) -> FigureValue? {
        sections.first { $0.name == section }?.figures.first { $0.name == name }?.value
    }

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

extension Measure {
    /// The measure as a figure's printed value.
    package var figureValue: SimulationReport.FigureValue {
        switch self {
        case .count(let count): .integer(count)
        case .decimal(let value, let places): .decimal(value, places: places)
        case .estimate(let estimate, let places): .estimate(estimate, places: places)
        }
    }
}

extension PerEvent {
    /// The per-event figure as a figure's printed value.
    package var figureValue: SimulationReport.FigureValue {
        switch self {
        case .run(let summary): .summary(summary, places: Self.places)
        case .replicates(let distribution): .distribution(distribution, places: Self.places)
        }
    }
}
