extension ViewerStateMachine {
    // For a caller that keeps its own timers. Either it ignores the `setTimer` actions
    // (which leave timers that turn out stale once a deadline moves or goes away), asks
    // the machine for its deadlines after each input and fires a timer only when one is
    // due; or it keeps every timer asked for but drops, ahead of time, those that would
    // find nothing to do (the simulator: most of its timers). The machine acts on a timer
    // by its deadlines alone, so every way behaves the same.

    /// The timer kinds in the order a caller fires those due at the same instant.
    private static let firingOrder: [Timer] = [.joinRetry, .upstream, .downstream]

    /// The deadline a timer of kind `timer` acts on, or nil when such a timer, fired now,
    /// would find nothing to do: the next `join`, the upstream link's deadline, or the
    /// first child's deadline.
    ///
    /// - Complexity: O(fan-out)
    package func deadline(for timer: Timer) -> Timestamp? {
        switch timer {
        case .joinRetry: nextJoin
        case .upstream: upstream?.deadline
        case .downstream: downstream.nextDeadline
        }
    }

    /// The earliest of the machine's deadlines (``deadline(for:)`` of each kind), or nil
    /// when nothing is awaited.
    ///
    /// - Complexity: O(fan-out)
    package var nextDeadline: Timestamp? {
        Self.firingOrder.lazy.compactMap { deadline(for: $0) }.min()
    }

    /// A timer with a deadline at or before `now`, or nil when none is due: what to fire
    /// (with ``Input/timerFired(_:)``) before anything else happens at `now`. Firing it
    /// clears or moves that deadline, so the caller fires until this is nil.
    ///
    /// - Complexity: O(fan-out)
    package func dueTimer(at now: Timestamp) -> Timer? {
        Self.firingOrder.first { deadline(for: $0).map { $0 <= now } ?? false }
    }

    /// Forgets the timer of kind `timer` due at `due` that this machine asked for, and
    /// returns true, if it would find nothing to do: ``deadline(for:)`` is nil. The
    /// caller then drops it unfired, and the machine asks for a timer again when a
    /// deadline of that kind comes. Returns false, changing nothing, otherwise.
    ///
    /// Correct at any time up to `due`: until then, a timer with no deadline of its kind
    /// would fire with nothing to do. Mutating, so that a caller holding machines in an
    /// array asks in place (a non-mutating call from another module copied the machine).
    ///
    /// - Complexity: O(fan-out)
    package mutating func dropTimerIfIdle(_ timer: Timer, due: Timestamp) -> Bool {
        guard deadline(for: timer) == nil else { return false }
        switch timer {
        case .joinRetry: joinTimer.dropped(due: due)
        case .upstream: upstreamTimer.dropped(due: due)
        case .downstream: downstreamTimer.dropped(due: due)
        }
        return true
    }
}
