/// One kind of timer a state machine asks its caller for.
///
/// The machines never cancel a timer: they ask for one when none is due early enough,
/// and when one fires they look at their own deadlines and ignore it if nothing is due.
/// So the caller may keep every timer it was asked for, or only the latest per kind (a
/// server's timer wheel), or ignore the requests and fire by the machine's own deadlines
/// (`ViewerStateMachine.nextDeadline`); all are correct, though the last may order
/// same-instant timers of different machines differently (the simulator keeps every one).
struct TimerSlot: Sendable, Hashable {
    /// The earliest timer asked for and not yet fired.
    private(set) var armed: Timestamp?

    /// Whether a new timer must be set for `deadline`: false when one already fires
    /// at or before it.
    mutating func needsTimer(for deadline: Timestamp) -> Bool {
        if let armed, armed <= deadline { return false }
        armed = deadline
        return true
    }

    /// Notes that a timer fired at `now`.
    mutating func fired(at now: Timestamp) {
        if let armed, armed <= now { self.armed = nil }
    }
}
