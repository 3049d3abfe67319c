import BranchTree

/// One room, as a pure state machine: the broadcaster's ``BroadcasterStateMachine``, a
/// ``ViewerStateMachine`` for every viewer page, and the mapping from their actions to
/// frames for the pages.
///
/// Feed it what the pages send, their sockets closing and its timers, each with the
/// current time; it answers with ``RoomEffect``s: frames to send, sockets to close,
/// timers to set. It never touches a socket or a clock, so tests drive it directly.
///
/// The machines talk to each other in-process: a `request_stream` from a viewer's
/// machine goes straight to its parent's, a `branch_data` from the broadcaster's straight
/// to the viewer's, in the order they were sent. Pages only see what WebRTC must do:
/// open, close and switch links, and the SDP between two peers the tree links.
///
/// While the broadcaster's page is away (before it first comes, while it reloads, after
/// a server restart) the room keeps its tree and viewers, but holds back whatever needs
/// that page: messages to the broadcaster and its timers. When the page comes back to a
/// tree with viewers in it, the broadcaster machine restarts with
/// ``RestartStrategy/restore``: viewers confirm and keep their links.
struct RoomStateMachine: Sendable {
    let name: RoomName
    let limits: Limits
    let timings: ProtocolTimings
    var broadcaster: BroadcasterStateMachine
    /// The secret of the page that owns the broadcast, once one came.
    var ownerToken: String?
    /// The broadcaster page's connection, while it is here.
    var broadcasterConnection: ConnectionID?
    var sessions: [ViewerID: ViewerSession] = [:]
    /// Sessions saved before a server restart whose pages have not come back yet.
    var savedSessions: [ViewerID: String] = [:]
    /// Who each connection that said hello is.
    var members: [ConnectionID: Member] = [:]
    var statistics = RoomStatistics()
    var issuer: SessionIssuer
    /// Whether the tree changed since ``takeTreeChanged()`` last said so.
    var treeChanged = false

    struct Limits: Sendable, Equatable {
        /// The most viewer sessions a room holds.
        var maxViewers: Int
        /// How long a viewer whose socket closed may take to resume before it leaves.
        var resumeGrace: Duration
    }

    enum Member: Sendable, Equatable {
        case broadcaster
        case viewer(ViewerID)
    }

    /// A new, empty room.
    init(
        name: RoomName, configuration: BranchTree.Configuration, limits: Limits,
        timings: ProtocolTimings = ProtocolTimings(), issuer: SessionIssuer = SessionIssuer()
    ) throws(BranchTreeError) {
        self.name = name
        self.limits = limits
        self.timings = timings
        self.issuer = issuer
        broadcaster = BroadcasterStateMachine(
            tree: try BranchTree(broadcaster: Self.broadcasterID, configuration: configuration), timings: timings)
    }

    /// A room restored from what the server saved before it stopped.
    init(
        restoring record: RoomRecord, limits: Limits, timings: ProtocolTimings = ProtocolTimings(),
        issuer: SessionIssuer = SessionIssuer()
    ) throws(BranchTreeError) {
        self.name = record.room
        self.limits = limits
        self.timings = timings
        self.issuer = issuer
        broadcaster = BroadcasterStateMachine(tree: try BranchTree(snapshot: record.snapshot), timings: timings)
        ownerToken = record.ownerToken
        for session in record.sessions { savedSessions[session.id] = session.token }
    }

    /// The broadcaster's id in every room.
    static let broadcasterID: ViewerID = "broadcaster"

    var tree: BranchTree { broadcaster.tree }

    /// Whether the broadcaster's page is here.
    var isLive: Bool { broadcasterConnection != nil }

    /// Whether nobody is connected or expected back.
    var isIdle: Bool { members.isEmpty && sessions.isEmpty }

    /// Whether the tree changed since the last call: the caller saves a snapshot then.
    mutating func takeTreeChanged() -> Bool {
        defer { treeChanged = false }
        return treeChanged
    }

    /// What the server saves to restore the room after a restart.
    /// - Complexity: O(n log n)
    func record() -> RoomRecord {
        var credentials = sessions.values.map(\.credentials)
        for (id, token) in savedSessions where tree.contains(id) {
            credentials.append(SessionCredentials(id: id, token: token))
        }
        credentials.sort { $0.id < $1.id }
        return RoomRecord(room: name, snapshot: tree.snapshot(), ownerToken: ownerToken, sessions: credentials)
    }

    /// Handles one event at `now` and returns what to do, in order.
    /// - Complexity: O(log n + k) per machine input (k: viewers a change interrupts);
    ///   O(n) when the broadcaster's page comes back.
    mutating func handle(_ event: RoomEvent, at now: Timestamp) -> [RoomEffect] {
        var run = Run(now: now)
        switch event {
        case .hello(let hello, let connection):
            self.hello(hello, on: connection, in: &run)
        case .message(let message, let connection):
            statistics.framesIn += 1
            guard let member = members[connection] else {
                run.refuse(ProtocolError(.helloFirst, "say hello first"), to: connection)
                break
            }
            receive(message, from: member, on: connection, in: &run)
        case .disconnected(let connection):
            disconnected(connection, in: &run)
        case .timerFired(let timer):
            timerFired(timer, in: &run)
        }
        deliverMail(in: &run)
        for effect in run.effects {
            if case .send(let message, _) = effect {
                statistics.framesOut += 1
                if case .error(let error) = message { statistics.refused[error.code, default: 0] += 1 }
            }
        }
        return run.effects
    }

    /// The work of one event: the effects so far and the machines' messages to each
    /// other, delivered in the order they were sent.
    struct Run {
        let now: Timestamp
        var effects: [RoomEffect] = []
        var mail: [(message: RelayMessage, from: ViewerID, to: ViewerID)] = []
        var nextMail = 0

        init(now: Timestamp) { self.now = now }

        mutating func send(_ message: ServerMessage, to connection: ConnectionID) {
            effects.append(.send(message, to: connection))
        }

        mutating func refuse(_ error: ProtocolError, to connection: ConnectionID) {
            effects.append(.send(.error(error), to: connection))
        }
    }
}
