/// What a ``BroadcasterStateMachine`` asks its caller to do, or tells it happened.
public enum BroadcasterAction: Sendable, Hashable {
    /// Send `message` to `viewer` over the signalling channel.
    case send(RelayMessage, to: ViewerID)
    /// A first viewer asked for the stream: open a peer connection to it and send the
    /// broadcast. Tell the machine when it is up or failed.
    case openDownstream(child: ViewerID, epoch: UInt64)
    /// Close the broadcaster's peer connection with this viewer.
    case closeLink(ViewerID)
    /// Call ``BroadcasterStateMachine/handle(_:at:into:)`` with `.timerFired(timer)` at
    /// `deadline` (a timer that turns out early or stale is ignored).
    case setTimer(BroadcasterStateMachine.Timer, at: Timestamp)
    /// The tree changed: who moved, which links to cut and create, who is interrupted.
    /// The `send` actions that carry it out follow.
    case treeChanged(TreeChange)
    /// A viewer was removed from the tree, and why.
    case viewerRemoved(ViewerID, reason: BroadcasterStateMachine.RemovalReason)
    /// The input changed nothing, for this reason (count them: none is fatal).
    case ignored(BroadcasterStateMachine.IgnoreReason)
}
