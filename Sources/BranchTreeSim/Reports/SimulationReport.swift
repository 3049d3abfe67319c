/// What a simulation run measured, figure by figure, as typed values: counts and
/// decimals (``Measure``), per-event distributions (``PerEvent``), the scenario that ran,
/// the time series and the depth histogram. Both models fill it (the tree model leaves
/// out what it cannot measure); ``combining(_:)`` turns replicates into one, and the
/// formats layer prints it as a table, CSV or JSON (``sections``), so the three never
/// disagree.
///
///     let report = try SimulationModel.full.run(Scenario())
///     report.perViewer.interruptionsPerViewerHour.shown   // as printed
///     report.tree.height                                  // .count(9)
///
/// Every figure is defined, with its unit, in the README's report table. The structs are
/// built with their memberwise initialisers (optional figures default to nil).
package struct SimulationReport: Sendable {
    /// What ran: every setting, echoed in the report's `scenario` section.
    package var scenario: Scenario
    /// How many runs stand behind the figures.
    package var replicates: Int = 1
    /// Where a sweep row sits in its grid (its `sweep` section); nil outside a sweep.
    package var sweepPosition: SweepPosition?
    package var perDeparture: PerDeparture
    package var perViewer: PerViewer
    package var tree: Tree
    /// The protocol's health and traffic; nil from the tree model, which has no protocol.
    package var protocolHealth: ProtocolHealth?
    package var run: Run
    /// Points of the time series: seconds, viewers present, viewers interrupted.
    package var timeline: [(time: Double, viewers: Int, interrupted: Int)] = []
    /// Viewers per depth at the end.
    package var depthHistogram: [Int] = []

    /// A sweep row's place: its point in grid order and the churn multiplier.
    package struct SweepPosition: Sendable, Hashable {
        package var point: Int
        /// Printed with the fewest places that show it exactly.
        package var churn: Measure
    }

    /// Per departure: how many, and what each cost the viewers below the leaver.
    package struct PerDeparture: Sendable, Hashable {
        package var departures: Measure
        package var interruptedViewers: PerEvent
        package var reconnections: PerEvent
        /// Full model only: the protocol's messages per departure.
        package var controlMessages: PerEvent?
        /// Full model only: seconds until the last viewer below the leaver is fed again.
        package var repairLatencySeconds: PerEvent?
    }

    /// Per viewer: sessions and what they lived through, per hour of presence. The figures
    /// of time without media are the full model's only (the tree model repairs at once).
    package struct PerViewer: Sendable, Hashable {
        package var sessions: Measure
        package var neverServed: Measure?
        package var interruptionsPerViewerHour: Measure
        package var interruptedViewerSecondsPerViewerHour: Measure?
        package var startupViewerSecondsPerViewerHour: Measure?
        /// Seconds with media ÷ seconds present.
        package var continuityIndex: Measure?
        package var sessionsWithoutInterruption: Measure?
        package var startupDelaySeconds: PerEvent?
    }

    /// The tree at the end of the run (``treeFigures(of:interiorChildren:interiorCapacity:)``).
    package struct Tree: Sendable, Hashable {
        package var viewers: Measure
        package var height: Measure
        package var meanDepth: Measure
        package var p99Depth: Measure
        package var fanoutUse: Measure
        package var broadcasterUploadStreams: Measure
    }

    /// The protocol's health (ghosts and stranded viewers must be 0) and traffic.
    package struct ProtocolHealth: Sendable, Hashable {
        package var ghosts: Measure
        package var strandedViewers: Measure
        package var messages: Measure
        package var connectionsOpened: Measure
        package var connectionsFailed: Measure
        package var replaceTracks: Measure
        package var staleReportsIgnored: Measure
        package var restarts: Measure
        package var restartMessages: Measure
        package var messagesPerRestart: Measure
    }

    /// The run itself: which model (named for the tree model only), events, simulated and
    /// wall time, speed and peak memory (``runFigures(model:events:simulatedSeconds:wallSeconds:)``).
    package struct Run: Sendable, Hashable {
        package var model: SimulationModel
        package var events: Measure
        package var simulatedSeconds: Measure
        package var wallSeconds: Measure
        package var eventsPerSecond: Measure
        package var peakMemoryBytes: Measure
    }
}
