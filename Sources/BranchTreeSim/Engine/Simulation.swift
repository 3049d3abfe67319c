import BranchTree

/// A deterministic discrete-event simulation of a broadcast: viewers arrive and leave by
/// the scenario's workload, and the real ``BroadcasterStateMachine`` and one
/// ``ViewerStateMachine`` per viewer talk over a simulated network with latency,
/// connection set-up times and failures, abrupt departures and broadcaster restarts.
///
///     var simulation = try Simulation(scenario: Scenario())
///     let report = simulation.run()
///     report.figure("perDeparture", "interruptedViewers")   // mean, p50, p99, max
///
/// Virtual time; every random draw comes from one seeded xoshiro256** generator, and
/// events due at the same instant run in the order they were scheduled, so the same
/// scenario gives the same report, byte for byte.
package struct Simulation: Sendable {
    let scenario: Scenario
    let arrivals: ArrivalProcess
    var random: Xoshiro256StarStar
    var queue = EventQueue<SimulationEvent>()
    /// The messages the queue's events deliver.
    var inFlight = InFlightMessages()
    /// The children cut off at once that an `upstreamsClosed` event tells.
    var severedLinks = SeveredLinks()
    var now = Timestamp.zero
    /// Until the warm start is built, messages and connections take no time and never fail.
    var isInstant = false
    /// Whether viewers still arrive and leave (false while the network drains at the end).
    var isChurning = true
    /// How often a point of the time series is taken: 360 points per run.
    let sampleInterval: Duration

    var broadcaster: BroadcasterStateMachine
    let broadcasterID: ViewerID
    var broadcasterIsUp = true
    /// The tree as last persisted (every ``Scenario/persistInterval`` when restarts are
    /// planned), for restarts.
    var savedTree: BranchTree
    var lastPersist = Timestamp.zero

    /// Each slot's generation, presence and reception, apart from the records: what
    /// nearly every event reads first, in a dense array that mostly stays in the cache.
    var presence: [ViewerPresence] = []
    var viewers: [SimulatedViewer] = []
    /// Each slot's protocol machine, apart from the viewer's other state: a machine is
    /// a few hundred bytes, and the checks that an event's session is still under way and
    /// the subtree walks read only the records (about a hundred bytes each).
    var machines: [ViewerStateMachine] = []
    /// The links that are up, by slot: what the subtree walks follow.
    var links = LinkGraph()
    /// Slots whose session ended and that the tree no longer holds.
    var freeSlots: [Int32] = []
    var presentCount = 0
    /// Present viewers that have had a first frame but receive nothing now.
    var interruptedCount = 0

    var metrics = SimulationMetrics()
    /// Whether the event being handled is a restart's consequence: the restart itself,
    /// or a message sent in answer to one of its messages, recursively. Messages sent
    /// meanwhile count as restart traffic, except a departure's repair. What a viewer's
    /// own timer or link event sets off is ordinary traffic.
    var isRestartTraffic = false
    var repairs = RepairTracker()
    /// Events handled. Timers dropped unfired (see `openQueueBuckets`) are not events.
    var eventCount = 0
    /// Viewers' timers dropped unfired because they would have found nothing to do.
    var droppedTimers = 0
    /// Whether such timers are dropped (see `openQueueBuckets`); off, every timer fires.
    /// Off only in tests, to compare.
    var dropsIdleTimers = true
    /// Reused action buffers (no allocation per event).
    var viewerActions: [ViewerAction] = []
    var broadcasterActions: [BroadcasterAction] = []
    /// Reused slot lists (see `takeEmptied`): the stack of subtree walks (`setReceiving`,
    /// `setDark`), and the lists of `cutOffChildren` and `recordRepair`, which allocated,
    /// grew and freed an array a few times per departure.
    var walkStack: [Int32] = []
    var childrenBuffer: [Int32] = []
    var waitingBuffer: [Int32] = []

    /// Prepares a run; nothing happens until ``run()``.
    /// - Throws: ``WorkloadError`` naming the first invalid parameter.
    package init(scenario: Scenario) throws(WorkloadError) {
        try scenario.validate()
        self.scenario = scenario
        self.arrivals = try scenario.arrivalProcess()
        self.random = Xoshiro256StarStar(seed: scenario.seed)
        self.sampleInterval = .nanoseconds(Int64(Swift.max(1, scenario.duration / 360) * 1e9))
        let tree: BranchTree
        do {
            tree = try BranchTree(
                fanout: scenario.fanout, broadcasterFanout: scenario.broadcasterFanout, policy: scenario.policy)
        } catch {
            throw WorkloadError(parameter: "tree", problem: error.description)
        }
        self.broadcaster = Self.broadcasterMachine(tree: tree, timings: scenario.timings)
        self.broadcasterID = tree.broadcaster
        precondition(
            SimulatedNode.node(for: broadcasterID, broadcaster: broadcasterID) == .broadcaster,
            "the broadcaster's id must not have a simulated viewer's form")
        self.savedTree = tree
    }

    /// Runs the scenario to the end and reports.
    ///
    /// - Parameters:
    ///   - interval: How many events between two calls of `progress`.
    ///   - progress: Called every `interval` events: for a display only, it cannot change
    ///     the run.
    /// - Complexity: O(events · log(pending events)), plus the work of the state machines.
    package mutating func run(
        progressEvery interval: Int = 1 << 16, progress: ((SimulationProgress) -> Void)? = nil
    ) -> SimulationReport {
        let reporting = progress.map { (every: Swift.max(1, interval), report: $0) }
        let clock = ContinuousClock()
        let started = clock.now
        // Room for the warm start and the arrivals of its first minutes, advised for huge
        // pages before the records are first written.
        presence.reserveCapacityAdvisingHugePages(scenario.audience + scenario.audience / 4)
        viewers.reserveCapacityAdvisingHugePages(scenario.audience + scenario.audience / 4)
        machines.reserveCapacityAdvisingHugePages(scenario.audience + scenario.audience / 4)
        links.reserveCapacity(slots: scenario.audience + scenario.audience / 4)
        if scenario.warmStart && scenario.audience > 0 { buildSteadyState() }

        let end = Timestamp.seconds(scenario.duration)
        if let first = arrivals.nextArrival(after: .zero, using: &random), first < end {
            queue.push(.arrival, at: first)
        }
        for time in scenario.restarts.sorted() {
            queue.push(.broadcasterDown, at: .seconds(time))
            queue.push(.broadcasterUp, at: .seconds(time + scenario.restartDowntime))
        }
        queue.push(.sample, at: .zero)

        // Churn until the end, then let the network settle with nobody arriving or leaving.
        drain(until: end, progress: reporting)
        isChurning = false
        let settle =
            end + scenario.timings.repairTimeout + scenario.timings.connectTimeout
            + .seconds(scenario.detectionDelay.upperBound + 60)
        drain(until: settle, progress: reporting)

        let wall = clock.now - started
        return finish(wallSeconds: wall.secondsDouble)
    }

    /// Processes events due before `limit`.
    mutating func drain(
        until limit: Timestamp, progress: (every: Int, report: (SimulationProgress) -> Void)? = nil
    ) {
        while true {
            if dropsIdleTimers, !queue.hasOpenedEvent { openQueueBuckets(before: limit) }
            guard let (at, event) = queue.popFirst(before: limit) else { break }
            now = at
            handle(event)
            _checkInvariants()
            eventCount += 1
            if let progress, eventCount % progress.every == 0 {
                progress.report(
                    SimulationProgress(
                        simulatedSeconds: now.seconds, durationSeconds: scenario.duration, events: eventCount,
                        isSettling: !isChurning))
            }
        }
        now = Swift.max(now, limit)
    }

    /// Carries `event` out. Every event popped counts, those that find nothing to do
    /// included (a message for a session that has ended, a timer whose deadline moved
    /// later); a viewer's timer with no deadline of its kind left is mostly dropped before
    /// it is popped (see `openQueueBuckets`).
    private mutating func handle(_ event: SimulationEvent) {
        isRestartTraffic = false
        switch event {
        case .arrival:
            guard isChurning else { return }
            arrive(sessionLength: scenario.sessions.sample(using: &random))
            if let next = arrivals.nextArrival(after: now, using: &random), next < .seconds(scenario.duration) {
                queue.push(.arrival, at: next)
            }
        case .sessionEnd(let slot, let generation):
            guard isChurning, isCurrent(slot, generation) else { return }
            depart(slot)
        case .viewer(let slot, let generation, let delivery):
            let input: ViewerStateMachine.Input
            switch delivery {
            case .message(let place):
                // Taken whether or not delivered: every place is freed once.
                let (message, sender, restartTraffic, _) = inFlight.take(place)
                input = .received(message, from: sender)
                isRestartTraffic = restartTraffic
            case .upstreamClosed: input = .upstreamClosed
            case .downstreamClosed(let child, let childGeneration):
                input = .downstreamClosed(viewerID(slot: child, generation: childGeneration))
            }
            guard isCurrent(slot, generation) else { return }
            feedViewer(slot, input)
        case .viewerTimer(let slot, let generation, let timer):
            fireTimer(timer, of: slot, generation)
        case .upstreamsClosed(let place):
            noticeSeveredLinks(place)
        case .messageToBroadcaster(let place):
            let (message, sender, restartTraffic, senderHash) = inFlight.take(place)
            guard broadcasterIsUp else { return }
            isRestartTraffic = restartTraffic
            broadcaster.knownIDHash = (sender, senderHash)
            feedBroadcaster(.received(message, from: sender))
        case .viewerDisconnected(let slot, let generation):
            guard broadcasterIsUp else { return }
            let id = viewerID(slot: slot, generation: generation)
            // The slot's hash is this session's only while the slot holds it.
            if presence[Int(slot)].generation == generation {
                broadcaster.knownIDHash = (id, viewers[Int(slot)].idHash)
            }
            feedBroadcaster(.viewerDisconnected(id))
        case .broadcasterLinkClosed(let slot, let generation):
            guard broadcasterIsUp else { return }
            feedBroadcaster(.downstreamClosed(viewerID(slot: slot, generation: generation)))
        case .broadcasterTimer(let timer):
            guard broadcasterIsUp else { return }
            feedBroadcaster(.timerFired(timer))
        case .linkSetUp(let parent, let slot, let generation):
            finishLinkSetUp(from: parent, to: slot, generation: generation)
        case .broadcasterDown:
            broadcasterGoesDown()
        case .broadcasterUp:
            broadcasterComesBack()
        case .sample:
            metrics.timeline.append((now.seconds, presentCount, interruptedCount))
            if isChurning { queue.push(.sample, at: now + sampleInterval) }
        }
    }

    /// The id of the session in `slot` and `generation`: its machine's while the slot
    /// still holds that session (a copy, where making the string costs a hundred
    /// instructions and more), else made anew.
    ///
    /// Always inlined, like `isReceiving`: out of line, it copied the whole simulation.
    @inline(__always)
    func viewerID(slot: Int32, generation: UInt32) -> ViewerID {
        let index = Int(slot)
        if index < presence.count, presence[index].generation == generation { return machines[index].id }
        return SimulatedNode.id(slot: slot, generation: generation)
    }

    func isCurrent(_ slot: Int32, _ generation: UInt32) -> Bool {
        let index = Int(slot)
        return index < presence.count && presence[index].generation == generation && presence[index].isPresent
    }

    /// A uniform draw from `range` seconds, in nanoseconds, or 0 while the warm start is
    /// built.
    mutating func delay(_ range: ClosedRange<Double>) -> Int64 {
        if isInstant { return 0 }
        let seconds = range.lowerBound + (range.upperBound - range.lowerBound) * random.nextUnitDouble()
        return Int64(seconds * 1e9)
    }
}
