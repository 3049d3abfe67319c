import BranchTree

extension RelayNetwork {
    /// Something the scheduler does at a virtual time.
    enum Event: Sendable {
        case churnTick
        case startBroadcaster
        /// With `save`, the restart restores that tree rather than the latest save.
        case crashBroadcaster(restartAfter: Duration?, strategy: RestartStrategy?, save: BranchTree?)
        case restartBroadcaster(RestartStrategy, save: BranchTree?)
        case startViewer(Int)
        case depart(Int, abrupt: Bool)
        /// The signalling server tells the broadcaster (in `incarnation`) that `node`'s
        /// session ended.
        case disconnected(Int, incarnation: Int)
        /// A signalling message reaches `node` (the broadcaster only in `incarnation`).
        case message(RelayMessage, from: Int, to: Int, incarnation: Int)
        /// A timer fires; with `latestTimerOnly`, only if no later one of its kind replaced it.
        case viewerTimer(Int, ViewerStateMachine.Timer, generation: Int)
        case broadcasterTimer(BroadcasterStateMachine.Timer, incarnation: Int, generation: Int)
        /// A link's set-up ends, one way or the other.
        case linkSetUp(Int)
        /// `node` learns that a link it holds is up (the two ends learn it apart).
        case linkUp(Int, notify: Int)
        /// `node` notices that a link it holds has closed.
        case linkClosed(Int, notify: Int)
        /// Log only: how a set-up ended.
        case linkOutcome(Int, String)
        /// Log only: a message was lost.
        case messageDropped(RelayMessage, from: Int, to: Int)
    }

    enum LinkState: Sendable, Hashable { case settingUp, up, closed }

    /// One peer connection, `parent → child`. A node holds a link (in `held`) from the
    /// moment it knows it: the parent when it opens it, the child once it is up.
    struct LinkRecord: Sendable {
        var parent: Int
        var child: Int
        var epoch: UInt64
        var state: LinkState
    }

    struct Peer: Sendable {
        var machine: ViewerStateMachine
        var status: ViewerStatus
        /// How many viewers it relays to: 0 when it cannot relay.
        var capacity: Int
    }

    struct TimerKey: Hashable, Sendable {
        var node: Int
        var kind: Int
    }
}
