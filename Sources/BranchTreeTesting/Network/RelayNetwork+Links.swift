import BranchTree

extension RelayNetwork {
    // MARK: Signalling

    mutating func send(_ message: RelayMessage, from sender: Int, to recipient: Int) {
        statistics.messages += 1
        // Drawn only when drops are asked for, so that a profile without them keeps the
        // random sequence (and so the runs) it always had.
        if profile.drops > 0, random.nextBool(probability: profile.drops) {
            statistics.droppedMessages += 1
            return log(.messageDropped(message, from: sender, to: recipient))
        }
        let copies = random.nextBool(probability: profile.duplicates) ? 2 : 1
        if copies == 2 { statistics.duplicatedMessages += 1 }
        for _ in 0..<copies {
            // Mostly quick, sometimes slow: messages overtake each other.
            let slow = random.nextBool(probability: profile.slowMessages)
            if slow { statistics.slowMessages += 1 }
            let delay = slow ? 300 + random.next(below: 3_000) : 5 + random.next(below: 300)
            schedule(
                .message(message, from: sender, to: recipient, incarnation: incarnation), after: .milliseconds(delay))
        }
    }

    // MARK: Links

    /// The link `node` holds with `peer`, either way round.
    func heldLink(of node: Int, with peer: Int) -> Int? {
        held[node].first { links[$0].parent == peer || links[$0].child == peer }
    }

    private mutating func release(_ link: Int, by node: Int) {
        held[node].removeAll { $0 == link }
    }

    mutating func openLink(from parent: Int, to child: Int, epoch: UInt64) {
        statistics.openedLinks += 1
        if let existing = heldLink(of: parent, with: child) {
            return fail(
                "\(ids[parent]) opens a link to \(ids[child]) (epoch \(epoch)) while it holds one with it "
                    + "(\(describe(link: existing)))")
        }
        let link = links.count
        links.append(LinkRecord(parent: parent, child: child, epoch: epoch, state: .settingUp))
        held[parent].append(link)
        let delay =
            random.nextBool(probability: 0.05) ? 4_000 + random.next(below: 8_000) : 200 + random.next(below: 3_000)
        schedule(.linkSetUp(link), after: .milliseconds(delay))
    }

    mutating func linkSetUp(_ link: Int) {
        guard links[link].state == .settingUp else { return log(.linkOutcome(link, "was closed while setting up")) }
        let (parent, child) = (links[link].parent, links[link].child)
        let peer = peers[child - 1]
        // The child takes a connection only from the node it asked for the stream.
        let accepted =
            peer.status == .live && peer.machine.parent == ids[parent] && heldLink(of: child, with: parent) == nil
        guard accepted, !random.nextBool(probability: profile.failedSetups) else {
            if accepted { statistics.failedSetups += 1 }
            log(.linkOutcome(link, accepted ? "fails on both sides" : "is refused by the child"))
            links[link].state = .closed
            release(link, by: parent)
            tellParent(parent, closed: child)
            if accepted { stepViewer(child, .upstreamClosed) }
            return
        }
        links[link].state = .up
        log(.linkOutcome(link, "is up"))
        held[child].append(link)
        // One end learns it now, the other a little later (if it still holds the link).
        let (first, second) = random.nextBool(probability: 0.5) ? (parent, child) : (child, parent)
        tellConnected(link, to: first)
        schedule(.linkUp(link, notify: second), after: .milliseconds(random.next(below: 300)))
    }

    mutating func tellConnected(_ link: Int, to node: Int) {
        let child = links[link].child
        if node == child {
            stepViewer(child, .upstreamConnected)
        } else if node == 0 {
            stepBroadcaster(.downstreamConnected(ids[child]))
        } else {
            stepViewer(node, .downstreamConnected(ids[child]))
        }
    }

    private mutating func tellParent(_ parent: Int, closed child: Int) {
        if parent == 0 {
            stepBroadcaster(.downstreamClosed(ids[child]))
        } else {
            stepViewer(parent, .downstreamClosed(ids[child]))
        }
    }

    /// `node` closes its link with `peer`; the peer notices shortly.
    mutating func closeLink(from node: Int, to peer: Int) {
        guard let link = heldLink(of: node, with: peer) else { return }
        release(link, by: node)
        let wasUp = links[link].state == .up
        if links[link].state != .closed { links[link].state = .closed }
        if wasUp { schedule(.linkClosed(link, notify: peer), after: .milliseconds(20 + random.next(below: 500))) }
    }

    /// Every link `node` holds closes; its peers notice after a delay in `milliseconds`.
    mutating func dropLinks(of node: Int, noticedAfter milliseconds: ClosedRange<Int>) {
        for link in held[node] {
            let wasUp = links[link].state == .up
            links[link].state = .closed
            guard wasUp else { continue }
            let peer = links[link].parent == node ? links[link].child : links[link].parent
            let delay = milliseconds.lowerBound + random.next(below: milliseconds.count)
            schedule(.linkClosed(link, notify: peer), after: .milliseconds(delay))
        }
        held[node] = []
    }

    mutating func linkClosed(_ link: Int, notify node: Int) {
        guard held[node].contains(link) else { return }
        release(link, by: node)
        if node == links[link].child {
            stepViewer(node, .upstreamClosed)
        } else {
            tellParent(node, closed: links[link].child)
        }
    }
}
