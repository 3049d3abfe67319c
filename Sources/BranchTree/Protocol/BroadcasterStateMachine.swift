/// The broadcaster side of the relay protocol, as a pure state machine: the coordinator
/// a signalling server embeds, owning the relay tree.
///
/// Feed it the messages viewers send, its own links to the first viewers coming up or
/// closing, its timers and its restarts, each with the current time; it answers with
/// ``BroadcasterAction``s: messages to send, links to open or close, timers to set, and
/// what changed in the tree. It never touches the network or a clock.
///
///     var broadcaster = try BroadcasterStateMachine(tree: BranchTree(fanout: 3))
///     let actions = broadcaster.handle(.received(.join(.init()), from: "A"), at: .zero)
///     // [.treeChanged(...), .send(.branchData(parent: "root", ...), to: "A")]
///
/// What it guarantees, whatever the order, delay or duplication of messages:
/// - A `join` from a viewer already in the tree changes nothing and re-sends its record,
///   so a re-sent `join` can never place a viewer twice.
/// - A `close_branch` removes a viewer only when it comes from the viewer's current
///   parent and quotes the epoch of the link that exists now. A stale report — from a
///   moved viewer's old parent, or about a link since replaced — is ignored with its
///   reason, and a viewer's real departure is always reported by its current parent.
///   There is no ignore list to go stale, so no departed viewer stays in the tree.
/// - After every change, every viewer whose parent or children changed gets its new
///   record; viewers below a repair keep their links (``TreeChange/keepingLink``).
/// - A viewer taken out of the tree while it may still be watching (its link was
///   reported closed, it did not confirm after a restart, or a repair evicted it) is
///   sent `reconnect_root`, so it joins again at once instead of waiting out
///   ``ProtocolTimings/repairTimeout``.
/// - A restart either rebuilds the tree from fresh joins, as the seed intended, or
///   restores the saved tree and only drops the viewers that do not answer
///   (``RestartStrategy``).
/// - After a restart, a viewer the saved tree misses is told to join (`reconnect_root`)
///   as soon as the broadcaster hears of it: its first message (a `close_branch` or
///   `request_stream`, as if it were placed), or its parent's report that it dropped it
///   (a `close_branch` about it, quoting a link older than the restart). So a stale save
///   costs a few messages per missing level, never a ``ProtocolTimings/repairTimeout``
///   per level.
public struct BroadcasterStateMachine: Sendable {
    /// The timers the broadcaster asks for.
    public enum Timer: Sendable, Hashable {
        /// A first viewer is overdue to connect.
        case downstream
        /// The restore window after a restart is over.
        case restoreWindow
    }

    /// Everything the machine can be told.
    public enum Input: Sendable, Equatable {
        /// A signalling message arrived from `sender`.
        case received(RelayMessage, from: ViewerID)
        /// The broadcaster's link to this first viewer is up.
        case downstreamConnected(ViewerID)
        /// The broadcaster's link to this first viewer closed or failed.
        case downstreamClosed(ViewerID)
        /// A timer asked for with ``BroadcasterAction/setTimer(_:at:)`` fired.
        case timerFired(Timer)
        /// The viewer's signalling session ended: it closed the page, or the server's
        /// keep-alive gave up on it. It is removed at once, whoever its parent is: its
        /// parent may never report it (the link to it was not up, or the parent left
        /// too). Feed nothing from that session afterwards; a session id is never reused.
        case viewerDisconnected(ViewerID)
        /// The broadcaster process restarted within the same broadcast with this saved
        /// tree (restore it from the ``BranchTree/Snapshot`` you persisted). Every link
        /// and timer of the old process is gone.
        // Indirect: a tree stored inline would make every input as large as the tree.
        indirect case restarted(from: BranchTree, strategy: RestartStrategy)
    }

    /// Why a viewer left the tree.
    public enum RemovalReason: Sendable, Hashable {
        /// Its parent (or the broadcaster itself) saw the link close, or the viewer never
        /// connected in time.
        case linkClosed(reportedBy: ViewerID)
        /// It did not confirm its place within the restore window after a restart.
        case unconfirmedAfterRestart
        /// Its signalling session ended (``Input/viewerDisconnected(_:)``).
        case disconnected
    }

    /// Why an input changed nothing.
    public enum IgnoreReason: Sendable, Hashable {
        /// A `close_branch` or `request_stream` from someone who is not in the tree
        /// (rejected). After a restart such a sender is told to join instead: the saved
        /// tree may have missed it.
        case unknownSender(ViewerID)
        /// A `close_branch` or a disconnection about a viewer that is not in the tree
        /// (already removed). After a restart, a `close_branch` over a link older than it
        /// tells that viewer to join instead: the saved tree missed it.
        case unknownViewer(ViewerID)
        /// A `close_branch` from a viewer that is not the child's parent.
        case notParent(reporter: ViewerID, child: ViewerID)
        /// A `close_branch` quoting a link that has since been replaced.
        case staleEpoch(child: ViewerID, epoch: UInt64)
        /// A `join` the tree refused (no relay slot for a viewer that cannot relay, an
        /// invalid capacity, a reserved or empty id). The viewer keeps trying.
        case joinRefused(ViewerID, BranchTreeError)
        /// A message the broadcaster never handles (`branch_data`, `reconnect_root`).
        case unexpectedMessage(String, from: ViewerID)
        /// A `request_stream` that matches none of the broadcaster's links.
        case unknownLink(child: ViewerID, epoch: UInt64)
        /// A `request_stream` for a link already opening or open.
        case duplicateRequest(ViewerID)
        /// A link event about a viewer the broadcaster has no such link with.
        case unknownLinkEvent(ViewerID)
        /// A timer fired with nothing due.
        case staleTimer(Timer)
    }

    /// The relay tree. Persist ``BranchTree/snapshot()`` of it to survive a restart.
    public internal(set) var tree: BranchTree
    /// The protocol's waits this machine uses for its deadlines.
    public let timings: ProtocolTimings

    /// The broadcaster's own links, to the first viewers.
    var firstViewerLinks = DownstreamLinks()

    /// The first viewers whose link from the broadcaster is up (for test drivers).
    package var connectedFirstViewers: [ViewerID] { firstViewerLinks.connectedChildren }
    var downstreamTimer = TimerSlot()
    /// The first link epoch issued since the last restart: links with older epochs were
    /// made by an earlier process. Nil before any restart.
    var restartEpoch: UInt64?
    /// After a restore: the viewers that have not confirmed yet, and until when they may.
    var unconfirmed: Set<ViewerID> = []
    var restoreDeadline: Timestamp?
    var restoreTimer = TimerSlot()
    /// The last join's or leave's change, in buffers kept between operations.
    var recorder = _ProtocolRecorder()
    /// The buffer `carryOut(at:into:)` gathers a change's recipients in.
    var recipientBuffer: [Int32] = []

    /// Whether a change to the tree is reported as a ``BroadcasterAction/treeChanged(_:)``
    /// action. A simulator that only counts what departures cost turns it off and reads
    /// ``departures`` instead, which allocates nothing per operation.
    package var reportsTreeChanges = true
    /// An id the caller has the ``BranchTree/indexHash(of:)`` of (the sender of the next
    /// input, or the viewer it names), so that the machine does not hash that id again.
    /// Only a hint: used for an id equal to it, and cleared by every input.
    package var knownIDHash: (id: ViewerID, hash: UInt32)?
    /// With ``reportsTreeChanges`` off, the departures of the last input; else empty.
    package internal(set) var departures = DepartureLog()

    /// A broadcaster starting a broadcast with `tree` (normally empty; its
    /// configuration chooses fan-out and policy).
    public init(tree: BranchTree, timings: ProtocolTimings = ProtocolTimings()) {
        self.tree = tree
        self.timings = timings
    }

    /// The viewers still expected to confirm after a restore, in level order.
    /// - Complexity: O(n)
    public var awaitingConfirmation: [ViewerID] {
        unconfirmed.isEmpty ? [] : tree.levelOrderIDs().filter(unconfirmed.contains)
    }

    /// Handles one input at `now`, appending the actions to carry out to `actions`.
    ///
    /// `input` is consumed: a message's payload moves on to where it is read, uncopied.
    /// - Complexity: O(log n + k) for a message that changes the tree (k: viewers it
    ///   interrupts), O(fan-out) for other messages, O(n) for a restart or the end of a
    ///   restore window.
    public mutating func handle(
        _ input: consuming Input, at now: Timestamp, into actions: inout [BroadcasterAction]
    ) {
        departures.removeAll()
        defer { knownIDHash = nil }
        switch consume input {
        case .received(let message, let sender):
            receive(message, from: sender, at: now, into: &actions)
        case .downstreamConnected(let child):
            if !firstViewerLinks.connected(child) { actions.append(.ignored(.unknownLinkEvent(child))) }
        case .downstreamClosed(let child):
            guard let entry = firstViewerLinks.closed(child) else {
                return actions.append(.ignored(.unknownLinkEvent(child)))
            }
            linkFailed(entry, reportedBy: tree.broadcaster, at: now, into: &actions)
        case .timerFired(let timer):
            timerFired(timer, at: now, into: &actions)
        case .viewerDisconnected(let viewer):
            guard let found = tree.findSlot(of: viewer, hash: indexHash(of: viewer)) else {
                return actions.append(.ignored(.unknownViewer(viewer)))
            }
            remove(viewer, found: found, reason: .disconnected, at: now, into: &actions)
        case .restarted(let saved, let strategy):
            restart(from: saved, strategy: strategy, at: now, into: &actions)
        }
    }

    /// Handles one input at `now` and returns the actions to carry out.
    /// - Complexity: As ``handle(_:at:into:)``.
    public mutating func handle(_ input: consuming Input, at now: Timestamp) -> [BroadcasterAction] {
        var actions: [BroadcasterAction] = []
        handle(input, at: now, into: &actions)
        return actions
    }
}
