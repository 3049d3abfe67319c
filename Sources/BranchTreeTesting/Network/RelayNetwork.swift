import BranchTree

/// A deterministic in-memory network for the relay protocol: one
/// `BroadcasterStateMachine`, many `ViewerStateMachine`s, and a
/// seeded scheduler that delays, reorders, duplicates and drops their signalling
/// messages, sets peer links up (or lets them fail), fires timers, and makes viewers come
/// and go — cleanly or abruptly — and the broadcaster crash and restart from its saves.
///
///     var network = RelayNetwork(seed: 7, profile: try RelayNetworkProfile(fanout: 2))
///     if let failure = network.runScenario() { print(failure) }   // churn, quiet, checks
///
/// The network tracks which peer links are really up, so that once it is quiet it can
/// tell whether every live viewer receives the stream (``quiescentViolations()``). The
/// same seed and profile always give the same run, event for event (``trace``): a failing
/// seed stays a failing seed on every machine and Swift version.
///
/// Nodes are numbered: node 0 is the broadcaster (`root`), node k ≥ 1 the k-th viewer
/// added (`v<k>`). Drive the network with random churn (``runScenario()``), with a
/// generated sequence of ``Operation``s that shrinks when it fails (``run(_:)``), or step
/// by step (``addViewer(capacity:after:)``, ``crashBroadcaster(after:downtime:strategy:from:)``,
/// ``settle(within:)``).
public struct RelayNetwork: Sendable {
    /// The seed of every random choice the network makes.
    public let seed: UInt64
    /// The network's configuration and faults.
    public let profile: RelayNetworkProfile
    var random: Xoshiro256StarStar
    /// The virtual time: that of the last event processed.
    public internal(set) var now = Timestamp.zero
    var queue = RelayEventQueue()

    /// Node 0 is the broadcaster; node k ≥ 1 is `peers[k - 1]`.
    var ids: [ViewerID] = ["root"]
    /// Only looked up, never iterated.
    var nodeByID: [ViewerID: Int] = ["root": 0]
    var peers: [Peer] = []
    /// The broadcaster's machine, and with it the tree.
    public internal(set) var broadcaster: BroadcasterStateMachine
    /// Whether the broadcaster is running (it has started and not crashed since).
    public internal(set) var isBroadcasterUp = false
    /// Grows at every crash and start: messages and timers of another incarnation are lost.
    var incarnation = 0
    /// The trees persisted after broadcaster steps that changed them, oldest first.
    var saves: [BranchTree] = []

    var links: [LinkRecord] = []
    /// Per node, the links it holds, in the order it got them.
    var held: [[Int]] = [[]]
    /// The number of timers asked for, per node and kind (only looked up, never iterated).
    var timerGenerations: [TimerKey: Int] = [:]

    /// When the churn of ``runScenario()`` stops.
    var churnEnd = Timestamp.zero
    var viewersToStart = 0

    /// What the network has done so far, to tell a run from a vacuous one.
    public internal(set) var statistics = Statistics()
    /// The first thing that went wrong; the network stops there.
    public internal(set) var failure: String?
    var logTail: [(Timestamp, Event)] = []
    var logNext = 0
    /// How many events ``trace`` keeps (raise it to debug a seed).
    public var logSize = 40

    /// A network of a broadcaster that has not started and no viewer.
    ///
    /// - Complexity: O(1)
    public init(seed: UInt64, profile: RelayNetworkProfile) {
        self.seed = seed
        self.profile = profile
        self.random = Xoshiro256StarStar(seed: seed)
        self.broadcaster = BroadcasterStateMachine(
            tree: BranchTree.emptyTree(profile.configuration), timings: profile.timings)
    }

    /// The broadcaster's id.
    public var broadcasterID: ViewerID { ids[0] }

    /// The number of viewers added, started or not.
    public var viewerCount: Int { peers.count }

    /// The id of `node`: `root` for node 0, `v<k>` for viewer k.
    ///
    /// - Precondition: `node` is at most ``viewerCount``.
    public func id(of node: Int) -> ViewerID { ids[node] }

    /// The machine of viewer `node` (1 ... ``viewerCount``).
    public func viewer(_ node: Int) -> ViewerStateMachine { peers[node - 1].machine }

    /// Where viewer `node` (1 ... ``viewerCount``) stands in its life.
    public func status(of node: Int) -> ViewerStatus { peers[node - 1].status }

    // MARK: Scripted operations

    /// Adds a viewer that starts after `delay`, relaying to `capacity` viewers (nil: the
    /// fan-out; 0: it cannot relay). Returns its node.
    ///
    /// - Complexity: O(log e) for e pending events.
    @discardableResult
    public mutating func addViewer(capacity: Int? = nil, after delay: Duration = .zero) -> Int {
        let node = ids.count
        let id = ViewerID("v\(node)")
        ids.append(id)
        nodeByID[id] = node
        held.append([])
        let capacity = capacity ?? profile.fanout
        peers.append(
            Peer(
                machine: ViewerStateMachine(
                    id: id, broadcaster: broadcasterID, relayable: capacity > 0,
                    capacity: capacity > 0 && capacity < profile.fanout ? capacity : nil, timings: profile.timings),
                status: .notStarted, capacity: capacity))
        schedule(.startViewer(node), after: delay)
        return node
    }

    /// Starts the broadcaster after `delay`.
    ///
    /// - Complexity: O(log e) for e pending events.
    public mutating func startBroadcaster(after delay: Duration = .zero) {
        schedule(.startBroadcaster, after: delay)
    }

    /// Makes viewer `node` leave after `delay`: cleanly (it sends its `leave`) or
    /// abruptly (it vanishes; its peers notice its links die 5–30 s later).
    ///
    /// - Complexity: O(log e) for e pending events.
    public mutating func depart(_ node: Int, abrupt: Bool, after delay: Duration = .zero) {
        schedule(.depart(node, abrupt: abrupt), after: delay)
    }

    /// Crashes the broadcaster after `delay`; it restarts `downtime` later with `strategy`
    /// (nil: drawn from the profile) from `save` (nil: the latest save, or one drawn by
    /// the profile's ``RelayNetworkProfile/staleSaves``), or not at all when `downtime`
    /// is nil.
    ///
    /// - Complexity: O(log e) for e pending events.
    public mutating func crashBroadcaster(
        after delay: Duration = .zero, downtime: Duration?, strategy: RestartStrategy? = nil,
        from save: BranchTree? = nil
    ) {
        schedule(.crashBroadcaster(restartAfter: downtime, strategy: strategy, save: save), after: delay)
    }

    /// Runs events until none is left, `limit` has passed, `maxEvents` ran, or something
    /// failed. Returns whether the queue drained.
    ///
    /// - Complexity: O(k log e) for k events run, e pending, plus the machines' own costs.
    @discardableResult
    public mutating func run(until limit: Timestamp? = nil, maxEvents: Int = 1_000_000) -> Bool {
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

    /// Runs until the network is quiet (no event left). Records a ``failure`` when it does
    /// not get there within `bound` of virtual time.
    ///
    /// - Complexity: As ``run(until:maxEvents:)``.
    public mutating func settle(within bound: Duration = .seconds(3_600)) {
        let limit = now + bound
        if !run(until: limit), failure == nil {
            fail("the network did not go quiet within \(bound) (\(queue.count) events pending)")
        }
    }

    // MARK: Scheduler

    mutating func schedule(_ event: Event, after delay: Duration) {
        queue.push(event, at: now + delay)
    }

    mutating func schedule(_ event: Event, at time: Timestamp) {
        queue.push(event, at: Swift.max(time, now))
    }

    mutating func fail(_ message: String) {
        if failure == nil { failure = message }
    }

    mutating func log(_ event: Event) {
        if logTail.count < logSize {
            logTail.append((now, event))
        } else {
            logTail[logNext] = (now, event)
        }
        logNext = (logNext + 1) % logSize
    }
}
