import BranchTree

// A viewer's timers: at most one queue entry per viewer, for its machine's earliest
// deadline. The machine's own `setTimer` actions are not followed: a deadline that moves
// later or goes away (a link came up, a record placed the viewer) would leave a timer
// that fires only to be ignored — a fifth of all events when they were followed. An
// entry whose time no longer matches the viewer's `timerAt` is outdated and dropped
// without being counted as an event.

extension Simulation {
    /// Fires the due timers of the viewer in `slot` when its timer entry comes up, and
    /// sets the entry for its next deadline. Returns false, having done nothing an
    /// observer could see, when the entry is outdated or nothing is due.
    mutating func fireTimers(_ slot: Int32, _ generation: UInt32) -> Bool {
        guard isCurrent(slot, generation), viewers[Int(slot)].timerAt == now.nanoseconds else { return false }
        viewers[Int(slot)].timerAt = .max
        var fired = false
        // Firing a timer clears or moves its deadline past `now`, so this ends.
        while let timer = viewers[Int(slot)].dueTimer(at: now) {
            feedViewer(slot, .timerFired(timer))
            fired = true
        }
        if !fired { armTimer(slot) }
        return fired
    }

    /// Queues a timer entry for the viewer's earliest deadline, unless one is queued for
    /// that time or earlier.
    mutating func armTimer(_ slot: Int32) {
        guard let deadline = viewers[Int(slot)].nextDeadline(),
            deadline.nanoseconds < viewers[Int(slot)].timerAt
        else { return }
        viewers[Int(slot)].timerAt = deadline.nanoseconds
        queue.push(.viewerTimer(slot: slot, generation: viewers[Int(slot)].generation), at: deadline)
    }
}

extension SimulatedViewer {
    // `mutating` though they change nothing: read through `viewers[slot]` from a
    // mutating method, the machine's non-mutating accessors made the compiler copy the
    // whole viewer record (and retain its strings) for each call.

    fileprivate mutating func nextDeadline() -> Timestamp? { machine.nextDeadline }

    fileprivate mutating func dueTimer(at now: Timestamp) -> ViewerStateMachine.Timer? { machine.dueTimer(at: now) }
}
