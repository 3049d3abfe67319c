import BranchTree

@testable import BranchTreeSim

extension SimulationReport {
    /// A full-model report of one run: every figure zero but those given, for tests of what
    /// reads reports.
    static func sample(
        scenario: Scenario = Scenario(), departures: Int = 0, interruptedViewers: [Double] = [],
        sessions: Int = 0, neverServed: Int = 0, interruptionsPerViewerHour: Double = 0, continuityIndex: Double = 1,
        strandedViewers: Int = 0, events: Int = 0, timeline: [(time: Double, viewers: Int, interrupted: Int)] = [],
        depthHistogram: [Int] = []
    ) -> SimulationReport {
        var interrupted = QuantileSummary()
        for value in interruptedViewers { interrupted.record(value) }
        let zero = Measure.count(0)
        return SimulationReport(
            scenario: scenario,
            perDeparture: .init(
                departures: .count(departures), interruptedViewers: .run(interrupted), reconnections: .run(.init()),
                controlMessages: .run(.init()), repairLatencySeconds: .run(.init())),
            perViewer: .init(
                sessions: .count(sessions), neverServed: .count(neverServed),
                interruptionsPerViewerHour: .decimal(interruptionsPerViewerHour, places: 3),
                interruptedViewerSecondsPerViewerHour: .decimal(0, places: 2),
                startupViewerSecondsPerViewerHour: .decimal(0, places: 2),
                continuityIndex: .decimal(continuityIndex, places: 5),
                sessionsWithoutInterruption: .decimal(1, places: 4), startupDelaySeconds: .run(.init())),
            tree: .init(
                viewers: zero, height: zero, meanDepth: .decimal(0, places: 3), p99Depth: zero,
                fanoutUse: .decimal(0, places: 4), broadcasterUploadStreams: zero),
            protocolHealth: .init(
                ghosts: zero, strandedViewers: .count(strandedViewers), messages: zero, connectionsOpened: zero,
                connectionsFailed: zero, replaceTracks: zero, staleReportsIgnored: zero, restarts: zero,
                restartMessages: zero, messagesPerRestart: .decimal(0, places: 1)),
            run: .init(
                model: .full, events: .count(events), simulatedSeconds: .decimal(0, places: 0),
                wallSeconds: .decimal(0, places: 3), eventsPerSecond: .decimal(0, places: 0), peakMemoryBytes: zero),
            timeline: timeline, depthHistogram: depthHistogram)
    }
}
