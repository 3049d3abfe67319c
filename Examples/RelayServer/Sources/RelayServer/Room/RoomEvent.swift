import BranchTree

/// Everything a room can be told: what its pages send, their sockets closing, its timers.
enum RoomEvent: Sendable, Equatable {
    /// A connection's first frame.
    case hello(PageMessage.Hello, on: ConnectionID)
    /// A later frame from a connection that said hello.
    case message(PageMessage, from: ConnectionID)
    /// The connection closed.
    case disconnected(ConnectionID)
    /// A timer asked for with ``RoomEffect/setTimer(_:at:)`` fired.
    case timerFired(RoomTimer)
}

/// The timers a room asks for: its machines' own, and the wait for a dropped page to
/// come back. A room keeps one per key; a newer request replaces the older.
enum RoomTimer: Sendable, Hashable {
    case broadcaster(BroadcasterStateMachine.Timer)
    case viewer(ViewerID, ViewerStateMachine.Timer)
    /// A viewer's socket closed: end its session unless it resumes by then.
    case resumeGrace(ViewerID)
}
