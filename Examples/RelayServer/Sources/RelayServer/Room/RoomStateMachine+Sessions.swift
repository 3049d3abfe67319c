import BranchTree

extension RoomStateMachine {
    /// A connection's first frame: a new session, a resumed one, or the broadcaster.
    mutating func hello(_ hello: PageMessage.Hello, on connection: ConnectionID, in run: inout Run) {
        guard members[connection] == nil else {
            return run.refuse(ProtocolError(.alreadyHello, "this connection already said hello"), to: connection)
        }
        switch hello.role {
        case .broadcaster: broadcasterArrived(hello, on: connection, in: &run)
        case .viewer: viewerArrived(hello, on: connection, in: &run)
        }
    }

    private mutating func broadcasterArrived(
        _ hello: PageMessage.Hello, on connection: ConnectionID, in run: inout Run
    ) {
        let resumed: Bool
        if let ownerToken {
            guard hello.resume == SessionCredentials(id: Self.broadcasterID, token: ownerToken) else {
                run.refuse(ProtocolError(.roomTaken, "room \(name) already has a broadcaster"), to: connection)
                return run.effects.append(.close(connection, .refused("room taken")))
            }
            resumed = true
        } else {
            ownerToken = issuer.token()
            resumed = false
        }
        if let old = broadcasterConnection {
            members[old] = nil
            run.effects.append(.close(old, .replaced))
        }
        broadcasterConnection = connection
        members[connection] = .broadcaster
        run.send(
            .welcome(
                .init(
                    room: name, credentials: SessionCredentials(id: Self.broadcasterID, token: ownerToken!),
                    role: .broadcaster, broadcaster: Self.broadcasterID, fanout: tree.configuration.fanout,
                    resumed: resumed)), to: connection)
        if tree.isEmpty {
            // Viewers that came first are sending `join` every few seconds: ask now.
            for id in sessions.keys.sorted() where sessions[id]!.machine.phase == .joining {
                run.mail.append((.reconnectRoot, Self.broadcasterID, id))
            }
        } else {
            // A reload or a server restart: every old link of the page is gone.
            statistics.restarts += 1
            feedBroadcaster(.restarted(from: tree, strategy: .restore), in: &run)
        }
        announcePhases(in: &run)
    }

    private mutating func viewerArrived(_ hello: PageMessage.Hello, on connection: ConnectionID, in run: inout Run) {
        if let resume = hello.resume {
            if let session = sessions[resume.id], session.credentials.token == resume.token {
                return reattach(resume.id, on: connection, in: &run)
            }
            if savedSessions[resume.id] == resume.token {
                savedSessions[resume.id] = nil
                return open(resume, hello, on: connection, resumed: true, in: &run)
            }
            return run.refuse(ProtocolError(.notYourID, "no session \(resume.id) with that token here"), to: connection)
        }
        guard sessions.count < limits.maxViewers else {
            run.refuse(
                ProtocolError(.roomFull, "room \(name) holds at most \(limits.maxViewers) viewers"), to: connection)
            return run.effects.append(.close(connection, .refused("room full")))
        }
        var credentials = issuer.issue()
        while sessions[credentials.id] != nil || tree.contains(credentials.id) { credentials = issuer.issue() }
        open(credentials, hello, on: connection, resumed: false, in: &run)
    }

    /// Starts a viewer machine for a page.
    private mutating func open(
        _ credentials: SessionCredentials, _ hello: PageMessage.Hello, on connection: ConnectionID, resumed: Bool,
        in run: inout Run
    ) {
        let relayable = hello.relayable && hello.capacity != 0
        let machine = ViewerStateMachine(
            id: credentials.id, broadcaster: Self.broadcasterID, relayable: relayable,
            capacity: relayable ? hello.capacity : nil, timings: timings)
        sessions[credentials.id] = ViewerSession(credentials: credentials, machine: machine, connection: connection)
        members[connection] = .viewer(credentials.id)
        run.send(.welcome(welcome(credentials, resumed: resumed)), to: connection)
        feedViewer(credentials.id, .start, in: &run)
    }

    /// A page whose socket dropped is back: the same machine goes on, and what was held
    /// for the page follows.
    private mutating func reattach(_ id: ViewerID, on connection: ConnectionID, in run: inout Run) {
        var session = sessions[id]!
        if let old = session.connection {
            members[old] = nil
            run.effects.append(.close(old, .replaced))
        }
        session.connection = connection
        members[connection] = .viewer(id)
        let held = session.pending
        session.pending = []
        sessions[id] = session
        run.effects.append(.cancelTimer(.resumeGrace(id)))
        run.send(.welcome(welcome(session.credentials, resumed: true)), to: connection)
        for message in held { run.send(message, to: connection) }
        run.send(.phase(session.machine.phase, live: isLive), to: connection)
    }

    private func welcome(_ credentials: SessionCredentials, resumed: Bool) -> ServerMessage.Welcome {
        .init(
            room: name, credentials: credentials, role: .viewer, broadcaster: Self.broadcasterID,
            fanout: tree.configuration.fanout, resumed: resumed)
    }

    mutating func disconnected(_ connection: ConnectionID, in run: inout Run) {
        guard let member = members.removeValue(forKey: connection) else { return }
        switch member {
        case .broadcaster:
            broadcasterConnection = nil
            announcePhases(in: &run)
        case .viewer(let id):
            guard sessions[id]?.connection == connection else { return }
            sessions[id]!.connection = nil
            run.effects.append(.setTimer(.resumeGrace(id), at: run.now + limits.resumeGrace))
        }
    }

    /// The viewer is gone for good: its machine leaves, and the tree repairs around it.
    mutating func endSession(_ id: ViewerID, in run: inout Run) {
        guard var session = sessions.removeValue(forKey: id) else { return }
        if let connection = session.connection { members[connection] = nil }
        _ = session.machine.handle(.leave, at: run.now)  // its links die with the page
        for timer in [ViewerStateMachine.Timer.joinRetry, .upstream, .downstream] {
            run.effects.append(.cancelTimer(.viewer(id, timer)))
        }
        run.effects.append(.cancelTimer(.resumeGrace(id)))
        feedBroadcaster(.viewerDisconnected(id), in: &run)
    }

    /// Tells every viewer page whether the broadcaster is here.
    private mutating func announcePhases(in run: inout Run) {
        for id in sessions.keys.sorted() {
            sendToPage(.viewer(id), .phase(sessions[id]!.machine.phase, live: isLive), in: &run)
        }
    }
}
