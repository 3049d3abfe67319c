import BranchTree

/// Something that happens at one instant of a simulation. Kept small (32 bytes) and
/// trivial (no strings or references, so moving one through the queue's heaps costs no
/// reference counting): events sit in a queue millions deep, so messages wait in
/// ``InFlightMessages`` and an event names them by place, and viewers by slot and
/// generation.
enum SimulationEvent: Sendable {
    /// What reaches a viewer.
    enum Delivery: Sendable {
        /// The message held at this place of the in-flight table.
        case message(Int32)
        case upstreamClosed
        /// The link to the child in this slot and generation closed.
        case downstreamClosed(slot: Int32, generation: UInt32)
    }

    /// The next viewer arrives.
    case arrival
    /// A viewer's session ends.
    case sessionEnd(slot: Int32, generation: UInt32)
    /// Something reaches a viewer: a message or a link event.
    case viewer(slot: Int32, generation: UInt32, Delivery)
    /// A timer the viewer asked for (see `Simulation.fireTimer`).
    case viewerTimer(slot: Int32, generation: UInt32, ViewerStateMachine.Timer)
    /// The viewers held at this place of ``SeveredLinks`` notice, one after another,
    /// that their upstream link went down.
    case upstreamsClosed(Int32)
    /// The message held at this place of the in-flight table reaches the broadcaster
    /// (dropped while it is down).
    case messageToBroadcaster(Int32)
    /// The signalling server tells the broadcaster that a viewer's session ended.
    case viewerDisconnected(slot: Int32, generation: UInt32)
    /// The broadcaster's link to the viewer in this slot and generation closed.
    case broadcasterLinkClosed(slot: Int32, generation: UInt32)
    /// A timer reaches the broadcaster.
    case broadcasterTimer(BroadcasterStateMachine.Timer)
    /// A peer connection opened by `parent` to a viewer finishes setting up (or fails).
    case linkSetUp(parent: SimulatedNode, slot: Int32, generation: UInt32)
    /// The broadcaster process stops, and later starts again.
    case broadcasterDown
    case broadcasterUp
    /// Time to record a point of the time series.
    case sample
}
