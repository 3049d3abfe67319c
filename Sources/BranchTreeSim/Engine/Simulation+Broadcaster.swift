import BranchTree

extension Simulation {
    /// Feeds one input to the broadcaster's machine and carries out its actions.
    mutating func feedBroadcaster(_ input: BroadcasterStateMachine.Input) {
        var actions = broadcasterActions
        actions.removeAll(keepingCapacity: true)
        broadcaster.handle(input, at: now, into: &actions)
        for action in actions {
            switch action {
            case .send(let message, let recipient):
                send(message, from: broadcasterID, to: recipient)
            case .openDownstream(let child, _):
                openLink(from: .broadcaster, to: child)
            case .closeLink(let peer):
                closeLink(between: .broadcaster, and: peer)
            case .setTimer(let timer, let deadline):
                queue.push(.broadcasterTimer(timer), at: deadline)
            case .treeChanged(let change):
                if case .left = change.outcome { recordRepair(change, messages: actions.count { $0.isSend }) }
            case .viewerRemoved(let id, _):
                if case .viewer(let slot, let generation) = SimulatedNode.node(for: id, broadcaster: broadcasterID),
                    Int(slot) < viewers.count, viewers[Int(slot)].generation == generation
                {
                    release(slot)
                }
            case .ignored(let reason):
                switch reason {
                case .staleEpoch, .notParent: metrics.ignoredStaleReports += 1
                default: metrics.ignoredOther += 1
                }
            }
        }
        broadcasterActions = actions
        if !scenario.restarts.isEmpty, now.seconds - lastPersist.seconds >= scenario.persistInterval {
            savedTree = broadcaster.tree  // copy on write: O(1) now, one copy at the next change
            lastPersist = now
        }
    }

    /// Records the cost of a departure's repair and starts timing it.
    private mutating func recordRepair(_ change: TreeChange, messages: Int) {
        metrics.departures += 1
        metrics.interruptedViewers.record(Double(change.interruptedCount))
        metrics.reconnections.record(Double(change.linksCreated.count))
        // The report that set it off, the records sent, and one request per new link.
        metrics.controlMessages.record(Double(1 + messages + change.linksCreated.count))
        var started = now
        if case .viewer(let slot, let generation) = SimulatedNode.node(for: change.subject, broadcaster: broadcasterID),
            Int(slot) < viewers.count, viewers[Int(slot)].generation == generation,
            let leftAt = viewers[Int(slot)].leftAt, !viewers[Int(slot)].isPresent
        {
            started = leftAt
        }
        var waiting: [Int32] = []
        for id in change.reconnecting {
            if case .viewer(let slot, let generation) = SimulatedNode.node(for: id, broadcaster: broadcasterID),
                isCurrent(slot, generation)
            {
                waiting.append(slot)
            }
        }
        repairs.start(at: started, waitingFor: waiting, viewers: &viewers, now: now, metrics: &metrics)
    }

    /// The broadcaster process stops: its links close at once (a clean shutdown), and
    /// messages to it are lost until it is back.
    mutating func broadcasterGoesDown() {
        guard broadcasterIsUp else { return }
        broadcasterIsUp = false
        metrics.restarts += 1
        let latency = delay(scenario.signallingLatency)
        for child in physicalChildren(of: .broadcaster) {
            setDark(child)
            viewers[Int(child)].upstream = .none
            queue.push(
                .viewer(slot: child, generation: viewers[Int(child)].generation, .upstreamClosed),
                at: now + latency)
        }
    }

    /// The broadcaster starts again from its last persisted tree.
    mutating func broadcasterComesBack() {
        guard !broadcasterIsUp else { return }
        broadcasterIsUp = true
        broadcaster = BroadcasterStateMachine(tree: savedTree, timings: scenario.timings)
        feedBroadcaster(.restarted(from: savedTree, strategy: scenario.restartStrategy))
        // Departed viewers the new tree does not hold will never be removed from it.
        for slot in viewers.indices where !viewers[slot].isPresent && !viewers[slot].isReleased {
            if !broadcaster.tree.contains(viewers[slot].machine.id) { release(Int32(slot)) }
        }
    }
}

extension BroadcasterAction {
    var isSend: Bool {
        if case .send = self { return true }
        return false
    }
}
