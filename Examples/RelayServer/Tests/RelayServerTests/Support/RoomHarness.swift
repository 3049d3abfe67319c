import BranchTree

@testable import RelayServer

/// Drives a ``RoomStateMachine`` with pages that behave as the browser pages do, minus
/// the media: they offer when told to open a link, answer offers, and report their
/// links up as soon as the other side answers. Time moves only when a test says so.
struct RoomHarness {
    var room: RoomStateMachine
    var now = Timestamp(nanoseconds: 1_700_000_000_000_000_000)
    /// Every frame each connection received, in order.
    var received: [ConnectionID: [ServerMessage]] = [:]
    var closed: [ConnectionID: String] = [:]
    var timers: [RoomTimer: Timestamp] = [:]
    var pages: [ConnectionID: Page] = [:]
    private var lastConnection: UInt64 = 0
    private var reactions: [RoomEvent] = []

    /// What a simulated page holds.
    struct Page {
        var credentials: SessionCredentials?
        /// Whether it answers commands by itself.
        var automatic = true
        var upstream: (peer: ViewerID, epoch: UInt64, connected: Bool)?
        var downstream: [ViewerID: (epoch: UInt64, connected: Bool)] = [:]
        var offersReceived = 0
    }

    init(fanout: Int = 2, maxViewers: Int = 100, resumeGrace: Duration = .seconds(5), seed: UInt64 = 1) {
        room = try! RoomStateMachine(
            name: RoomName("test")!, configuration: .init(fanout: fanout),
            limits: .init(maxViewers: maxViewers, resumeGrace: resumeGrace), issuer: SessionIssuer(seed: seed))
    }

    init(restoring record: RoomRecord, seed: UInt64 = 2) {
        room = try! RoomStateMachine(
            restoring: record, limits: .init(maxViewers: 100, resumeGrace: .seconds(5)),
            issuer: SessionIssuer(seed: seed))
    }

    // MARK: Pages

    /// Opens a connection and says hello; returns the connection.
    @discardableResult
    mutating func connect(
        _ role: PageMessage.Role, relayable: Bool = true, capacity: Int? = nil, resume: SessionCredentials? = nil,
        automatic: Bool = true
    ) -> ConnectionID {
        lastConnection += 1
        let connection = ConnectionID(rawValue: lastConnection)
        var page = Page(automatic: automatic)
        if let resume,
            let old = self.connection(of: resume.id)
                ?? pages.keys.sorted().last(where: { pages[$0]?.credentials == resume })
        {
            // A page that reconnects its socket keeps its peer connections.
            page.upstream = pages[old]!.upstream
            page.downstream = pages[old]!.downstream
        }
        pages[connection] = page
        handle(
            .hello(
                .init(room: room.name, role: role, relayable: relayable, capacity: capacity, resume: resume),
                on: connection))
        return connection
    }

    /// A page that joins as a viewer and plays; returns its connection.
    @discardableResult
    mutating func viewer(relayable: Bool = true, capacity: Int? = nil) -> ConnectionID {
        connect(.viewer, relayable: relayable, capacity: capacity)
    }

    func id(_ connection: ConnectionID) -> ViewerID { pages[connection]!.credentials!.id }

    func connection(of id: ViewerID) -> ConnectionID? {
        pages.keys.sorted().last { pages[$0]?.credentials?.id == id && closed[$0] == nil }
    }

    /// Sends a frame from a page.
    mutating func send(_ message: PageMessage, from connection: ConnectionID) {
        handle(.message(message, from: connection))
    }

    /// The page's socket closes.
    mutating func drop(_ connection: ConnectionID) {
        closed[connection] = "dropped"
        handle(.disconnected(connection))
    }

    /// Moves time on, firing every timer due by then in order.
    mutating func advance(by duration: Duration) {
        let end = now + duration
        while let (timer, due) = timers.filter({ $0.value <= end }).min(by: {
            ($0.value, "\($0.key)") < ($1.value, "\($1.key)")
        }) {
            timers[timer] = nil
            now = max(now, due)
            handle(.timerFired(timer))
        }
        now = end
    }

    /// The frames a connection received since `mark` (an index into its list).
    func frames(_ connection: ConnectionID, since mark: Int = 0) -> [ServerMessage] {
        Array((received[connection] ?? []).dropFirst(mark))
    }

    func errors(_ connection: ConnectionID) -> [ProtocolError.Code] {
        frames(connection).compactMap { if case .error(let error) = $0 { error.code } else { nil } }
    }

    // MARK: Running

    mutating func handle(_ event: RoomEvent) {
        reactions.append(event)
        while !reactions.isEmpty {
            let next = reactions.removeFirst()
            for effect in room.handle(next, at: now) { apply(effect) }
            try! room.tree.validate()
        }
    }

    private mutating func apply(_ effect: RoomEffect) {
        switch effect {
        case .send(let message, let connection):
            precondition(closed[connection] == nil, "a frame for closed connection \(connection): \(message)")
            received[connection, default: []].append(message)
            react(to: message, on: connection)
        case .close(let connection, let reason):
            closed[connection] = reason.text
        case .setTimer(let timer, let deadline):
            timers[timer] = deadline
        case .cancelTimer(let timer):
            timers[timer] = nil
        }
    }

    /// What a page does on a command, as the browser page would.
    private mutating func react(to message: ServerMessage, on connection: ConnectionID) {
        guard var page = pages[connection] else { return }
        defer { pages[connection] = page }
        if case .welcome(let welcome) = message { page.credentials = welcome.credentials }
        guard page.automatic else { return }
        switch message {
        case .open(let peer, let epoch):
            if let link = page.downstream[peer], link.epoch == epoch, link.connected {
                reactions.append(
                    .message(
                        .link(.init(peer: peer, epoch: epoch, direction: .down, state: .connected)), from: connection))
            } else {
                page.downstream[peer] = (epoch, false)
                reactions.append(
                    .message(
                        .signal(.init(to: peer, epoch: epoch, payload: .description(type: "offer", sdp: "o"))),
                        from: connection))
            }
        case .signal(let from, let epoch, .description(type: "offer", _)):
            page.offersReceived += 1
            page.upstream = (from, epoch, true)
            reactions.append(
                .message(
                    .signal(.init(to: from, epoch: epoch, payload: .description(type: "answer", sdp: "a"))),
                    from: connection))
            reactions.append(
                .message(.link(.init(peer: from, epoch: epoch, direction: .up, state: .connected)), from: connection))
        case .signal(let from, let epoch, .description(type: "answer", _)):
            guard page.downstream[from]?.epoch == epoch else { return }
            page.downstream[from] = (epoch, true)
            reactions.append(
                .message(.link(.init(peer: from, epoch: epoch, direction: .down, state: .connected)), from: connection))
        case .placed(let parent, let epoch, _, _):
            if let upstream = page.upstream, upstream.peer == parent, upstream.epoch == epoch, upstream.connected {
                reactions.append(
                    .message(
                        .link(.init(peer: parent, epoch: epoch, direction: .up, state: .connected)), from: connection))
            }
        case .close(let peer):
            if page.upstream?.peer == peer { page.upstream = nil }
            page.downstream[peer] = nil
        default:
            break
        }
    }

    // MARK: Checks

    /// Whether every viewer in the tree is receiving, and its page's upstream is its
    /// parent in the tree.
    func everyoneReceives() -> Bool { notReceiving().isEmpty }

    /// The viewers in the tree that are not receiving from their parent, and why.
    func notReceiving() -> [String] {
        room.tree.viewers.compactMap { viewer in
            guard let session = room.sessions[viewer.uuid] else { return "\(viewer.uuid): no session" }
            guard session.machine.phase == .receiving else { return "\(viewer.uuid): \(session.machine.phase)" }
            guard let connection = session.connection else { return "\(viewer.uuid): away" }
            guard let upstream = pages[connection]?.upstream else { return "\(viewer.uuid): page has no upstream" }
            guard upstream.peer == viewer.parentUUID, upstream.connected else {
                return "\(viewer.uuid): page receives from \(upstream.peer), tree says \(viewer.parentUUID)"
            }
            return nil
        }
    }
}
