import BranchTree

// The physical network: peer connections being set up, up, or closed, and whether media
// reaches each viewer (an up path of links from the broadcaster).

extension Simulation {
    /// `parent` opens a peer connection to `child`; it is up after the set-up time, or
    /// fails.
    mutating func openLink(from parent: SimulatedNode, to child: consuming ViewerID) {
        metrics.connectionsOpened += 1
        guard case .viewer(let slot, let generation) = SimulatedNode.node(for: child, broadcaster: broadcasterID) else {
            preconditionFailure("a link to \(child), who is not a simulated viewer")
        }
        guard isCurrent(slot, generation) else {
            // The child is gone: the connection attempt fails after the set-up time.
            return notifyClosed(parent, ofLinkTo: slot, generation: generation, after: delay(scenario.connectionSetup))
        }
        let due = now.advanced(byNanoseconds: delay(scenario.connectionSetup))
        setUpstream(of: slot, to: .opening(from: parent, due: due))
        queue.push(.linkSetUp(parent: parent, slot: slot, generation: generation), at: due)
    }

    /// The set-up of a connection ends: up if both ends still want it (and it did not
    /// fail), otherwise both ends learn that it closed.
    ///
    /// The attempt is the child's opening from `parent` due now. An earlier attempt
    /// between the two finishes unnoticed: it was closed before the child's current link
    /// with `parent` opened, and that closing told both sides.
    mutating func finishLinkSetUp(from parent: SimulatedNode, to slot: Int32, generation: UInt32) {
        let isCurrentSession = isCurrent(slot, generation)
        guard isCurrentSession, viewers[Int(slot)].upstream == .opening(from: parent, due: now) else {
            if isCurrentSession, viewers[Int(slot)].upstream.parent == parent { return }
            return notifyClosed(parent, ofLinkTo: slot, generation: generation, after: 0)
        }
        let parentAlive: Bool
        switch parent {
        case .broadcaster: parentAlive = broadcasterIsUp
        case .viewer(let parentSlot, let parentGeneration): parentAlive = isCurrent(parentSlot, parentGeneration)
        }
        let failed = !isInstant && random.nextBool(probability: scenario.connectionFailureRate)
        guard parentAlive, !failed else {
            if failed { metrics.connectionsFailed += 1 }
            setUpstream(of: slot, to: .none)
            if parentAlive { notifyClosed(parent, ofLinkTo: slot, generation: generation, after: 0) }
            return feedViewer(slot, .upstreamClosed)
        }
        setUpstream(of: slot, to: .up(from: parent))
        let childID = machines[Int(slot)].id
        switch parent {
        case .broadcaster: feedBroadcaster(.downstreamConnected(childID))
        case .viewer(let parentSlot, _): feedViewer(parentSlot, .downstreamConnected(childID))
        }
        feedViewer(slot, .upstreamConnected)
        if isReceiving(parent) { setReceiving(slot) }
    }

    /// `node` closes its connection with `peer`, whichever side of it `node` is on.
    mutating func closeLink(between node: SimulatedNode, and peer: consuming ViewerID) {
        guard let peerNode = SimulatedNode.node(for: peer, broadcaster: broadcasterID) else { return }
        let latency = delay(scenario.signallingLatency)
        // `node` is the child: it drops its upstream.
        if case .viewer(let slot, _) = node, viewers[Int(slot)].upstream.parent == peerNode {
            setUpstream(of: slot, to: .none)
            setDark(slot)
            return notifyClosed(peerNode, ofLinkTo: slot, generation: presence[Int(slot)].generation, after: latency)
        }
        // `node` is the parent: the child loses its upstream.
        if case .viewer(let slot, let generation) = peerNode, isCurrent(slot, generation),
            viewers[Int(slot)].upstream.parent == node
        {
            setUpstream(of: slot, to: .none)
            setDark(slot)
            queue.push(
                .viewer(slot: slot, generation: generation, .upstreamClosed), at: now.advanced(byNanoseconds: latency))
        }
    }

    /// The links from `node` to its children go down now: their stream (and their
    /// subtrees') stops, and they notice at `noticed`, all with one event.
    mutating func cutOffChildren(of node: SimulatedNode, noticedAt noticed: Timestamp) {
        var children = Self.takeEmptied(&childrenBuffer)
        defer { childrenBuffer = children }
        appendPhysicalChildren(of: node, to: &children)
        for child in children {
            setDark(child)
            setUpstream(of: child, to: .none)
        }
        if children.count == 1 {
            queue.push(
                .viewer(slot: children[0], generation: presence[Int(children[0])].generation, .upstreamClosed),
                at: noticed)
        } else if children.count > 1 {
            let place = severedLinks.hold(
                children.map { SeveredLinks.Child(slot: $0, generation: presence[Int($0)].generation) })
            queue.push(.upstreamsClosed(place), at: noticed)
        }
    }

    /// The viewers of the severed links held at `place` notice that their upstream is
    /// gone, in the order they were cut off.
    mutating func noticeSeveredLinks(_ place: Int32) {
        for child in severedLinks.take(place) where isCurrent(child.slot, child.generation) {
            feedViewer(child.slot, .upstreamClosed)
        }
    }

    /// Tells `parent`, `delay` nanoseconds from now, that its link to the child in `child`'s slot and
    /// `generation` closed.
    mutating func notifyClosed(
        _ parent: SimulatedNode, ofLinkTo child: Int32, generation childGeneration: UInt32, after delay: Int64
    ) {
        switch parent {
        case .broadcaster:
            queue.push(
                .broadcasterLinkClosed(slot: child, generation: childGeneration), at: now.advanced(byNanoseconds: delay)
            )
        case .viewer(let slot, let generation):
            queue.push(
                .viewer(
                    slot: slot, generation: generation, .downstreamClosed(slot: child, generation: childGeneration)),
                at: now.advanced(byNanoseconds: delay))
        }
    }

    /// Whether media reaches `node` now.
    ///
    /// Always inlined: called out of line from a mutating method, it made the compiler
    /// copy the whole simulation (1.4 kB) for each call.
    @inline(__always)
    func isReceiving(_ node: SimulatedNode) -> Bool {
        switch node {
        case .broadcaster: broadcasterIsUp
        case .viewer(let slot, let generation): isCurrent(slot, generation) && presence[Int(slot)].receiving
        }
    }

    /// Sets the upstream of the viewer in `slot`, and keeps ``links`` in step with it:
    /// the graph holds exactly the links that are up.
    mutating func setUpstream(of slot: Int32, to upstream: SimulatedViewer.Upstream) {
        if case .up = viewers[Int(slot)].upstream { links.unlink(slot) }
        viewers[Int(slot)].upstream = upstream
        if case .up(let parent) = upstream { links.link(slot, from: parent) }
    }

    /// The viewers with an up link from `node`, in its machine's order: the order in
    /// which they notice that their links went down.
    ///
    /// `mutating` though it changes nothing: called from a mutating method, a
    /// non-mutating one made the compiler copy the whole simulation for each call.
    mutating func physicalChildren(of node: SimulatedNode) -> [Int32] {
        var result: [Int32] = []
        appendPhysicalChildren(of: node, to: &result)
        return result
    }

    /// Appends ``physicalChildren(of:)`` to `result`.
    mutating func appendPhysicalChildren(of node: SimulatedNode, to result: inout [Int32]) {
        switch node {
        case .broadcaster:
            for id in (try? broadcaster.tree.children(of: broadcasterID)) ?? [] {
                appendIfLinked(id, from: node, to: &result)
            }
        case .viewer(let slot, _):
            // By index: the machine's `children` would build an array per call.
            for index in 0..<machines[Int(slot)].childCount {
                appendIfLinked(machines[Int(slot)].child(at: index), from: node, to: &result)
            }
        }
    }

    /// Appends the slot of `id` to `result` if it is a present viewer with an up link
    /// from `node`.
    @inline(__always)
    private mutating func appendIfLinked(_ id: ViewerID, from node: SimulatedNode, to result: inout [Int32]) {
        guard case .viewer(let slot, let generation) = SimulatedNode.node(for: id, broadcaster: broadcasterID),
            isCurrent(slot, generation), viewers[Int(slot)].upstream == .up(from: node)
        else { return }
        result.append(slot)
    }

    /// Media reaches `slot` again, and everyone below it over up links.
    ///
    /// The children come from ``links``, in no particular order. Nothing the walk changes
    /// depends on that order but the order in which values reach the metrics' summaries:
    /// their counts, buckets and maxima do not, their floating-point sums only by rounding.
    mutating func setReceiving(_ slot: Int32) {
        var stack = Self.takeEmptied(&walkStack)
        stack.append(slot)
        while let next = stack.popLast() {
            guard !presence[Int(next)].receiving else { continue }
            presence[Int(next)].receiving = true
            if let since = viewers[Int(next)].darkSince {
                viewers[Int(next)].darkSeconds += now.seconds(since: since)
                viewers[Int(next)].darkSince = nil
                interruptedCount -= 1
            }
            if viewers[Int(next)].firstFrame == nil {
                viewers[Int(next)].firstFrame = now
                metrics.startupDelay.record(now.seconds(since: viewers[Int(next)].arrival))
            }
            repairs.forget(&viewers[Int(next)], at: now, into: &metrics)
            links.appendChildren(ofSlot: next, to: &stack)
        }
        walkStack = stack
    }

    /// Media stops reaching `slot`, and everyone below it.
    mutating func setDark(_ slot: Int32) {
        var stack = Self.takeEmptied(&walkStack)
        stack.append(slot)
        while let next = stack.popLast() {
            guard presence[Int(next)].receiving else { continue }
            presence[Int(next)].receiving = false
            viewers[Int(next)].interruptions += 1
            viewers[Int(next)].darkSince = now
            interruptedCount += 1
            links.appendChildren(ofSlot: next, to: &stack)
        }
        walkStack = stack
    }

    /// One of the simulation's reused slot lists (`walkStack`, `childrenBuffer`,
    /// `waitingBuffer`), taken out of it and emptied, its capacity kept: the caller puts
    /// it back when done. Out of the simulation while in use, it is never shared, so
    /// appending to it never copies; reused, it is not allocated per call.
    static func takeEmptied(_ buffer: inout [Int32]) -> [Int32] {
        var taken: [Int32] = []
        swap(&taken, &buffer)
        // Often empty already (a walk pops its stack dry): the generic `removeAll` cost a
        // call even then.
        if !taken.isEmpty { taken.removeAll(keepingCapacity: true) }
        return taken
    }
}

extension SimulatedViewer.Upstream {
    /// The node the link is from, opening or up.
    var parent: SimulatedNode? {
        switch self {
        case .none: nil
        case .opening(let parent, _), .up(let parent): parent
        }
    }
}
