import BranchTree

extension RelayNetwork {
    mutating func process(_ event: Event) {
        statistics.events += 1
        log(event)
        switch event {
        case .churnTick:
            churnTick()
        case .startBroadcaster:
            incarnation += 1
            isBroadcasterUp = true
        case .crashBroadcaster(let downtime, let strategy, let save):
            guard isBroadcasterUp else { return }
            isBroadcasterUp = false
            incarnation += 1
            statistics.crashes += 1
            dropLinks(of: 0, noticedAfter: 1_000...20_000)
            if let downtime {
                let chosen = strategy ?? profile.strategies[random.next(below: profile.strategies.count)]
                schedule(.restartBroadcaster(chosen, save: save), after: downtime)
            }
        case .restartBroadcaster(let strategy, let save):
            restartBroadcaster(strategy, from: save)
        case .startViewer(let node):
            guard peers[node - 1].status == .notStarted else { return }
            peers[node - 1].status = .live
            stepViewer(node, .start)
        case .depart(let node, let abrupt):
            departNow(node, abrupt: abrupt)
        case .disconnected(let node, let tag):
            guard isBroadcasterUp, tag == incarnation else { return }
            stepBroadcaster(.viewerDisconnected(ids[node]))
        case .message(let message, let sender, let recipient, let tag):
            if recipient == 0 {
                guard isBroadcasterUp, tag == incarnation else { return }
                stepBroadcaster(.received(message, from: ids[sender]))
            } else {
                guard peers[recipient - 1].status == .live else { return }
                stepViewer(recipient, .received(message, from: ids[sender]))
            }
        case .viewerTimer(let node, let timer, let generation):
            guard peers[node - 1].status == .live, isCurrent(generation, node: node, kind: Self.kind(of: timer))
            else { return }
            stepViewer(node, .timerFired(timer))
        case .broadcasterTimer(let timer, let tag, let generation):
            guard isBroadcasterUp, tag == incarnation, isCurrent(generation, node: 0, kind: Self.kind(of: timer))
            else { return }
            stepBroadcaster(.timerFired(timer))
        case .linkSetUp(let link):
            linkSetUp(link)
        case .linkUp(let link, let node):
            guard links[link].state == .up, held[node].contains(link) else { return }
            tellConnected(link, to: node)
        case .linkClosed(let link, let node):
            linkClosed(link, notify: node)
        case .linkOutcome, .messageDropped:
            break
        }
    }

    private mutating func departNow(_ node: Int, abrupt: Bool) {
        guard peers[node - 1].status == .live else { return }
        if abrupt {
            peers[node - 1].status = .vanished
            statistics.abruptDepartures += 1
            dropLinks(of: node, noticedAfter: 5_000...30_000)
        } else {
            stepViewer(node, .leave)
            peers[node - 1].status = .left
            statistics.cleanDepartures += 1
            // The process ends: anything the machine left open closes too.
            dropLinks(of: node, noticedAfter: 20...500)
        }
        if random.nextBool(probability: profile.disconnections) {
            // After the slowest message the viewer may have sent (3.3 s): one socket
            // delivers in order. An abrupt one waits for the keep-alive (5–30 s).
            let after = abrupt ? 5_000 + random.next(below: 25_000) : 3_300 + random.next(below: 200)
            schedule(.disconnected(node, incarnation: incarnation), after: .milliseconds(after))
        }
    }

    // MARK: Machines

    mutating func stepBroadcaster(_ input: BroadcasterStateMachine.Input) {
        var actions: [BroadcasterAction] = []
        broadcaster.handle(input, at: now, into: &actions)
        do {
            try broadcaster.tree.validate()
        } catch {
            return fail("the tree is invalid after the broadcaster handled \(input): \(error)")
        }
        if saves.last?.version != broadcaster.tree.version {
            saves.append(broadcaster.tree)
            if saves.count > 8 { saves.removeFirst() }
        }
        for action in actions {
            switch action {
            case .send(let message, let recipient):
                guard let node = nodeByID[recipient] else { return fail("message to unknown \(recipient)") }
                send(message, from: 0, to: node)
            case .openDownstream(let child, let epoch):
                guard let node = nodeByID[child] else { return fail("link to unknown \(child)") }
                openLink(from: 0, to: node, epoch: epoch)
            case .closeLink(let peer):
                guard let node = nodeByID[peer] else { return fail("closing a link to unknown \(peer)") }
                closeLink(from: 0, to: node)
            case .setTimer(let timer, let deadline):
                let generation = nextGeneration(node: 0, kind: Self.kind(of: timer))
                schedule(.broadcasterTimer(timer, incarnation: incarnation, generation: generation), at: deadline)
            case .treeChanged, .viewerRemoved, .ignored:
                break
            }
        }
    }

    mutating func stepViewer(_ node: Int, _ input: ViewerStateMachine.Input) {
        var actions: [ViewerAction] = []
        peers[node - 1].machine.handle(input, at: now, into: &actions)
        if let problem = Self.inconsistency(in: peers[node - 1].machine) {
            return fail("\(ids[node]) after \(input): \(problem)")
        }
        for action in actions {
            switch action {
            case .send(let message, let recipient):
                guard let target = nodeByID[recipient] else { return fail("message to unknown \(recipient)") }
                send(message, from: node, to: target)
            case .openDownstream(let child, let epoch):
                guard let target = nodeByID[child] else { return fail("link to unknown \(child)") }
                openLink(from: node, to: target, epoch: epoch)
            case .closeLink(let peer):
                guard let target = nodeByID[peer] else { return fail("closing a link to unknown \(peer)") }
                closeLink(from: node, to: target)
            case .setTimer(let timer, let deadline):
                let generation = nextGeneration(node: node, kind: Self.kind(of: timer))
                schedule(.viewerTimer(node, timer, generation: generation), at: deadline)
            case .replaceTrack, .placed, .ignored:
                break
            }
        }
    }

    private mutating func restartBroadcaster(_ strategy: RestartStrategy, from chosen: BranchTree?) {
        guard !isBroadcasterUp else { return }
        var save = chosen ?? saves.last
        if chosen == nil, saves.count > 1, random.nextBool(probability: profile.staleSaves) {
            save = saves[random.next(below: saves.count - 1)]
            statistics.staleRestarts += 1
        }
        let restored: BranchTree
        do {
            // Through the snapshot, as a real broadcaster persists it.
            restored =
                try save.map { try BranchTree(snapshot: $0.snapshot()) } ?? BranchTree.emptyTree(profile.configuration)
        } catch {
            return fail("the saved tree does not restore: \(error)")
        }
        isBroadcasterUp = true
        incarnation += 1
        statistics.restarts += 1
        broadcaster = BroadcasterStateMachine(tree: restored, timings: profile.timings)
        stepBroadcaster(.restarted(from: restored, strategy: strategy))
    }

    /// What is wrong inside a viewer machine, checked after each of its steps.
    static func inconsistency(in machine: ViewerStateMachine) -> String? {
        let children = machine.children
        if machine.parent == machine.id || children.contains(machine.id) { return "it is its own parent or child" }
        if Set(children).count != children.count { return "a child is listed twice: \(children)" }
        if let parent = machine.parent, !machine.isUpstreamLost, children.contains(parent) {
            return "its upstream \(parent) is also its child"
        }
        return nil
    }

    // MARK: Timers

    private static func kind(of timer: ViewerStateMachine.Timer) -> Int {
        switch timer {
        case .joinRetry: 0
        case .upstream: 1
        case .downstream: 2
        }
    }

    private static func kind(of timer: BroadcasterStateMachine.Timer) -> Int {
        switch timer {
        case .downstream: 0
        case .restoreWindow: 1
        }
    }

    private mutating func nextGeneration(node: Int, kind: Int) -> Int {
        guard profile.latestTimerOnly else { return 0 }
        let key = TimerKey(node: node, kind: kind)
        let generation = (timerGenerations[key] ?? 0) + 1
        timerGenerations[key] = generation
        return generation
    }

    private func isCurrent(_ generation: Int, node: Int, kind: Int) -> Bool {
        !profile.latestTimerOnly || timerGenerations[TimerKey(node: node, kind: kind)] == generation
    }
}
