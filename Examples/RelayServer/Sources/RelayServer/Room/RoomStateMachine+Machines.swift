import BranchTree

extension RoomStateMachine {
    /// Feeds the broadcaster machine and carries out what it asks.
    mutating func feedBroadcaster(_ input: BroadcasterStateMachine.Input, in run: inout Run) {
        for action in broadcaster.handle(input, at: run.now) {
            switch action {
            case .send(let message, let viewer):
                run.mail.append((message, Self.broadcasterID, viewer))
            case .openDownstream(let child, let epoch):
                sendToPage(.broadcaster, .open(peer: child, epoch: epoch), in: &run)
            case .closeLink(let viewer):
                sendToPage(.broadcaster, .close(peer: viewer), in: &run)
            case .setTimer(let timer, let deadline):
                run.effects.append(.setTimer(.broadcaster(timer), at: deadline))
            case .treeChanged(let change):
                statistics.record(change, at: run.now)
                treeChanged = true
            case .viewerRemoved:
                treeChanged = true
            case .ignored(let reason):
                statistics.ignored(reason)
            }
        }
    }

    /// Feeds a viewer's machine, carries out what it asks, and tells the page when its
    /// phase changed.
    mutating func feedViewer(_ id: ViewerID, _ input: ViewerStateMachine.Input, in run: inout Run) {
        guard var session = sessions[id] else { return }
        let actions = session.machine.handle(input, at: run.now)
        let phase = session.machine.phase
        let epoch = session.machine.upstreamEpoch
        sessions[id] = session
        for action in actions {
            switch action {
            case .send(let message, let recipient):
                run.mail.append((message, id, recipient))
            case .openDownstream(let child, let linkEpoch):
                sendToPage(.viewer(id), .open(peer: child, epoch: linkEpoch), in: &run)
            case .closeLink(let peer):
                sendToPage(.viewer(id), .close(peer: peer), in: &run)
            case .replaceTrack(let children):
                sendToPage(.viewer(id), .replaceTrack(children: children), in: &run)
            case .setTimer(let timer, let deadline):
                run.effects.append(.setTimer(.viewer(id, timer), at: deadline))
            case .placed(let parent, let depth, let kept):
                guard let epoch else { preconditionFailure("a placed viewer has an upstream link") }
                sendToPage(.viewer(id), .placed(parent: parent, epoch: epoch, depth: depth, kept: kept), in: &run)
            case .ignored(let reason):
                statistics.ignored(reason)
            }
        }
        if sessions[id]?.announcedPhase != phase {
            sessions[id]?.announcedPhase = phase
            sendToPage(.viewer(id), .phase(phase, live: isLive), in: &run)
        }
    }

    /// Delivers the machines' messages to each other, oldest first, until none is left.
    /// A message for the broadcaster waits for nothing while its page is away: it is
    /// dropped, and the viewer's own retries or the restart that follows make up for it.
    mutating func deliverMail(in run: inout Run) {
        while run.nextMail < run.mail.count {
            let (message, sender, recipient) = run.mail[run.nextMail]
            run.nextMail += 1
            if recipient == Self.broadcasterID {
                guard isLive else {
                    statistics.heldWhileOffline += 1
                    continue
                }
                feedBroadcaster(.received(message, from: sender), in: &run)
            } else {
                feedViewer(recipient, .received(message, from: sender), in: &run)
            }
        }
        run.mail.removeAll()
        run.nextMail = 0
    }

    /// Sends a frame to a member's page, or holds it while a viewer's page is away.
    mutating func sendToPage(_ member: Member, _ message: ServerMessage, in run: inout Run) {
        switch member {
        case .broadcaster:
            if let broadcasterConnection { run.send(message, to: broadcasterConnection) }
        case .viewer(let id):
            guard var session = sessions[id] else { return }
            if let connection = session.connection {
                run.send(message, to: connection)
            } else if session.pending.count < ViewerSession.maxPending {
                session.pending.append(message)
                sessions[id] = session
            } else {
                // Away too long to catch up: the page starts afresh if it comes back.
                endSession(id, in: &run)
            }
        }
    }

    mutating func timerFired(_ timer: RoomTimer, in run: inout Run) {
        switch timer {
        case .broadcaster(let kind):
            guard isLive else {
                statistics.heldWhileOffline += 1
                return
            }
            feedBroadcaster(.timerFired(kind), in: &run)
        case .viewer(let id, let kind):
            feedViewer(id, .timerFired(kind), in: &run)
        case .resumeGrace(let id):
            guard let session = sessions[id], session.connection == nil else { return }
            endSession(id, in: &run)
        }
    }
}
