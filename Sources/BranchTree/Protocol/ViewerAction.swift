/// What a ``ViewerStateMachine`` asks its caller to do. The machine says what, never how:
/// the caller owns the signalling connection, the peer connections and the timers.
public enum ViewerAction: Sendable, Hashable {
    /// Send `message` to `recipient` over the signalling channel (`join` and
    /// `close_branch` go to the broadcaster, `request_stream` to the new parent).
    case send(RelayMessage, to: ViewerID)
    /// A new link: open a peer connection to `child` and relay the stream over it. Tell
    /// the machine when it is up (``ViewerStateMachine/Input/downstreamConnected(_:)``)
    /// or failed (``ViewerStateMachine/Input/downstreamClosed(_:)``).
    case openDownstream(child: ViewerID, epoch: UInt64)
    /// Close the peer connection with `peer` (the old parent, or a child the tree moved
    /// away). A viewer has at most one link with a peer, so `peer` names it; the closed
    /// connection's own events must not reach the machine any more.
    case closeLink(ViewerID)
    /// Kept links: the upstream stream is new (a new parent, or the old one re-fed), so
    /// hand it to these children's existing connections with `replaceTrack` — no new
    /// connection, no renegotiation.
    case replaceTrack(children: [ViewerID])
    /// Call ``ViewerStateMachine/handle(_:at:into:)`` with `.timerFired(timer)` at
    /// `deadline` (a timer that turns out early or stale is ignored).
    case setTimer(ViewerStateMachine.Timer, at: Timestamp)
    /// The viewer has a place: under `parent` at `depth`. `keptUpstream` tells whether
    /// its link to `parent` already existed (nothing to reconnect) or is new.
    case placed(parent: ViewerID, depth: Int, keptUpstream: Bool)
    /// The input changed nothing, for this reason (counted, never fatal).
    case ignored(ViewerStateMachine.IgnoreReason)
}
