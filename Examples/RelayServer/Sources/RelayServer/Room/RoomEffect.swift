import BranchTree

/// What a ``RoomStateMachine`` asks the server to do, in order.
enum RoomEffect: Sendable, Equatable {
    /// Send a frame to a connection.
    case send(ServerMessage, to: ConnectionID)
    /// Close a connection, after the frames before this effect.
    case close(ConnectionID, CloseReason)
    /// Call ``RoomStateMachine/handle(_:at:)`` with `.timerFired(timer)` at `deadline`,
    /// replacing any timer with the same key.
    case setTimer(RoomTimer, at: Timestamp)
    /// Drop the timer with this key, if any.
    case cancelTimer(RoomTimer)
}
