import BranchTree

// A viewer's timers: one queue entry per `setTimer` action, pushed when the machine asks,
// so that same-instant timers of different viewers keep the order their requests were
// made in. A timer that fires reaches the machine even when nothing is due yet: its timer
// slots note what fired, and that decides when it asks for its next timer (a deadline
// that moved later is asked for again only when the earlier timer fires), so following
// its deadlines instead would reorder ties, and with them the figures.
//
// Most timers would find nothing at all to do: a connection timeout after the link came
// up, a join retry after the record came (470,854 of the default run's 472,336). They are
// dropped, unfired and not counted as events, when their fine bucket of the queue opens
// (with events as dense as a broadcast's, within about 67 ms of their time): a timer
// whose session has ended, or whose machine has no deadline of its kind then (449,463 of
// them). The machine forgets it (`dropTimerIfIdle`), so it asks for a timer again if a
// deadline of that kind comes back before the dropped one was due. That timer is then
// queued when the deadline is set, not when the dropped one would have fired and asked
// for it: among timers due at the same instant it can come out in another order.
// Reports are the same but for that (and the events): on every comparison run, up to
// 10⁵ viewers for an hour; the hour at 10⁶ parts there.

extension Simulation {
    /// Hands the viewer in `slot` the timer it asked for, unless its session has ended.
    mutating func fireTimer(_ timer: ViewerStateMachine.Timer, of slot: Int32, _ generation: UInt32) {
        guard isCurrent(slot, generation) else { return }
        feedViewer(slot, .timerFired(timer))
    }

    /// Opens the queue's next buckets (see ``EventQueue/openBuckets(before:dropping:)``),
    /// dropping the viewers' timers that would find nothing to do.
    mutating func openQueueBuckets(before limit: Timestamp) {
        // Out of the simulation while it opens: the filter reads and changes the machines.
        var pending = EventQueue<SimulationEvent>()
        swap(&pending, &queue)
        pending.openBuckets(before: limit) { time, event in dropsTimer(event, dueAt: time) }
        swap(&pending, &queue)
    }

    /// Whether `event`, due at `due`, is a viewer's timer that would find nothing to do:
    /// its session has ended, or its machine has no deadline of its kind. The machine
    /// forgets the dropped timer.
    private mutating func dropsTimer(_ event: SimulationEvent, dueAt due: Timestamp) -> Bool {
        guard case .viewerTimer(let slot, let generation, let timer) = event else { return false }
        let drops = !isCurrent(slot, generation) || machines[Int(slot)].dropTimerIfIdle(timer, due: due)
        if drops { droppedTimers += 1 }
        return drops
    }
}
