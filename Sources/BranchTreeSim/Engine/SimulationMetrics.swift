import BranchTree

/// What a simulation measures while it runs (names after the repair-cost metrics of the
/// peer-to-peer streaming literature; the
/// README's report table defines each figure built from them).
struct SimulationMetrics: Sendable {
    // Per departure (one per viewer the broadcaster removed).
    var departures = 0
    var interruptedViewers = QuantileSummary()
    var reconnections = QuantileSummary()
    /// The messages of each departure's own repair (see `feedBroadcaster`), never those
    /// of a restart.
    var controlMessages = QuantileSummary()
    var repairLatency = QuantileSummary(resolution: 0.001)

    // Per viewer: every second of every session falls in exactly one of playing,
    // `startupSeconds` and `darkSeconds`.
    var sessions = 0
    var sessionsWithoutInterruption = 0
    /// Viewer-seconds present: from each arrival to the session's end (or the run's).
    var presentSeconds = 0.0
    /// Viewer-seconds before the first frame: the whole session of one never served.
    var startupSeconds = 0.0
    /// Viewer-seconds without media after the first frame.
    var darkSeconds = 0.0
    var interruptions = 0
    var startupDelay = QuantileSummary(resolution: 0.001)
    /// Sessions that never received a first frame.
    var neverServed = 0

    // Protocol traffic.
    var messages = 0
    var connectionsOpened = 0
    var connectionsFailed = 0
    var replaceTracks = 0
    var ignoredStaleReports = 0
    var ignoredOther = 0
    var restarts = 0
    /// Messages the restarts caused (see `Simulation.isRestartTraffic`).
    var restartMessages = 0

    // Time series: (seconds, viewers present, viewers without media after their first frame).
    var timeline: [(time: Double, viewers: Int, interrupted: Int)] = []

    /// Folds a finished (or, at the end, ongoing) session into the per-viewer totals.
    mutating func recordSession(_ viewer: borrowing SimulatedViewer, until end: Timestamp) {
        sessions += 1
        let present = Swift.max(0, end.seconds(since: viewer.arrival))
        presentSeconds += present
        guard let firstFrame = viewer.firstFrame else {
            neverServed += 1
            startupSeconds += present
            return
        }
        startupSeconds += Swift.max(0, firstFrame.seconds(since: viewer.arrival))
        var dark = viewer.darkSeconds
        if let since = viewer.darkSince { dark += end.seconds(since: since) }
        darkSeconds += dark
        interruptions += Int(viewer.interruptions)
        if viewer.interruptions == 0 { sessionsWithoutInterruption += 1 }
    }
}
