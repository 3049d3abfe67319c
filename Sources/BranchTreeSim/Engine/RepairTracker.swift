import BranchTree

/// Measures repair latency: from a viewer's departure to the moment every viewer that had
/// to reconnect because of it receives media again.
///
/// Each repair waits for its reconnecting viewers; a viewer belongs to at most one repair
/// (a newer one takes it over), and one that leaves stops counting.
struct RepairTracker: Sendable {
    private var pending: [Int32: (started: Timestamp, waiting: Int)] = [:]
    private var nextID: Int32 = 0

    /// Starts a repair that began at `started` and waits for `slots`.
    mutating func start(
        at started: Timestamp, waitingFor slots: [Int32], viewers: inout [SimulatedViewer],
        now: Timestamp, metrics: inout SimulationMetrics
    ) {
        guard !slots.isEmpty else {
            metrics.repairLatency.record(now.seconds(since: started))
            return
        }
        let id = nextID
        nextID = nextID == .max ? 0 : nextID + 1
        for slot in slots {
            forget(&viewers[Int(slot)], at: now, into: &metrics)
            viewers[Int(slot)].repair = id
        }
        pending[id] = (started, slots.count)
    }

    /// The viewer no longer counts for its repair: media reaches it again, it left, or a
    /// newer repair takes it over.
    mutating func forget(_ viewer: inout SimulatedViewer, at now: Timestamp, into metrics: inout SimulationMetrics) {
        let id = viewer.repair
        guard id >= 0 else { return }
        viewer.repair = -1
        guard var entry = pending[id] else { return }
        entry.waiting -= 1
        if entry.waiting == 0 {
            pending[id] = nil
            metrics.repairLatency.record(now.seconds(since: entry.started))
        } else {
            pending[id] = entry
        }
    }
}
