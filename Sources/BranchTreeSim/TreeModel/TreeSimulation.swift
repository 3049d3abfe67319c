import BranchTree
import _BranchTreePrefetch

/// The tree model: the scenario's workload drives a ``BranchTree`` directly, with no
/// messages, latencies, timers or failures, and every departure repaired at once.
///
///     var simulation = try TreeSimulation(scenario: Scenario())
///     let report = simulation.run()
///     report.figure("perDeparture", "interruptedViewers")   // mean, p50, p99, max
///
/// What it reports is what the placement policy itself costs: per departure the viewers
/// whose stream the repair interrupts and the new links it creates; per viewer-hour the
/// interruptions; the tree's depth and fan-out use at the end. With zero latencies and
/// no failures the full model (``Simulation``) removes each leaver from the same kind of
/// tree, so these figures agree with its own within the replicates' noise; the tree
/// model has no repair latency, start-up delay or protocol traffic to report.
///
/// Arrivals, session lengths, uplink classes and the warm start are drawn as in the full
/// model, from one seeded generator: the same scenario gives the same report, byte for
/// byte. A viewer that cannot relay and finds no free relay slot (or is evicted) joins
/// again after ``ProtocolTimings/joinRetry``, as its machine would.
package struct TreeSimulation: Sendable {
    /// Something that happens at one instant of the tree model.
    enum TreeEvent: Sendable {
        case arrival
        /// `treeSlot` is the viewer's tree slot when no viewer can be evicted (a viewer
        /// that can relay keeps its tree slot from its join to its leave), −1 otherwise.
        case sessionEnd(slot: Int32, treeSlot: Int32)
        /// A viewer left without a place tries to join again.
        case rejoin(slot: Int32, generation: UInt32)
        case sample
    }

    /// A viewer slot: reused once its session ends. 16 bytes, four to a cache line: at
    /// 10⁶ viewers a departure's read of its viewer is a cache miss, and at 24 bytes a
    /// quarter of them straddled two lines.
    struct Viewer: Sendable {
        var arrival: Timestamp
        /// `0` when it cannot relay.
        var capacity: UInt8
        var relayable: Bool
        var isPresent: Bool
        /// Its slot in the tree, or −1 while the tree does not hold it (a viewer left
        /// without a relay slot waits).
        var treeSlot: Int32

        /// Whether the tree holds it.
        var isPlaced: Bool { treeSlot >= 0 }
    }

    let scenario: Scenario
    let arrivals: ArrivalProcess
    var random: Xoshiro256StarStar
    var queue = EventQueue<TreeEvent>()
    var tree: BranchTree
    var now = Timestamp.zero
    let end: Timestamp
    let sampleInterval: Duration
    var viewers: [Viewer] = []
    /// Per viewer slot, which session holds it: a rejoin names the session it was
    /// scheduled for. Kept only while `mayEvict` holds, as only then are rejoins scheduled.
    var generations: [UInt32] = []
    var freeSlots: [Int32] = []
    /// Tree slot → viewer slot, for the viewers a repair evicts (the tree names them by
    /// tree slot).
    var viewerOfTreeSlot: [Int32] = []
    /// Whether some viewers join with capacity 0. Only they are ever evicted (a viewer
    /// that can relay always finds a place), so only then are `viewerOfTreeSlot` and
    /// `generations` kept: at 10⁶ viewers each write was a cache miss per join.
    let mayEvict: Bool
    /// Reused by every tree operation: the model only counts what a repair did.
    var log = SlotChangeLog()
    var presentCount = 0
    var eventCount = 0

    var departures = 0
    var interruptedViewers = QuantileSummary()
    var reconnections = QuantileSummary()
    var sessions = 0
    var interruptions = 0
    var presentSeconds = 0.0
    var timeline: [(time: Double, viewers: Int, interrupted: Int)] = []

    /// Prepares a run; nothing happens until ``run(progressEvery:progress:)``.
    /// - Throws: ``WorkloadError`` naming the first invalid parameter.
    package init(scenario: Scenario) throws(WorkloadError) {
        try scenario.validate()
        self.scenario = scenario
        self.arrivals = try scenario.arrivalProcess()
        self.random = Xoshiro256StarStar(seed: scenario.seed)
        self.end = .seconds(scenario.duration)
        self.sampleInterval = .nanoseconds(Int64(Swift.max(1, scenario.duration / 360) * 1e9))
        self.mayEvict = scenario.uplinks.classes.contains { uplink in
            let arguments = uplink.joinArguments(fanout: scenario.fanout)
            return !arguments.relayable || (arguments.capacity ?? scenario.fanout) <= 0
        }
        do {
            tree = try BranchTree(
                fanout: scenario.fanout, broadcasterFanout: scenario.broadcasterFanout, policy: scenario.policy)
        } catch {
            throw WorkloadError(parameter: "tree", problem: error.description)
        }
    }

    /// Runs the scenario to its end and reports.
    ///
    /// - Parameters:
    ///   - interval: How many events between two calls of `progress`.
    ///   - progress: Called every `interval` events, for a display only.
    /// - Complexity: O(events · log n) for n viewers present.
    package mutating func run(
        progressEvery interval: Int = 1 << 16, progress: ((SimulationProgress) -> Void)? = nil
    ) -> SimulationReport {
        let clock = ContinuousClock()
        let started = clock.now
        let every = Swift.max(1, interval)
        viewers.reserveCapacityAdvisingHugePages(scenario.audience + scenario.audience / 4)
        if scenario.warmStart {
            for _ in 0..<scenario.audience { arrive(sessionLength: scenario.sessions.residualSample(using: &random)) }
        }
        if let first = arrivals.nextArrival(after: .zero, using: &random), first < end {
            queue.push(.arrival, at: first)
        }
        queue.push(.sample, at: .zero)
        while let (at, event) = queue.popFirst(before: end) {
            now = at
            eventCount += 1
            prefetchNext(after: event)
            handle(event)
            if let progress, eventCount % every == 0 {
                progress(
                    SimulationProgress(
                        simulatedSeconds: now.seconds, durationSeconds: scenario.duration, events: eventCount,
                        isSettling: false))
            }
        }
        now = end
        return finish(wallSeconds: (clock.now - started).secondsDouble)
    }

    /// Starts loading what `event` and the next two events, when they are departures,
    /// will read, one step of each one's chain of loads: for the one after next, its
    /// viewer's record and its tree slot's; for the next, whose records were asked for
    /// one event ago, the records its leave reads through them; for `event`, what its
    /// repair reads through those. At 10⁶ viewers each is a cache miss, which then
    /// overlaps with other work instead of stalling its own.
    @inline(__always)
    private func prefetchNext(after event: TreeEvent) {
        if case .sessionEnd(_, let treeSlot) = event, treeSlot >= 0 { tree.prefetchRepair(ofSlot: treeSlot) }
        if case .sessionEnd(_, let treeSlot)? = queue.openedFirstEvent, treeSlot >= 0 {
            tree.prefetchLeave(ofSlot: treeSlot)
        }
        guard case .sessionEnd(let slot, let treeSlot)? = queue.openedSecondEvent else { return }
        viewers.withUnsafeBufferPointer { viewers in
            if Int(slot) < viewers.count { _branchtree_prefetch(viewers.baseAddress! + Int(slot)) }
        }
        if treeSlot >= 0 { tree.prefetchRecord(ofSlot: treeSlot) }
    }

    private mutating func handle(_ event: TreeEvent) {
        switch event {
        case .arrival:
            arrive(sessionLength: scenario.sessions.sample(using: &random))
            if let next = arrivals.nextArrival(after: now, using: &random), next < end {
                queue.push(.arrival, at: next)
            }
        case .sessionEnd(let slot, let treeSlot):
            depart(slot, treeSlot: treeSlot)
        case .rejoin(let slot, let generation):
            let viewer = viewers[Int(slot)]
            guard generations[Int(slot)] == generation, viewer.isPresent, !viewer.isPlaced else { return }
            place(slot)
        case .sample:
            timeline.append((now.seconds, presentCount, 0))
            queue.push(.sample, at: now + sampleInterval)
        }
    }

    /// A viewer arrives with a session of `sessionLength` seconds and joins the tree.
    private mutating func arrive(sessionLength: Double) {
        let uplink = scenario.uplinks.sample(using: &random).joinArguments(fanout: scenario.fanout)
        let capacity = uplink.relayable ? Swift.min(uplink.capacity ?? scenario.fanout, scenario.fanout) : 0
        let viewer = Viewer(
            arrival: now, capacity: UInt8(capacity), relayable: uplink.relayable, isPresent: true, treeSlot: -1)
        let slot: Int32
        if let reused = freeSlots.popLast() {
            slot = reused
            viewers[Int(slot)] = viewer
            if mayEvict { generations[Int(slot)] &+= 1 }
        } else {
            slot = Int32(viewers.count)
            viewers.append(viewer)
            if mayEvict { generations.append(0) }
        }
        presentCount += 1
        let ends = now.advanced(byNanoseconds: Int64(sessionLength * 1e9))
        guard !mayEvict else {
            queue.push(.sessionEnd(slot: slot, treeSlot: -1), at: ends)
            place(slot)
            return
        }
        // Every viewer can relay, so the join cannot fail and pushes nothing: the session
        // end may be pushed after it, as the same push, and name the viewer's tree slot.
        let treeSlot = place(slot)
        precondition(treeSlot >= 0, "a viewer that can relay found no place")
        queue.push(.sessionEnd(slot: slot, treeSlot: treeSlot), at: ends)
    }

    /// Joins a present viewer to the tree, or tries again after the join retry. Returns
    /// its tree slot, or −1 when it waits.
    @discardableResult
    private mutating func place(_ slot: Int32) -> Int32 {
        let viewer = viewers[Int(slot)]
        let treeSlot: Int32
        do {
            // No id: the model addresses viewers by slot and never reads one back.
            treeSlot = try tree.join(
                relayable: viewer.relayable, capacity: viewer.relayable ? Int(viewer.capacity) : nil,
                recordingInto: &log)
        } catch {
            queue.push(.rejoin(slot: slot, generation: generations[Int(slot)]), at: now + scenario.timings.joinRetry)
            return -1
        }
        viewers[Int(slot)].treeSlot = treeSlot
        if mayEvict {
            // The tree hands out its slots in order, so at most one is new.
            while Int(treeSlot) >= viewerOfTreeSlot.count { viewerOfTreeSlot.append(-1) }
            viewerOfTreeSlot[Int(treeSlot)] = slot
        }
        placeEvicted()
        return treeSlot
    }

    /// The viewer's session ends: it leaves the tree, which is repaired at once.
    /// `knownTreeSlot` is the event's (−1 when it does not know it).
    private mutating func depart(_ slot: Int32, treeSlot knownTreeSlot: Int32) {
        let viewer = viewers[Int(slot)]
        // From the event when it knows, before the viewer's record is used: the tree's
        // read of the leaver's record then waits on memory together with that load (at
        // 10⁶ viewers both miss the cache), where it used to wait after it.
        if knownTreeSlot >= 0 { leave(treeSlot: knownTreeSlot) }
        sessions += 1
        presentSeconds += now.seconds(since: viewer.arrival)
        presentCount -= 1
        viewers[Int(slot)].isPresent = false
        viewers[Int(slot)].treeSlot = -1
        freeSlots.append(slot)
        if knownTreeSlot < 0, viewer.isPlaced { leave(treeSlot: viewer.treeSlot) }
    }

    /// Takes the viewer at `treeSlot` out of the tree and counts what the repair did.
    private mutating func leave(treeSlot: Int32) {
        tree.leave(slot: treeSlot, recordingInto: &log)
        departures += 1
        interruptions += log.interruptedCount
        interruptedViewers.record(Double(log.interruptedCount))
        reconnections.record(Double(log.linksCreated.count))
        placeEvicted()
    }

    /// Joins again, one by one, the viewers the last tree operation evicted.
    private mutating func placeEvicted() {
        guard !log.evicted.isEmpty else { return }
        precondition(mayEvict, "the tree evicted a viewer that can relay")
        // Each join empties the log and may reuse a freed tree slot, so every evicted
        // viewer is looked up first.
        let evicted = log.evicted.map { viewerOfTreeSlot[Int($0)] }
        for slot in evicted { viewers[Int(slot)].treeSlot = -1 }
        for slot in evicted { place(slot) }
    }

    /// Folds in the sessions still under way and assembles the report.
    private mutating func finish(wallSeconds: Double) -> SimulationReport {
        var interiorChildren = 0
        var interiorCapacity = 0
        for slot in viewers.indices where viewers[slot].isPresent {
            presentSeconds += now.seconds(since: viewers[slot].arrival)
            sessions += 1
            guard viewers[slot].isPlaced else { continue }
            let children = tree.childCount(ofSlot: viewers[slot].treeSlot)
            if children > 0 {
                interiorChildren += children
                interiorCapacity += Int(viewers[slot].capacity)
            }
        }
        let hours = presentSeconds / 3_600
        let treeFigures = SimulationReport.treeFigures(
            of: tree, interiorChildren: interiorChildren, interiorCapacity: interiorCapacity)
        return SimulationReport(
            scenario: scenario,
            perDeparture: .init(
                departures: .count(departures), interruptedViewers: .run(interruptedViewers),
                reconnections: .run(reconnections)),
            perViewer: .init(
                sessions: .count(sessions),
                interruptionsPerViewerHour: .decimal(hours > 0 ? Double(interruptions) / hours : 0, places: 3)),
            tree: treeFigures.figures, protocolHealth: nil,
            run: SimulationReport.runFigures(
                model: .tree, events: eventCount, simulatedSeconds: now.seconds, wallSeconds: wallSeconds),
            timeline: timeline, depthHistogram: treeFigures.levelSizes)
    }
}
