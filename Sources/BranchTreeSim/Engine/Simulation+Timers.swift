import BranchTree

// A viewer's timers: one queue entry per `setTimer` action, pushed when the machine asks,
// so that same-instant timers of different viewers keep the order their requests were
// made in. Every entry reaches the machine, even when nothing is due: the machine's timer
// slots note what fired, and that decides when it asks for its next timer (a deadline
// that moved later is asked for again only when the earlier timer fires), so following
// its deadlines instead reorders ties, and with them the figures.

extension Simulation {
    /// Hands the viewer in `slot` the timer it asked for, unless its session has ended.
    mutating func fireTimer(_ timer: ViewerStateMachine.Timer, of slot: Int32, _ generation: UInt32) {
        guard isCurrent(slot, generation) else { return }
        feedViewer(slot, .timerFired(timer))
    }
}
