import BranchTree

extension RelayNetwork {
    /// The last ``logSize`` events, oldest first, each with its virtual time: the same
    /// seed and profile give the same trace.
    ///
    /// - Complexity: O(``logSize``)
    public var trace: [String] {
        let ordered = logTail.count < logSize ? logTail : Array(logTail[logNext...] + logTail[..<logNext])
        return ordered.map { "[\($0.0)] \(describe($0.1))" }
    }

    /// The tree, every viewer's view of itself, and the links that are not closed.
    ///
    /// - Complexity: O(n + l) for n viewers and l links.
    public func stateDump() -> [String] {
        var lines = ["tree v\(broadcaster.tree.version): \(broadcaster.tree.levels.map { $0.map(\.rawValue) })"]
        for node in 1..<ids.count {
            let machine = peers[node - 1].machine
            let treeParent = (try? broadcaster.tree.parent(of: ids[node])).map { $0?.rawValue ?? "-" } ?? "absent"
            lines.append(
                "\(ids[node]) \(peers[node - 1].status) \(machine.phase)"
                    + " parent \(machine.parent.map(\.rawValue) ?? "-")"
                    + " epoch \(machine.upstreamEpoch.map { "\($0)" } ?? "-") children \(machine.children)"
                    + " tree parent \(treeParent)")
        }
        for (index, link) in links.enumerated() where link.state != .closed { lines.append(describe(link: index)) }
        return lines
    }

    func describe(link: Int) -> String {
        let record = links[link]
        return "#\(link) \(ids[record.parent]) → \(ids[record.child]) epoch \(record.epoch) \(record.state)"
    }

    func describe(_ event: Event) -> String {
        switch event {
        case .churnTick: "churn tick"
        case .startBroadcaster: "broadcaster starts"
        case .crashBroadcaster(let downtime, _, let save):
            "broadcaster crashes" + (downtime.map { ", back in \($0)" } ?? "")
                + (save.map { " from a save of version \($0.version)" } ?? "")
        case .restartBroadcaster(let strategy, _): "broadcaster restarts (\(strategy.rawValue))"
        case .startViewer(let node): "\(ids[node]) starts"
        case .depart(let node, let abrupt): "\(ids[node]) \(abrupt ? "vanishes" : "leaves")"
        case .disconnected(let node, let tag): "server: \(ids[node])'s session ended [incarnation \(tag)]"
        case .message(let message, let sender, let recipient, let tag):
            "\(ids[sender]) → \(ids[recipient]): \(describe(message))"
                + (recipient == 0 ? " [incarnation \(tag)]" : "")
        case .messageDropped(let message, let sender, let recipient):
            "lost: \(ids[sender]) → \(ids[recipient]): \(describe(message))"
        case .viewerTimer(let node, let timer, _): "\(ids[node]) timer \(timer)"
        case .broadcasterTimer(let timer, _, _): "broadcaster timer \(timer)"
        case .linkSetUp(let link): "set-up ends: \(describe(link: link))"
        case .linkUp(let link, let node): "\(ids[node]) learns link #\(link) is up"
        case .linkOutcome(let link, let outcome):
            "link #\(link) \(ids[links[link].parent]) → \(ids[links[link].child]) \(outcome)"
        case .linkClosed(let link, let node): "\(ids[node]) notices close: \(describe(link: link))"
        }
    }

    func describe(_ message: RelayMessage) -> String {
        switch message {
        case .join(let join): "join" + (join.relayable ? "" : " (not relayable)")
        case .closeBranch(let report): "close_branch \(report.child)@\(report.epoch)"
        case .branchData(let record):
            "branch_data #\(record.sequence) parent \(record.parent)@\(record.epoch) depth \(record.depth) children "
                + "[\(record.children.map { "\($0.id)@\($0.epoch)" }.joined(separator: ", "))]"
        case .requestStream(let request): "request_stream @\(request.epoch)"
        case .reconnectRoot: "reconnect_root"
        }
    }
}
