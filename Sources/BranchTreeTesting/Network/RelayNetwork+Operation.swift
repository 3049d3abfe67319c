import BranchTree

extension RelayNetwork {
    /// One step of a scripted run: what ``RelayNetworkProfile/operations(seed:)``
    /// generates and ``RelayNetwork/run(_:)`` performs.
    ///
    /// Operations name viewers by position, not by id, and are resolved against the
    /// network when performed, so that any subsequence of a valid sequence is valid too:
    /// what lets ``PropertyCheck/shrink(_:failure:)`` drop operations freely.
    public enum Operation: Sendable, Hashable, CustomStringConvertible {
        /// A viewer starts, relaying to `capacity` viewers (nil: the fan-out; 0: it cannot
        /// relay). The fan-out instead when the live audience could otherwise not all be
        /// placed.
        case addViewer(capacity: Int?)
        /// The live viewer at `pick` (modulo their number, in the order they were added)
        /// leaves — cleanly with `leave`, or abruptly without a word. Nothing when nobody
        /// is live; a viewer that cannot relay instead when the rest could otherwise not
        /// all be placed.
        case depart(pick: Int, abrupt: Bool)
        /// The broadcaster crashes and restarts `downtime` later, with `strategy` (nil:
        /// drawn from the profile) from its latest save (or, by the profile's
        /// ``RelayNetworkProfile/staleSaves``, an older one).
        case crashBroadcaster(downtime: Duration, strategy: RestartStrategy?)
        /// The network runs for `duration` of virtual time.
        case wait(Duration)

        /// The operation as Swift source, such as `.depart(pick: 3, abrupt: true)`.
        public var description: String {
            switch self {
            case .addViewer(let capacity): ".addViewer(capacity: \(capacity.map(String.init) ?? "nil"))"
            case .depart(let pick, let abrupt): ".depart(pick: \(pick), abrupt: \(abrupt))"
            case .crashBroadcaster(let downtime, let strategy):
                ".crashBroadcaster(downtime: \(downtime), strategy: \(strategy.map { ".\($0)" } ?? "nil"))"
            case .wait(let duration): ".wait(\(duration))"
            }
        }
    }

    /// Performs one operation now, with the events it makes due at once (a viewer's
    /// start, a crash); a ``Operation/wait(_:)`` runs the network that long.
    ///
    /// - Complexity: O(n) for n viewers, plus the events a wait runs.
    public mutating func perform(_ operation: Operation) {
        switch operation {
        case .addViewer(let capacity):
            addViewer(capacity: placeable(capacity ?? profile.fanout))
            run(until: now)
        case .depart(let pick, let abrupt):
            let live = (1..<ids.count).filter { peers[$0 - 1].status == .live }
            guard !live.isEmpty else { return }
            process(.depart(departureCandidate(from: live, pick: pick), abrupt: abrupt))
        case .crashBroadcaster(let downtime, let strategy):
            crashBroadcaster(downtime: downtime, strategy: strategy)
            run(until: now)
        case .wait(let duration):
            let end = now + duration
            run(until: end)
            now = Swift.max(now, end)
        }
    }

    /// Starts the broadcaster, performs `operations` in order, lets the network go quiet
    /// and checks it.
    ///
    ///     let profile = try RelayNetworkProfile(fanout: 2)
    ///     var network = RelayNetwork(seed: 1, profile: profile)
    ///     let failure = network.run(profile.operations(seed: 1))   // nil: all holds
    ///
    /// - Returns: The failure (``report()``), or nil when every property of
    ///   ``quiescentViolations()`` holds.
    /// - Complexity: O(e log e) for e events, plus the machines' own costs.
    public mutating func run(_ operations: [Operation]) -> String? {
        startBroadcaster()
        for operation in operations where failure == nil {
            perform(operation)
        }
        settle()
        return report(rerun: "network.run(operations)")
    }
}
