import BranchTree

// A viewer's timers: one queue entry per `setTimer` action, pushed when the machine asks,
// so that same-instant timers of different viewers keep the order their requests were
// made in. Every entry reaches the machine, even when nothing is due: the machine's timer
// slots note what fired, and that decides when it asks for its next timer (a deadline
// that moved later is asked for again only when the earlier timer fires), so following
// its deadlines instead reorders ties, and with them the figures. An entry with nothing
// due is not counted as an event.

extension Simulation {
    /// Hands the viewer in `slot` the timer it asked for. Returns whether a deadline was
    /// due: false for an entry that found nothing to do, or a session that has ended.
    mutating func fireTimer(_ timer: ViewerStateMachine.Timer, of slot: Int32, _ generation: UInt32) -> Bool {
        guard isCurrent(slot, generation) else { return false }
        let isDue = viewers[Int(slot)].dueTimer(at: now) != nil
        feedViewer(slot, .timerFired(timer))
        return isDue
    }
}

extension SimulatedViewer {
    // `mutating` though it changes nothing: read through `viewers[slot]` from a mutating
    // method, the machine's non-mutating accessors made the compiler copy the whole
    // viewer record (and retain its strings) for each call.

    fileprivate mutating func dueTimer(at now: Timestamp) -> ViewerStateMachine.Timer? { machine.dueTimer(at: now) }
}
