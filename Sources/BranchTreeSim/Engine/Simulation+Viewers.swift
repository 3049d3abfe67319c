import BranchTree

extension Simulation {
    /// A viewer arrives with a session of `sessionLength` seconds and opens the broadcast.
    mutating func arrive(sessionLength: Double) {
        let uplink = scenario.uplinks.sample(using: &random).joinArguments(fanout: scenario.fanout)
        let slot: Int32
        let generation: UInt32
        if let reused = freeSlots.popLast() {
            slot = reused
            generation = presence[Int(slot)].generation &+ 1
        } else {
            slot = Int32(presence.count)
            generation = 0
        }
        // Made where it is stored: a machine made before the branch was copied into the
        // array and then destroyed (a few hundred bytes, with its strings and arrays).
        let id = SimulatedNode.id(slot: slot, generation: generation)
        func machine() -> ViewerStateMachine {
            var machine = ViewerStateMachine(
                id: id, broadcaster: broadcasterID,
                relayable: uplink.relayable, capacity: uplink.capacity, timings: scenario.timings)
            // The simulation reads neither `placed` nor `ignored`.
            machine.reportsOutcomes = false
            return machine
        }
        var viewer = SimulatedViewer(arrival: now)
        viewer.idHash = BranchTree.indexHash(of: id)
        if Int(slot) == presence.count {
            presence.append(ViewerPresence(generation: generation))
            viewers.append(viewer)
            machines.append(machine())
        } else {
            presence[Int(slot)] = ViewerPresence(generation: generation)
            viewers[Int(slot)] = viewer
            machines[Int(slot)] = machine()
        }
        presentCount += 1
        queue.push(
            .sessionEnd(slot: slot, generation: generation), at: now.advanced(byNanoseconds: Int64(sessionLength * 1e9))
        )
        feedViewer(slot, .start)
    }

    /// The viewer's session ends: cleanly (its links close at once, the peers see it
    /// after a signalling delay) or abruptly (its peers notice only after the detection
    /// delay). Its stream stops for everyone below it now.
    mutating func depart(_ slot: Int32) {
        let generation = presence[Int(slot)].generation
        let node = SimulatedNode.viewer(slot: slot, generation: generation)
        let id = machines[Int(slot)].id
        let abrupt = random.nextBool(probability: scenario.abruptShare)
        let noticed = abrupt ? delay(scenario.detectionDelay) : delay(scenario.signallingLatency)
        // Tell its peers that the links are gone, when they notice.
        if let parent = viewers[Int(slot)].upstream.parent {
            notifyClosed(parent, ofLinkTo: slot, generation: generation, after: noticed)
        }
        // The signalling server sees its socket close (an abrupt departure when the
        // keep-alive gives up), after every message it sent: one socket is in order.
        if scenario.departureReports == .server {
            let closed = Swift.max(noticed, Int64(scenario.signallingLatency.upperBound * 1e9))
            queue.push(.viewerDisconnected(slot: slot, generation: generation), at: now.advanced(byNanoseconds: closed))
        }
        // Its children's stream (and their subtrees') stops now; they notice later.
        cutOffChildren(of: node, noticedAt: now.advanced(byNanoseconds: noticed))
        endSession(slot)
        repairs.forget(&viewers[Int(slot)], at: now, into: &metrics)
        if !broadcaster.tree.contains(id, hash: viewers[Int(slot)].idHash) { release(slot) }
    }

    /// Puts a departed viewer's slot back on the free list, once.
    mutating func release(_ slot: Int32) {
        guard !presence[Int(slot)].isPresent, !viewers[Int(slot)].isReleased else { return }
        viewers[Int(slot)].isReleased = true
        freeSlots.append(slot)
    }

    /// Folds the session into the metrics and marks the slot as left.
    mutating func endSession(_ slot: Int32) {
        metrics.recordSession(viewers[Int(slot)], until: now)
        if viewers[Int(slot)].darkSince != nil { interruptedCount -= 1 }
        presence[Int(slot)].isPresent = false
        viewers[Int(slot)].leftAt = now
        setUpstream(of: slot, to: .none)
        presence[Int(slot)].receiving = false
        presentCount -= 1
    }

    /// Feeds one input to a present viewer's machine and carries out its actions.
    mutating func feedViewer(_ slot: Int32, _ input: consuming ViewerStateMachine.Input) {
        // The machine writes into the simulation's buffer directly (another stored
        // property: no overlapping access), and the actions are moved out one at a time,
        // with no closure holding the buffer: taking it out and putting it back cost two
        // swaps and the release of the empty array left in its place, on every input.
        // That needs `carryOut` never to feed a viewer: checked.
        precondition(viewerActions.isEmpty, "a viewer's actions were carried out while another's were")
        machines[Int(slot)].handle(input, at: now, into: &viewerActions)
        let generation = presence[Int(slot)].generation
        var index = 0
        while index < viewerActions.count {
            carryOut(viewerActions.moveOut(at: index, leaving: .setTimer(.joinRetry, at: .zero)), of: slot, generation)
            index += 1
        }
        while !viewerActions.isEmpty { Self.dropPlaceholder(viewerActions.removeLast()) }
    }

    /// Drops a placeholder `moveOut(at:leaving:)` left: a `setTimer`, whose payload needs no destroy.
    private static func dropPlaceholder(_ action: consuming ViewerAction) {
        guard case .setTimer = consume action else { preconditionFailure("not a placeholder") }
    }

    /// Carries out one of the actions of the viewer in `slot`, taken as `consuming` (see
    /// `carryOut(_:repair:reported:departure:)`).
    private mutating func carryOut(_ action: consuming ViewerAction, of slot: Int32, _ generation: UInt32) {
        switch consume action {
        case .send(let message, let recipient):
            send(
                message, from: machines[Int(slot)].id, to: recipient, isRestartTraffic: isRestartTraffic,
                senderHash: viewers[Int(slot)].idHash)
        case .openDownstream(let child, _):
            openLink(from: .viewer(slot: slot, generation: generation), to: child)
        case .closeLink(let peer):
            closeLink(between: .viewer(slot: slot, generation: generation), and: peer)
        case .replaceTrack:
            metrics.replaceTracks += 1
        case .setTimer(let timer, let deadline):
            queue.push(.viewerTimer(slot: slot, generation: generation, timer), at: deadline)
        case .placed, .ignored:
            preconditionFailure("the simulation's viewers do not report outcomes")
        }
    }

    /// Schedules a signalling message, counted as restart traffic when `isRestartTraffic`.
    mutating func send(
        _ message: consuming RelayMessage, from sender: consuming ViewerID, to recipient: consuming ViewerID,
        isRestartTraffic: Bool, senderHash: UInt32 = 0
    ) {
        metrics.messages += 1
        if isRestartTraffic { metrics.restartMessages += 1 }
        let at = now.advanced(byNanoseconds: delay(scenario.signallingLatency))
        let place = inFlight.hold(message, from: sender, isRestartTraffic: isRestartTraffic, senderHash: senderHash)
        switch SimulatedNode.node(for: recipient, broadcaster: broadcasterID) {
        case .broadcaster:
            queue.push(.messageToBroadcaster(place), at: at)
        case .viewer(let slot, let generation):
            queue.push(.viewer(slot: slot, generation: generation, .message(place)), at: at)
        case nil:
            preconditionFailure("a message to \(recipient), who is not part of the simulation")
        }
    }

    /// Starts the run with `audience` viewers already placed and receiving, with the
    /// remaining lengths of sessions seen at a random instant of a steady state (longer
    /// sessions are more likely to be under way: length-biased, then a uniform age).
    mutating func buildSteadyState() {
        isInstant = true
        for _ in 0..<scenario.audience {
            arrive(sessionLength: scenario.sessions.residualSample(using: &random))
            // Everything an arrival sets off happens at time 0 (timers and session ends
            // come later) and is done before the next arrives, so that one viewer's
            // messages are in flight at a time, not the whole audience's.
            drain(until: Timestamp(nanoseconds: 1))
            now = .zero
        }
        // A warm start's first frames are not start-ups: do not count their delay.
        metrics.startupDelay = QuantileSummary(resolution: 0.001)
        isInstant = false
    }
}

extension SessionLengthDistribution {
    /// The remaining length of a session in progress at a random instant of a steady
    /// state: the length is drawn length-biased (a long session is proportionally more
    /// likely to be under way), then a uniform share of it is left.
    func residualSample(using random: inout Xoshiro256StarStar) -> Double {
        let biased: Double
        switch self {
        case .lognormal(let mu, let sigma):
            biased = SessionLengthDistribution.lognormal(mu: mu + sigma * sigma, sigma: sigma).sample(using: &random)
        case .exponential(let mean):
            return mean * random.nextStandardExponential()  // memoryless
        case .pareto(let shape, let scale):
            biased = shape > 1 ? random.nextPareto(shape: shape - 1, scale: scale) : sample(using: &random)
        }
        return biased * random.nextOpenUnitDouble()
    }
}
