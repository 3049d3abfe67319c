extension ViewerStateMachine {
    // For a caller that keeps its own timers: instead of the `setTimer` actions (which
    // leave timers that turn out stale once a deadline moves or goes away), it asks the
    // machine for its deadlines after each input and fires a timer only when one is due.
    // The machine acts on a timer by its deadlines alone, so both ways behave the same.

    /// The earliest of the machine's deadlines, or nil when nothing is awaited: the next
    /// `join`, the upstream link's deadline, the first child's deadline.
    ///
    /// - Complexity: O(fan-out)
    package var nextDeadline: Timestamp? {
        var earliest = nextJoin
        if let due = upstream?.deadline, earliest.map({ due < $0 }) ?? true { earliest = due }
        if let due = downstream.nextDeadline, earliest.map({ due < $0 }) ?? true { earliest = due }
        return earliest
    }

    /// A timer with a deadline at or before `now`, or nil when none is due: what to fire
    /// (with ``Input/timerFired(_:)``) before anything else happens at `now`. Firing it
    /// clears or moves that deadline, so the caller fires until this is nil.
    ///
    /// - Complexity: O(fan-out)
    package func dueTimer(at now: Timestamp) -> Timer? {
        if let due = nextJoin, due <= now { return .joinRetry }
        if let due = upstream?.deadline, due <= now { return .upstream }
        if let due = downstream.nextDeadline, due <= now { return .downstream }
        return nil
    }
}
