import Testing
@testable import BranchTree

// A deterministic in-memory network for the relay protocol: one broadcaster machine,
// many viewer machines, and a seeded scheduler that delays, reorders and duplicates
// their messages, sets peer links up (or lets them fail), fires timers, and makes
// viewers come and go and the broadcaster crash. The harness tracks which links are
// really up, so that once the network is quiet it can tell whether every live viewer
// receives the stream. The same seed and profile always give the same run.

/// How a simulated network is built and how hard it is shaken.
struct RelayNetworkProfile: Sendable, CustomTestStringConvertible {
    var fanout: Int
    var broadcasterFanout = 1
    var policy: Policy = .skyway
    /// How many distinct viewers start during the churn, drawn per seed.
    var viewers: ClosedRange<Int> = 2...12
    /// How long viewers keep starting and leaving.
    var churn: Duration = .seconds(60)
    /// Share of new viewers that cannot relay (fewer when the live audience could then
    /// not all be placed).
    var nonRelayable = 0.15
    /// Share of new viewers that relay to fewer than `fanout` (a capacity below it).
    var lowCapacity = 0.0
    /// On a churn tick with someone live: the chance of a departure rather than a start.
    var departures = 0.3
    /// Share of departures that are abrupt (no `leave`, links noticed dead 5–30 s later).
    var abrupt = 0.5
    /// Share of departures the signalling server notices itself (the viewer's socket
    /// closes) and reports with `viewerDisconnected`: a clean one at once, an abrupt one
    /// after the keep-alive gives up, either after every message the viewer sent. The
    /// others are left to the parents' reports and link deadlines.
    var disconnections = 0.5
    /// Share of signalling messages delivered twice.
    var duplicates = 0.05
    /// Share of link set-ups that fail on both sides.
    var failedSetups = 0.03
    /// Broadcaster crashes during the churn, drawn per seed.
    var crashes: ClosedRange<Int> = 0...0
    /// Restart strategies, drawn per restart.
    var strategies: [RestartStrategy] = RestartStrategy.allCases
    /// Share of restarts from an older save than the latest one.
    var staleSaves = 0.0
    /// Chance that the broadcaster comes up only after the first viewers started.
    var lateBroadcaster = 0.2
    /// Keep only the latest timer each machine asked for of each kind (a server's timer
    /// wheel) rather than every one (a simulator's event queue). Both must work.
    var latestTimerOnly = false
    var timings = ProtocolTimings()

    var configuration: BranchTree.Configuration {
        try! BranchTree.Configuration(fanout: fanout, broadcasterFanout: broadcasterFanout, policy: policy)
    }

    var testDescription: String { "\(policy) fanout \(fanout)/\(broadcasterFanout)" }

    /// Every parameter, as the code that makes this profile.
    var summary: String {
        var lines = [
            "var profile = RelayNetworkProfile(fanout: \(fanout), broadcasterFanout: \(broadcasterFanout), "
                + "policy: .\(policy))",
            "profile.viewers = \(viewers); profile.churn = .seconds(\(churn.components.seconds))",
            "profile.nonRelayable = \(nonRelayable); profile.lowCapacity = \(lowCapacity); "
                + "profile.departures = \(departures); profile.abrupt = \(abrupt); "
                + "profile.disconnections = \(disconnections)",
            "profile.duplicates = \(duplicates); profile.failedSetups = \(failedSetups); "
                + "profile.lateBroadcaster = \(lateBroadcaster)",
            "profile.crashes = \(crashes); "
                + "profile.strategies = [\(strategies.map { ".\($0)" }.joined(separator: ", "))]; "
                + "profile.staleSaves = \(staleSaves); profile.latestTimerOnly = \(latestTimerOnly)",
        ]
        if timings != ProtocolTimings() {
            func milliseconds(_ duration: Duration) -> String {
                ".milliseconds(\(duration.nanosecondsClamped / 1_000_000))"
            }
            lines.append(
                "profile.timings = ProtocolTimings(joinRetry: \(milliseconds(timings.joinRetry)), "
                    + "connectTimeout: \(milliseconds(timings.connectTimeout)), "
                    + "repairTimeout: \(milliseconds(timings.repairTimeout)), "
                    + "restoreWindow: \(milliseconds(timings.restoreWindow)))")
        }
        return lines.joined(separator: "\n")
    }
}

/// The network. Drive it with ``runScenario()`` (random churn, then quiet, then the
/// checks) or step by step with the scripted operations.
struct InMemoryRelayNetwork {
    /// Something the scheduler does at a virtual time.
    enum Event: Sendable {
        case churnTick
        case startBroadcaster
        /// With `save`, the restart restores that tree rather than the latest save.
        case crashBroadcaster(restartAfter: Duration?, strategy: RestartStrategy?, save: BranchTree?)
        case restartBroadcaster(RestartStrategy, save: BranchTree?)
        case startViewer(Int)
        case depart(Int, abrupt: Bool)
        /// The signalling server tells the broadcaster (in `incarnation`) that `node`'s
        /// session ended.
        case disconnected(Int, incarnation: Int)
        /// A signalling message reaches `node` (the broadcaster only in `incarnation`).
        case message(RelayMessage, from: Int, to: Int, incarnation: Int)
        /// A timer fires; with `latestTimerOnly`, only if no later one of its kind replaced it.
        case viewerTimer(Int, ViewerStateMachine.Timer, generation: Int)
        case broadcasterTimer(BroadcasterStateMachine.Timer, incarnation: Int, generation: Int)
        /// A link's set-up ends, one way or the other.
        case linkSetUp(Int)
        /// `node` learns that a link it holds is up (the two ends learn it apart).
        case linkUp(Int, notify: Int)
        /// `node` notices that a link it holds has closed.
        case linkClosed(Int, notify: Int)
        /// Log only: how a set-up ended.
        case linkOutcome(Int, String)
    }

    enum LinkState: Sendable, Hashable { case settingUp, up, closed }

    /// One peer connection, `parent → child`. A node holds a link (in `held`) from the
    /// moment it knows it: the parent when it opens it, the child once it is up.
    struct LinkRecord: Sendable {
        var parent: Int
        var child: Int
        var epoch: UInt64
        var state: LinkState
    }

    enum Status: Sendable, Hashable { case notStarted, live, left, vanished }

    struct Peer: Sendable {
        var machine: ViewerStateMachine
        var status: Status
        /// How many viewers it relays to: 0 when it cannot relay.
        var capacity: Int
    }

    let seed: UInt64
    let profile: RelayNetworkProfile
    private(set) var random: Xoshiro256StarStar
    private(set) var now = Timestamp.zero
    private var queue = EventQueue()

    /// Node 0 is the broadcaster; node k ≥ 1 is `peers[k - 1]`.
    private(set) var ids: [ViewerID] = ["root"]
    private var nodeByID: [ViewerID: Int] = ["root": 0]
    private(set) var peers: [Peer] = []
    private(set) var broadcaster: BroadcasterStateMachine
    private(set) var broadcasterUp = false
    /// Grows at every crash and start: messages and timers of another incarnation are lost.
    private var incarnation = 0
    /// The trees persisted after broadcaster steps that changed them, oldest first.
    private var saves: [BranchTree] = []

    private(set) var links: [LinkRecord] = []
    /// Per node, the links it holds, in the order it got them.
    private var held: [[Int]] = [[]]
    /// The number of timers asked for, per node and kind (only looked up, never iterated).
    private var timerGenerations: [TimerKey: Int] = [:]

    private struct TimerKey: Hashable {
        var node: Int
        var kind: Int
    }

    /// When churn stops.
    private(set) var churnEnd = Timestamp.zero
    private var viewersToStart = 0

    // Counters.
    private(set) var openedLinks = 0
    private(set) var eventCount = 0
    private(set) var restarts = 0
    /// Restarts from a save older than the latest.
    private(set) var staleRestarts = 0
    /// The first thing that went wrong; the run stops there.
    private(set) var failure: String?
    private var logTail: [(Timestamp, Event)] = []
    private var logNext = 0
    /// How many events the log keeps (raise it to debug a seed).
    var logSize = 40

    var broadcasterID: ViewerID { ids[0] }

    init(seed: UInt64, profile: RelayNetworkProfile) {
        self.seed = seed
        self.profile = profile
        self.random = Xoshiro256StarStar(seed: seed)
        let tree = try! BranchTree(broadcaster: "root", configuration: profile.configuration)
        self.broadcaster = BroadcasterStateMachine(tree: tree, timings: profile.timings)
    }

    // MARK: Scripted operations

    /// Adds a viewer that starts after `delay`, relaying to `capacity` viewers (nil: the
    /// fan-out; 0: it cannot relay). Returns its node.
    @discardableResult
    mutating func addViewer(capacity: Int? = nil, after delay: Duration = .zero) -> Int {
        let node = ids.count
        let id = ViewerID("v\(node)")
        ids.append(id)
        nodeByID[id] = node
        held.append([])
        let capacity = capacity ?? profile.fanout
        peers.append(Peer(
            machine: ViewerStateMachine(
                id: id, broadcaster: broadcasterID, relayable: capacity > 0,
                capacity: capacity > 0 && capacity < profile.fanout ? capacity : nil, timings: profile.timings),
            status: .notStarted, capacity: capacity))
        schedule(.startViewer(node), after: delay)
        return node
    }

    mutating func startBroadcaster(after delay: Duration = .zero) {
        schedule(.startBroadcaster, after: delay)
    }

    /// Crashes the broadcaster after `delay`; it restarts `downtime` later with `strategy`
    /// (nil: drawn from the profile) from `save` (nil: the latest save, or one drawn by
    /// the profile's `staleSaves`), or not at all when `downtime` is nil.
    mutating func crashBroadcaster(
        after delay: Duration = .zero, downtime: Duration?, strategy: RestartStrategy? = nil,
        from save: BranchTree? = nil
    ) {
        schedule(.crashBroadcaster(restartAfter: downtime, strategy: strategy, save: save), after: delay)
    }

    /// Runs events until none is left, `limit` has passed, `maxEvents` ran, or something
    /// failed. Returns whether the queue drained.
    @discardableResult
    mutating func run(until limit: Timestamp? = nil, maxEvents: Int = 1_000_000) -> Bool {
        var budget = maxEvents
        while failure == nil, let next = queue.peekTime {
            if let limit, next > limit { return false }
            guard budget > 0 else { return false }
            budget -= 1
            let (time, event) = queue.pop()
            now = time
            process(event)
        }
        return queue.isEmpty
    }

    /// Runs until the network is quiet (no event left). Records a failure when it does not
    /// get there within `bound` of virtual time.
    mutating func settle(within bound: Duration = .seconds(3_600)) {
        let limit = now + bound
        if !run(until: limit), failure == nil {
            fail("the network did not go quiet within \(bound) (\(queue.count) events pending)")
        }
    }

    // MARK: Random scenario

    /// Random churn — viewers starting (some before the broadcaster), leaving cleanly or
    /// vanishing, the broadcaster crashing and restarting — then quiet, then the checks.
    /// Returns the failure, if any, with the seed and the tail of the event log.
    mutating func runScenario() -> String? {
        viewersToStart = profile.viewers.lowerBound + random.next(below: profile.viewers.count)
        churnEnd = now + profile.churn
        let broadcasterDelay: Duration =
            random.nextBool(probability: profile.lateBroadcaster)
            ? .milliseconds(1_000 + random.next(below: 15_000)) : .zero
        startBroadcaster(after: broadcasterDelay)
        let crashes = profile.crashes.lowerBound + random.next(below: profile.crashes.count)
        let churnMilliseconds = Int(profile.churn.nanosecondsClamped / 1_000_000)
        for _ in 0..<crashes {
            let at = Duration.milliseconds(5_000 + random.next(below: Swift.max(churnMilliseconds - 5_000, 1)))
            crashBroadcaster(after: at, downtime: .milliseconds(500 + random.next(below: 8_000)))
        }
        schedule(.churnTick, after: .zero)
        settle()
        return report()
    }

    /// The checks' failure with the seed and the event log tail, or nil when every
    /// property holds.
    mutating func report() -> String? {
        if failure == nil {
            let problems = quiescentViolations()
            if !problems.isEmpty { failure = problems.prefix(8).joined(separator: "; ") }
        }
        guard let failure else { return nil }
        return """
            seed \(seed) (\(profile.testDescription)) fails at \(now): \(failure)
            reproduce with:
            \(profile.summary)
            var network = InMemoryRelayNetwork(seed: \(seed), profile: profile)
            network.logSize = 1_000  // more of the log
            print(network.runScenario() ?? "passes")
            last events:
              \(recentEvents().joined(separator: "\n  "))
            state:
              \(stateDump().joined(separator: "\n  "))
            """
    }

    private mutating func churnTick() {
        guard now < churnEnd else { return }
        let live = (1..<ids.count).filter { peers[$0 - 1].status == .live }
        let started = ids.count - 1
        if !live.isEmpty, random.nextBool(probability: profile.departures) {
            let leaver = departureCandidate(from: live)
            process(.depart(leaver, abrupt: random.nextBool(probability: profile.abrupt)))
        } else if started < viewersToStart {
            var capacity = profile.fanout
            let roll = random.nextUnitDouble()
            if roll < profile.nonRelayable {
                capacity = 0
            } else if roll < profile.nonRelayable + profile.lowCapacity, profile.fanout > 1 {
                capacity = 1 + random.next(below: profile.fanout - 1)
            }
            // Never an audience that cannot all be placed.
            if !canPlace(adding: capacity) { capacity = profile.fanout }
            addViewer(capacity: capacity)
        }
        schedule(.churnTick, after: .milliseconds(200 + random.next(below: 5_000)))
    }

    /// Whether the live audience could all be placed with one more viewer of `capacity`
    /// (negative `count`: one fewer): every viewer needs a slot, and only the broadcaster
    /// and relaying viewers have them.
    private func canPlace(adding capacity: Int, count: Int = 1) -> Bool {
        var viewers = count
        var slots = profile.broadcasterFanout + count * capacity
        for peer in peers where peer.status == .live || peer.status == .notStarted {
            viewers += 1
            slots += peer.capacity
        }
        return viewers <= slots
    }

    private mutating func departureCandidate(from live: [Int]) -> Int {
        let pick = live[random.next(below: live.count)]
        if canPlace(adding: peers[pick - 1].capacity, count: -1) { return pick }
        // Losing this relaying viewer would leave someone without a slot: one that cannot
        // relay goes instead.
        return live.first { peers[$0 - 1].capacity == 0 }!
    }

    // MARK: Scheduler

    private mutating func schedule(_ event: Event, after delay: Duration) {
        queue.push(event, at: now + delay)
    }

    private mutating func schedule(_ event: Event, at time: Timestamp) {
        queue.push(event, at: Swift.max(time, now))
    }

    private mutating func fail(_ message: String) {
        if failure == nil { failure = message }
    }

    private mutating func log(_ event: Event) {
        if logTail.count < logSize {
            logTail.append((now, event))
        } else {
            logTail[logNext] = (now, event)
        }
        logNext = (logNext + 1) % logSize
    }

    private mutating func process(_ event: Event) {
        eventCount += 1
        log(event)
        switch event {
        case .churnTick:
            churnTick()
        case .startBroadcaster:
            incarnation += 1
            broadcasterUp = true
        case .crashBroadcaster(let downtime, let strategy, let save):
            guard broadcasterUp else { return }
            broadcasterUp = false
            incarnation += 1
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
            guard peers[node - 1].status == .live else { return }
            if abrupt {
                peers[node - 1].status = .vanished
                dropLinks(of: node, noticedAfter: 5_000...30_000)
            } else {
                stepViewer(node, .leave)
                peers[node - 1].status = .left
                // The process ends: anything the machine left open closes too.
                dropLinks(of: node, noticedAfter: 20...500)
            }
            if random.nextBool(probability: profile.disconnections) {
                // After the slowest message the viewer may have sent (3.3 s): one socket
                // delivers in order. An abrupt one waits for the keep-alive (5–30 s).
                let after = abrupt ? 5_000 + random.next(below: 25_000) : 3_300 + random.next(below: 200)
                schedule(.disconnected(node, incarnation: incarnation), after: .milliseconds(after))
            }
        case .disconnected(let node, let tag):
            guard broadcasterUp, tag == incarnation else { return }
            stepBroadcaster(.viewerDisconnected(ids[node]))
        case .message(let message, let sender, let recipient, let tag):
            if recipient == 0 {
                guard broadcasterUp, tag == incarnation else { return }
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
            guard broadcasterUp, tag == incarnation, isCurrent(generation, node: 0, kind: Self.kind(of: timer))
            else { return }
            stepBroadcaster(.timerFired(timer))
        case .linkSetUp(let link):
            linkSetUp(link)
        case .linkUp(let link, let node):
            guard links[link].state == .up, held[node].contains(link) else { return }
            tellConnected(link, to: node)
        case .linkClosed(let link, let node):
            linkClosed(link, notify: node)
        case .linkOutcome:
            break
        }
    }

    // MARK: Machines

    private mutating func stepBroadcaster(_ input: BroadcasterStateMachine.Input) {
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

    private mutating func stepViewer(_ node: Int, _ input: ViewerStateMachine.Input) {
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
        guard !broadcasterUp else { return }
        var save = chosen ?? saves.last
        if chosen == nil, saves.count > 1, random.nextBool(probability: profile.staleSaves) {
            save = saves[random.next(below: saves.count - 1)]
            staleRestarts += 1
        }
        let restored: BranchTree
        do {
            // Through the snapshot, as a real broadcaster persists it.
            restored = try save.map { try BranchTree(snapshot: $0.snapshot()) }
                ?? BranchTree(broadcaster: broadcasterID, configuration: profile.configuration)
        } catch {
            return fail("the saved tree does not restore: \(error)")
        }
        broadcasterUp = true
        incarnation += 1
        restarts += 1
        broadcaster = BroadcasterStateMachine(tree: restored, timings: profile.timings)
        stepBroadcaster(.restarted(from: restored, strategy: strategy))
    }

    /// What is wrong inside a viewer machine, checked after each of its steps.
    static func inconsistency(in machine: ViewerStateMachine) -> String? {
        let children = machine.children
        if machine.parent == machine.id || children.contains(machine.id) { return "it is its own parent or child" }
        if Set(children).count != children.count { return "a child is listed twice: \(children)" }
        if let upstream = machine.upstream, upstream.state != .lost, children.contains(upstream.parent) {
            return "its upstream \(upstream.parent) is also its child"
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

    // MARK: Signalling

    private mutating func send(_ message: RelayMessage, from sender: Int, to recipient: Int) {
        let copies = random.nextBool(probability: profile.duplicates) ? 2 : 1
        for _ in 0..<copies {
            // Mostly quick, sometimes slow: messages overtake each other.
            let delay =
                random.nextBool(probability: 0.1) ? 300 + random.next(below: 3_000) : 5 + random.next(below: 300)
            schedule(
                .message(message, from: sender, to: recipient, incarnation: incarnation), after: .milliseconds(delay))
        }
    }

    // MARK: Links

    /// The link `node` holds with `peer`, either way round.
    private func heldLink(of node: Int, with peer: Int) -> Int? {
        held[node].first { links[$0].parent == peer || links[$0].child == peer }
    }

    private mutating func release(_ link: Int, by node: Int) {
        held[node].removeAll { $0 == link }
    }

    private mutating func openLink(from parent: Int, to child: Int, epoch: UInt64) {
        openedLinks += 1
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

    private mutating func linkSetUp(_ link: Int) {
        guard links[link].state == .settingUp else { return log(.linkOutcome(link, "was closed while setting up")) }
        let (parent, child) = (links[link].parent, links[link].child)
        let peer = peers[child - 1]
        // The child takes a connection only from the node it asked for the stream.
        let accepted =
            peer.status == .live && peer.machine.parent == ids[parent] && heldLink(of: child, with: parent) == nil
        guard accepted, !random.nextBool(probability: profile.failedSetups) else {
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

    private mutating func tellConnected(_ link: Int, to node: Int) {
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
    private mutating func closeLink(from node: Int, to peer: Int) {
        guard let link = heldLink(of: node, with: peer) else { return }
        release(link, by: node)
        let wasUp = links[link].state == .up
        if links[link].state != .closed { links[link].state = .closed }
        if wasUp { schedule(.linkClosed(link, notify: peer), after: .milliseconds(20 + random.next(below: 500))) }
    }

    /// Every link `node` holds closes; its peers notice after a delay in `milliseconds`.
    private mutating func dropLinks(of node: Int, noticedAfter milliseconds: ClosedRange<Int>) {
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

    private mutating func linkClosed(_ link: Int, notify node: Int) {
        guard held[node].contains(link) else { return }
        release(link, by: node)
        if node == links[link].child {
            stepViewer(node, .upstreamClosed)
        } else {
            tellParent(node, closed: links[link].child)
        }
    }

    // MARK: Properties

    /// Whether `node`'s stream arrives: an up link from its tree parent, whose stream
    /// arrives, up to the broadcaster.
    func receivesStream(_ node: Int) -> Bool {
        var current = node
        var hops = 0
        while current != 0 {
            guard hops <= broadcaster.tree.count, let parent = upstreamHop(of: current) else { return false }
            current = parent
            hops += 1
        }
        return broadcasterUp
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
    func everyLiveViewerReceives() -> Bool {
        guard broadcasterUp else { return false }
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
    mutating func recoveryTime(
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

    /// What is wrong with the quiet network, in a deterministic order (empty when all holds).
    func quiescentViolations() -> [String] {
        var problems: [String] = []
        let tree = broadcaster.tree
        if !broadcasterUp { problems.append("the broadcaster is down") }
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
        if broadcaster.firstViewerLinks.connectedChildren != firstViewers {
            problems.append(
                "the broadcaster relays to \(broadcaster.firstViewerLinks.connectedChildren), "
                    + "the tree says \(firstViewers)")
        }
        for (index, link) in links.enumerated() where link.state != .closed {
            let childID = ids[link.child]
            if link.state == .settingUp || (try? tree.parent(of: childID)) != ids[link.parent] {
                problems.append("stray link \(describe(link: index))")
            }
        }
        return problems
    }

    // MARK: Descriptions

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

    /// The last events, oldest first.
    func recentEvents() -> [String] {
        let ordered = logTail.count < logSize ? logTail : Array(logTail[logNext...] + logTail[..<logNext])
        return ordered.map { "[\($0.0)] \(describe($0.1))" }
    }

    /// The tree, every viewer's view, and the links that are not closed.
    func stateDump() -> [String] {
        var lines = ["tree v\(broadcaster.tree.version): \(broadcaster.tree.levels.map { $0.map(\.rawValue) })"]
        for node in 1..<ids.count {
            let machine = peers[node - 1].machine
            let treeParent = (try? broadcaster.tree.parent(of: ids[node])).map { $0?.rawValue ?? "-" } ?? "absent"
            lines.append(
                "\(ids[node]) \(peers[node - 1].status) \(machine.phase)"
                    + " parent \(machine.parent.map(\.rawValue) ?? "-")"
                    + " epoch \(machine.upstream.map { "\($0.epoch)" } ?? "-") children \(machine.children)"
                    + " tree parent \(treeParent)")
        }
        for (index, link) in links.enumerated() where link.state != .closed { lines.append(describe(link: index)) }
        return lines
    }
}

/// A min-heap of events by time, ties broken by insertion order.
struct EventQueue {
    private struct Entry {
        var time: Timestamp
        var sequence: UInt64
        var event: InMemoryRelayNetwork.Event

        func precedes(_ other: Entry) -> Bool {
            time != other.time ? time < other.time : sequence < other.sequence
        }
    }

    private var heap: [Entry] = []
    private var nextSequence: UInt64 = 0

    var isEmpty: Bool { heap.isEmpty }
    var count: Int { heap.count }
    var peekTime: Timestamp? { heap.first?.time }

    mutating func push(_ event: InMemoryRelayNetwork.Event, at time: Timestamp) {
        heap.append(Entry(time: time, sequence: nextSequence, event: event))
        nextSequence += 1
        var index = heap.count - 1
        while index > 0 {
            let parent = (index - 1) / 2
            guard heap[index].precedes(heap[parent]) else { break }
            heap.swapAt(index, parent)
            index = parent
        }
    }

    mutating func pop() -> (Timestamp, InMemoryRelayNetwork.Event) {
        let top = heap[0]
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var index = 0
            while true {
                let left = 2 * index + 1
                guard left < heap.count else { break }
                var smallest = left
                if left + 1 < heap.count, heap[left + 1].precedes(heap[left]) { smallest = left + 1 }
                guard heap[smallest].precedes(heap[index]) else { break }
                heap.swapAt(index, smallest)
                index = smallest
            }
        }
        return (top.time, top.event)
    }
}
