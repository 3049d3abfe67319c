import BranchTree

extension RelayNetwork {
    /// Whether viewer `node`'s stream arrives: an up link from its tree parent, whose
    /// stream arrives, and so on up to a running broadcaster.
    ///
    /// - Complexity: O(d · f) for a viewer at depth d under fan-out f.
    public func receivesStream(_ node: Int) -> Bool {
        var current = node
        var hops = 0
        while current != 0 {
            guard hops <= broadcaster.tree.count, let parent = upstreamHop(of: current) else { return false }
            current = parent
            hops += 1
        }
        return isBroadcasterUp
    }

    /// `node`'s tree parent, when `node` takes the stream from it over a link that is up.
    private func upstreamHop(of node: Int) -> Int? {
        guard let parentID = try? broadcaster.tree.parent(of: ids[node]), let parent = nodeByID[parentID],
            peers[node - 1].machine.parent == parentID, let link = heldLink(of: node, with: parent),
            links[link].parent == parent, links[link].state == .up, held[parent].contains(link)
        else { return nil }
        return parent
    }

    /// Whether every live viewer receives the stream (``receivesStream(_:)``). Cheap
    /// enough to ask while the network runs: each node's answer is worked out once.
    ///
    /// - Complexity: O(n · f) for n viewers under fan-out f.
    public func everyLiveViewerReceives() -> Bool {
        guard isBroadcasterUp else { return false }
        // Per node: nil until known; the broadcaster receives.
        var receives: [Bool?] = Array(repeating: nil, count: ids.count)
        receives[0] = true
        for node in 1..<ids.count where peers[node - 1].status == .live {
            var path: [Int] = []
            var current: Int? = node
            // A path longer than the tree is a cycle: it never reaches the broadcaster.
            while let at = current, receives[at] == nil, path.count <= broadcaster.tree.count {
                path.append(at)
                current = upstreamHop(of: at)
            }
            let answer = current.flatMap { receives[$0] } ?? false
            for visited in path { receives[visited] = answer }
            if !answer { return false }
        }
        return true
    }

    /// Runs the network until every live viewer receives the stream, looking every
    /// `resolution` of virtual time. Returns how long that took from now, or nil when it
    /// did not happen within `bound` (or something failed).
    ///
    /// - Complexity: O(bound / resolution) checks of ``everyLiveViewerReceives()``, plus
    ///   the events run.
    public mutating func recoveryTime(
        within bound: Duration, resolution: Duration = .milliseconds(100)
    ) -> Duration? {
        let start = now
        var checkpoint = start
        while failure == nil, checkpoint - start <= bound {
            run(until: checkpoint)
            now = Swift.max(now, checkpoint)
            if everyLiveViewerReceives() { return now - start }
            checkpoint = checkpoint + resolution
        }
        return nil
    }

    /// What is wrong with the quiet network, in a deterministic order; empty when every
    /// property holds. The properties: the broadcaster is up and its tree validates;
    /// every live viewer is in the tree exactly once, receiving, with the parent and
    /// children the tree gives it, and takes the stream over links that are really up;
    /// no departed or unstarted viewer is in the tree; the broadcaster relays to exactly
    /// its first viewers; no link is left open that the tree does not have.
    ///
    /// - Complexity: O(n² + l) for n viewers and l links.
    public func quiescentViolations() -> [String] {
        var problems: [String] = []
        let tree = broadcaster.tree
        if !isBroadcasterUp { problems.append("the broadcaster is down") }
        do {
            try tree.validate()
        } catch {
            problems.append("the tree is invalid: \(error)")
        }
        let listed = tree.levels.flatMap { $0 }
        var seen: Set<ViewerID> = []
        for id in listed where !seen.insert(id).inserted { problems.append("\(id) is in the tree twice") }
        for node in 1..<ids.count {
            let id = ids[node]
            let peer = peers[node - 1]
            let count = listed.count { $0 == id }
            switch peer.status {
            case .live:
                guard count == 1 else {
                    problems.append("live \(id) is in the tree \(count) times (phase \(peer.machine.phase))")
                    continue
                }
                let parent = try? tree.parent(of: id)
                if peer.machine.parent != parent {
                    problems.append(
                        "\(id) takes the stream from \(peer.machine.parent.map(\.rawValue) ?? "nobody"), "
                            + "the tree says \(parent.map(\.rawValue) ?? "nobody")")
                }
                if peer.machine.phase != .receiving { problems.append("\(id) is \(peer.machine.phase)") }
                let children = (try? tree.children(of: id)) ?? []
                if peer.machine.children != children || peer.machine.connectedChildren != children {
                    problems.append(
                        "\(id) relays to \(peer.machine.connectedChildren) of \(peer.machine.children), "
                            + "the tree says \(children)")
                }
                if !receivesStream(node) { problems.append("\(id) does not receive the stream") }
            case .left, .vanished:
                if count > 0 { problems.append("departed \(id) is still in the tree (ghost)") }
            case .notStarted:
                if count > 0 { problems.append("\(id) is in the tree before it started") }
            }
        }
        let firstViewers = (try? tree.children(of: broadcasterID)) ?? []
        if broadcaster.connectedFirstViewers != firstViewers {
            problems.append(
                "the broadcaster relays to \(broadcaster.connectedFirstViewers), the tree says \(firstViewers)")
        }
        for (index, link) in links.enumerated() where link.state != .closed {
            let childID = ids[link.child]
            if link.state == .settingUp || (try? tree.parent(of: childID)) != ids[link.parent] {
                problems.append("stray link \(describe(link: index))")
            }
        }
        return problems
    }
}
