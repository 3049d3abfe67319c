import BranchTree

/// What a simulation measures while it runs (names as in `workloads-and-metrics.md`).
struct SimulationMetrics: Sendable {
    // Per departure (one per viewer the broadcaster removed).
    var departures = 0
    var interruptedViewers = QuantileSummary()
    var reconnections = QuantileSummary()
    var controlMessages = QuantileSummary()
    var repairLatency = QuantileSummary(resolution: 0.001)

    // Per viewer.
    var sessions = 0
    var sessionsWithoutInterruption = 0
    /// Viewer-seconds after each viewer's first frame, and how many of them were dark.
    var viewerSeconds = 0.0
    var darkSeconds = 0.0
    var interruptions = 0
    var startupDelay = QuantileSummary(resolution: 0.001)
    var neverStarted = 0

    // Protocol traffic.
    var messages = 0
    var connectionsOpened = 0
    var connectionsFailed = 0
    var replaceTracks = 0
    var ignoredStaleReports = 0
    var ignoredOther = 0
    var restarts = 0

    // Time series: (seconds, viewers present, viewers without media after their first frame).
    var timeline: [(time: Double, viewers: Int, interrupted: Int)] = []

    /// Folds a finished (or, at the end, ongoing) session into the per-viewer totals.
    mutating func recordSession(_ viewer: borrowing SimulatedViewer, until end: Timestamp) {
        sessions += 1
        guard let firstFrame = viewer.firstFrame else {
            neverStarted += 1
            return
        }
        viewerSeconds += Swift.max(0, (end - firstFrame).secondsDouble)
        var dark = viewer.darkSeconds
        if let since = viewer.darkSince { dark += (end - since).secondsDouble }
        darkSeconds += dark
        interruptions += Int(viewer.interruptions)
        if viewer.interruptions == 0 { sessionsWithoutInterruption += 1 }
    }
}
