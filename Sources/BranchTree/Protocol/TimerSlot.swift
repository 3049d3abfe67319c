/// One kind of timer a state machine asks its caller for.
///
/// The machines never cancel a timer: they ask for one when none is due early enough,
/// and when one fires they look at their own deadlines and ignore it if nothing is due.
/// So the caller may keep every timer it was asked for, or only the latest per kind (a
/// server's timer wheel), or ignore the requests and fire by the machine's own deadlines
/// (`ViewerStateMachine.nextDeadline`); all are correct, though the last may order
/// same-instant timers of different machines differently. The simulator keeps every one
/// but drops, shortly before it is due, a timer with no deadline of its kind left
/// (`ViewerStateMachine.dropTimerIfIdle(_:due:)`).
struct TimerSlot: Sendable, Hashable {
    /// The earliest timer asked for and not yet fired, in nanoseconds, or
    /// ``unarmed``: eight bytes instead of an optional's nine, which three slots side by
    /// side in a viewer machine each padded to sixteen (24 bytes per viewer; a simulation
    /// holds a million machines).
    private var armedNanoseconds = TimerSlot.unarmed

    /// The value that means no timer is armed. A deadline at that instant (the earliest
    /// representable one) is therefore never remembered, and each ask for it gets a
    /// timer of its own: harmless, since a machine ignores a timer with nothing due.
    private static var unarmed: Int64 { .min }

    /// Whether a new timer must be set for `deadline`: false when one already fires
    /// at or before it.
    mutating func needsTimer(for deadline: Timestamp) -> Bool {
        if armedNanoseconds != Self.unarmed, armedNanoseconds <= deadline.nanoseconds { return false }
        armedNanoseconds = deadline.nanoseconds
        return true
    }

    /// Notes that the caller dropped the timer due at `due` unfired: if it is the one
    /// remembered, none is armed now. (A later one remembered stays: it is still pending.)
    mutating func dropped(due: Timestamp) {
        if armedNanoseconds == due.nanoseconds { armedNanoseconds = Self.unarmed }
    }

    /// Notes that a timer fired at `now`.
    mutating func fired(at now: Timestamp) {
        if armedNanoseconds != Self.unarmed, armedNanoseconds <= now.nanoseconds { armedNanoseconds = Self.unarmed }
    }
}
