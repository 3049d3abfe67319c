import BranchTree

extension RoomStateMachine {
    /// A frame from a page that said hello.
    mutating func receive(
        _ message: PageMessage, from member: Member, on connection: ConnectionID, in run: inout Run
    ) {
        switch message {
        case .hello:
            run.refuse(ProtocolError(.alreadyHello, "this connection already said hello"), to: connection)
        case .link(let report):
            linkReported(report, by: member, in: &run)
        case .signal(let signal):
            forward(signal, from: member, on: connection, in: &run)
        case .status(let status):
            guard case .viewer(let id) = member else { return }
            sessions[id]?.report = PlaybackReport(
                receiving: status.receiving, framesDecoded: status.framesDecoded, upstream: status.upstream)
        case .leave:
            switch member {
            case .broadcaster:
                // The broadcast pauses; the tree waits for the page to come back.
                disconnected(connection, in: &run)
            case .viewer(let id):
                endSession(id, in: &run)
            }
        }
    }

    /// A page's peer connection came up or closed. Reports about a link that is no
    /// longer the current one (messages cross) are dropped and counted.
    private mutating func linkReported(_ report: PageMessage.LinkReport, by member: Member, in run: inout Run) {
        let id = self.id(of: member)
        switch report.direction {
        case .up:
            guard case .viewer = member, let machine = sessions[id]?.machine,
                machine.parent == report.peer, machine.upstreamEpoch == report.epoch
            else {
                statistics.staleLinkReports += 1
                return
            }
            // A page confirms a link it holds again after it resumes: nothing new.
            if report.state == .connected, machine.isConnectedUpstream { return }
            feedViewer(id, report.state == .connected ? .upstreamConnected : .upstreamClosed, in: &run)
        case .down:
            guard isCurrentLink(parent: id, child: report.peer, epoch: report.epoch) else {
                statistics.staleLinkReports += 1
                return
            }
            switch member {
            case .broadcaster:
                feedBroadcaster(
                    report.state == .connected ? .downstreamConnected(report.peer) : .downstreamClosed(report.peer),
                    in: &run)
            case .viewer:
                feedViewer(
                    id, report.state == .connected ? .downstreamConnected(report.peer) : .downstreamClosed(report.peer),
                    in: &run)
            }
        }
    }

    /// Forwards SDP or ICE only between two peers the tree links now, by that link.
    private mutating func forward(
        _ signal: PageMessage.Signal, from member: Member, on connection: ConnectionID, in run: inout Run
    ) {
        let sender = id(of: member)
        guard
            isCurrentLink(parent: sender, child: signal.to, epoch: signal.epoch)
                || isCurrentLink(parent: signal.to, child: sender, epoch: signal.epoch)
        else {
            return run.refuse(
                ProtocolError(.notLinked, "\(sender) and \(signal.to) have no link with epoch \(signal.epoch)"),
                to: connection)
        }
        statistics.signalsForwarded += 1
        let recipient: Member = signal.to == Self.broadcasterID ? .broadcaster : .viewer(signal.to)
        sendToPage(recipient, .signal(from: sender, epoch: signal.epoch, payload: signal.payload), in: &run)
    }

    /// Whether the tree links `parent` to `child` by the link created at `epoch`.
    func isCurrentLink(parent: ViewerID, child: ViewerID, epoch: UInt64) -> Bool {
        guard child != Self.broadcasterID, let viewer = tree[child] else { return false }
        return viewer.parentUUID == parent && (try? tree.linkEpoch(of: child)) == epoch
    }

    private func id(of member: Member) -> ViewerID {
        switch member {
        case .broadcaster: Self.broadcasterID
        case .viewer(let id): id
        }
    }
}
