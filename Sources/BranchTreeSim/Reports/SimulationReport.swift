import BranchTree

/// What a simulation run measured, as sections of named figures (camelCase, defined in the
/// README's report table), written as JSON, CSV or a table by one mechanism so the three
/// never disagree.
package struct SimulationReport: Sendable {
    /// One named figure.
    package struct Figure: Sendable, Hashable {
        package var name: String
        package var value: FigureValue
    }

    /// A figure's value: an integer, a decimal with a fixed number of places (so the
    /// text is the same on every machine), a text, a distribution (mean, p50, p99, max), an
    /// estimate over replicates, or a scenario setting as JSON.
    package enum FigureValue: Sendable, Hashable {
        case integer(Int)
        /// An integer that may not fit an `Int` (a seed).
        case unsigned(UInt64)
        case decimal(Double, places: Int)
        case text(String)
        /// One run's per-event figure, with the values that replicates pool.
        case summary(QuantileSummary, places: Int)
        /// A per-event figure over replicates (or read back from a report).
        case distribution(Distribution, places: Int)
        /// A figure over replicates: their mean and its 95 % interval.
        case estimate(Estimate, places: Int)
        /// A scenario setting, as the scenario file writes it.
        case json(JSONValue)
    }

    /// Sections in order: `scenario` (every setting, ``scenarioSection(_:replicates:)``),
    /// `perDeparture`, `perViewer`, `tree`, `protocol`, `run`.
    package var sections: [(name: String, figures: [Figure])]
    /// Points of the time series (seconds, viewers present, viewers interrupted).
    package var timeline: [(time: Double, viewers: Int, interrupted: Int)]
    /// Viewers per depth at the end.
    package var depthHistogram: [Int]

    /// A figure by section and name, for tests and the sweep.
    package func figure(_ section: String, _ name: String) -> FigureValue? {
        sections.first { $0.name == section }?.figures.first { $0.name == name }?.value
    }

    /// The figures that depend on the machine, not the scenario (wall time, speed,
    /// memory): left out of reproducible output.
    package static let machineDependent: Set<String> = ["wallSeconds", "eventsPerSecond", "peakMemoryBytes"]
}
