import BranchTree

extension Simulation {
    /// The broadcaster's machine for `tree`, listing departures in its
    /// ``BroadcasterStateMachine/departures`` instead of reporting changes as actions:
    /// the simulation only counts what they cost, and building a ``TreeChange`` per
    /// operation allocated its lists, which the simulation then freed unread.
    static func broadcasterMachine(tree: BranchTree, timings: ProtocolTimings) -> BroadcasterStateMachine {
        var machine = BroadcasterStateMachine(tree: tree, timings: timings)
        machine.reportsTreeChanges = false
        return machine
    }

    /// Feeds one input to the broadcaster's machine and carries out its actions.
    ///
    /// One input can remove many viewers (the end of a restore window removes every
    /// viewer that did not confirm), so each departure is charged only its own messages:
    /// a removal starts with `viewerRemoved`, the machine appends the repair's sends right
    /// after it, and the next removal starts with the next `viewerRemoved`. Sends outside
    /// a departure's stretch belong to the input: restart traffic when
    /// ``isRestartTraffic``.
    mutating func feedBroadcaster(_ input: consuming BroadcasterStateMachine.Input) {
        // Taken out while in use, never shared: the closure that carries the actions out
        // mutates the simulation. (A loop over the buffer in place, as `feedViewer` does,
        // measured 1.4 M instructions more on the small scenario here.)
        var actions: [BroadcasterAction] = []
        swap(&actions, &broadcasterActions)
        broadcaster.handle(input, at: now, into: &actions)
        // The departure being carried out, and whether a report set the next one off.
        var repair: Repair? = nil
        var reported = true
        // The next of the input's departures, in the order of their `viewerRemoved`.
        var departure = 0
        actions.moveOutEach(placeholder: .setTimer(.downstream, at: .zero), dropping: Self.dropPlaceholder) { action in
            carryOut(action, repair: &repair, reported: &reported, departure: &departure)
        }
        if let finished = repair { recordRepairMessages(finished) }
        swap(&actions, &broadcasterActions)
        if !scenario.restarts.isEmpty, now.seconds - lastPersist.seconds >= scenario.persistInterval {
            savedTree = broadcaster.tree  // copy on write: O(1) now, one copy at the next change
            lastPersist = now
        }
    }

    /// Drops a placeholder `moveOutEach` left: a `setTimer`, whose payload needs no destroy.
    private static func dropPlaceholder(_ action: consuming BroadcasterAction) {
        guard case .setTimer = consume action else { preconditionFailure("not a placeholder") }
    }

    /// The messages of the departure being carried out so far (see `feedBroadcaster`).
    typealias Repair = (linksCreated: Int, reported: Bool, messages: Int)

    /// Carries out one of the broadcaster's actions.
    ///
    /// A method taking the action as `consuming`, not the body of `feedBroadcaster`'s
    /// closure: there, binding a payload copied it (a record's children retained and
    /// released again).
    private mutating func carryOut(
        _ action: consuming BroadcasterAction, repair: inout Repair?, reported: inout Bool, departure: inout Int
    ) {
        switch consume action {
        case .send(let message, let recipient):
            repair?.messages += 1
            send(message, from: broadcasterID, to: recipient, isRestartTraffic: isRestartTraffic && repair == nil)
        case .openDownstream(let child, _):
            openLink(from: .broadcaster, to: child)
        case .closeLink(let peer):
            closeLink(between: .broadcaster, and: peer)
        case .setTimer(let timer, let deadline):
            queue.push(.broadcasterTimer(timer), at: deadline)
        case .treeChanged:
            preconditionFailure("the simulation's broadcaster lists departures instead")
        case .viewerRemoved(let id, let reason):
            if let finished = repair { recordRepairMessages(finished) }
            reported = reason.isReport(broadcaster: broadcasterID)
            let node = SimulatedNode.node(for: id, broadcaster: broadcasterID)
            if case .viewer(let slot, let generation) = node, Int(slot) < presence.count,
                presence[Int(slot)].generation == generation
            {
                release(slot)
            }
            let listed = broadcaster.departures.departures[departure]
            departure += 1
            recordRepair(listed, of: node)
            repair = (listed.linksCreated, reported, 0)
        case .ignored(let reason):
            switch reason {
            case .staleEpoch, .notParent: metrics.ignoredStaleReports += 1
            default: metrics.ignoredOther += 1
            }
        }
    }

    /// Records the messages of a departure's repair: the report that set it off (if one
    /// did), what the broadcaster sent for it, and one `request_stream` per new link.
    private mutating func recordRepairMessages(_ repair: Repair) {
        let report = repair.reported ? 1 : 0
        metrics.controlMessages.record(Double(report + repair.messages + repair.linksCreated))
    }

    /// Records the cost of a departure's repair, but its messages, and starts timing it.
    private mutating func recordRepair(_ departure: DepartureLog.Departure, of leaver: SimulatedNode?) {
        metrics.departures += 1
        metrics.interruptedViewers.record(Double(departure.interruptedCount))
        metrics.reconnections.record(Double(departure.linksCreated))
        var started = now
        if case .viewer(let slot, let generation) = leaver, Int(slot) < presence.count,
            presence[Int(slot)].generation == generation, let leftAt = viewers[Int(slot)].leftAt
        {
            started = leftAt
        }
        var waiting = Self.takeEmptied(&waitingBuffer)
        defer { waitingBuffer = waiting }
        for id in broadcaster.departures.reconnecting[departure.reconnecting] {
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
        cutOffChildren(of: .broadcaster, noticedAt: now.advanced(byNanoseconds: latency))
    }

    /// The broadcaster starts again from its last persisted tree.
    mutating func broadcasterComesBack() {
        guard !broadcasterIsUp else { return }
        broadcasterIsUp = true
        broadcaster = Self.broadcasterMachine(tree: savedTree, timings: scenario.timings)
        isRestartTraffic = true
        feedBroadcaster(.restarted(from: savedTree, strategy: scenario.restartStrategy))
        // Departed viewers the new tree does not hold will never be removed from it.
        for slot in viewers.indices where !viewers[slot].isPresent && !viewers[slot].isReleased {
            if !broadcaster.tree.contains(machines[slot].id) { release(Int32(slot)) }
        }
    }
}

extension BroadcasterStateMachine.RemovalReason {
    /// Whether a message set the removal off: a parent's `close_branch`, or the
    /// signalling server's notice that the session ended; not the broadcaster's own
    /// link closing or timing out, nor the end of a restore window.
    func isReport(broadcaster: ViewerID) -> Bool {
        switch self {
        case .linkClosed(let reporter): reporter != broadcaster
        case .disconnected: true
        case .unconfirmedAfterRestart: false
        }
    }
}
