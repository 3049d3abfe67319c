import BranchTree

/// How a ``RelayNetwork`` is built and how hard it is shaken: the tree's configuration,
/// the audience, and the share of every fault.
///
///     var profile = try RelayNetworkProfile(fanout: 3, policy: .rejoin)
///     profile.duplicates = 0.2      // one signalling message in five arrives twice
///     profile.crashes = 1...2       // the broadcaster crashes once or twice per run
///
/// Every share is a probability in `0...1`; every range is drawn from per seed. The
/// defaults are a moderately hostile network: some duplicates, some failed link set-ups,
/// half the departures abrupt, no broadcaster crash.
public struct RelayNetworkProfile: Sendable, Hashable, CustomStringConvertible {
    /// The tree's fan-out, broadcaster fan-out and placement policy.
    public var configuration: BranchTree.Configuration
    /// How many distinct viewers start during the churn, drawn per seed.
    public var viewers: ClosedRange<Int> = 2...12
    /// How long viewers keep starting and leaving in ``RelayNetwork/runScenario()``.
    public var churn: Duration = .seconds(60)
    /// Share of new viewers that cannot relay (fewer when the live audience could then
    /// not all be placed).
    public var nonRelayable = 0.15
    /// Share of new viewers that relay to fewer than the fan-out (a capacity below it).
    public var lowCapacity = 0.0
    /// On a churn step with someone live: the chance of a departure rather than a start.
    public var departures = 0.3
    /// Share of departures that are abrupt: no `leave`, and the departed viewer's links
    /// are noticed dead only 5–30 s later.
    public var abrupt = 0.5
    /// Share of departures the signalling server notices itself (the viewer's socket
    /// closes) and reports with `viewerDisconnected`: a clean one at once, an abrupt one
    /// after the keep-alive gives up, either after every message the viewer sent. The
    /// others are left to the parents' reports and link deadlines.
    public var disconnections = 0.5
    /// Share of signalling messages delivered twice.
    public var duplicates = 0.05
    /// Share of signalling messages that take 0.3–3.3 s instead of 5–305 ms, so that
    /// later messages overtake them.
    public var slowMessages = 0.1
    /// Share of signalling messages lost. The protocol's retries and timeouts must
    /// recover from a lost message; keep it 0 to check that a run settles exactly.
    public var drops = 0.0
    /// Share of peer-link set-ups that fail on both sides.
    public var failedSetups = 0.03
    /// Broadcaster crashes during the churn, drawn per seed.
    public var crashes: ClosedRange<Int> = 0...0
    /// Restart strategies, drawn per restart.
    public var strategies: [RestartStrategy] = RestartStrategy.allCases
    /// Share of restarts from an older save than the latest one.
    public var staleSaves = 0.0
    /// Chance that the broadcaster comes up only after the first viewers started.
    public var lateBroadcaster = 0.2
    /// Keep only the latest timer each machine asked for of each kind (a server's timer
    /// wheel) rather than every one (a simulator's event queue). Both must work.
    public var latestTimerOnly = false
    /// The protocol's waits, given to every machine.
    public var timings = ProtocolTimings()

    /// A profile with the default faults for `configuration`.
    public init(configuration: BranchTree.Configuration) {
        self.configuration = configuration
    }

    /// A profile with the default faults for a tree of `fanout`.
    ///
    /// - Throws: `BranchTreeError.invalidConfiguration(_:)` for a fan-out outside
    ///   `BranchTree.Configuration.fanoutRange`.
    public init(fanout: Int, broadcasterFanout: Int = 1, policy: Policy = .skyway) throws(BranchTreeError) {
        self.init(
            configuration: try BranchTree.Configuration(
                fanout: fanout, broadcasterFanout: broadcasterFanout, policy: policy))
    }

    /// The tree's fan-out: the capacity of a viewer that relays at full strength.
    public var fanout: Int { configuration.fanout }

    /// The policy and fan-outs, such as `skyway fanout 3/1`.
    public var description: String {
        "\(configuration.policy) fanout \(configuration.fanout)/\(configuration.broadcasterFanout)"
    }

    /// Every parameter, as the Swift code that makes this profile: what a failure report
    /// prints so that the run can be reproduced.
    public var swiftSource: String {
        func milliseconds(_ duration: Duration) -> String {
            ".milliseconds(\(duration.nanosecondsClamped / 1_000_000))"
        }
        var lines = [
            "var profile = try RelayNetworkProfile(fanout: \(fanout), "
                + "broadcasterFanout: \(configuration.broadcasterFanout), policy: .\(configuration.policy))",
            "profile.viewers = \(viewers); profile.churn = \(milliseconds(churn))",
            "profile.nonRelayable = \(nonRelayable); profile.lowCapacity = \(lowCapacity); "
                + "profile.departures = \(departures); profile.abrupt = \(abrupt); "
                + "profile.disconnections = \(disconnections)",
            "profile.duplicates = \(duplicates); profile.slowMessages = \(slowMessages); profile.drops = \(drops); "
                + "profile.failedSetups = \(failedSetups); profile.lateBroadcaster = \(lateBroadcaster)",
            "profile.crashes = \(crashes); "
                + "profile.strategies = [\(strategies.map { ".\($0)" }.joined(separator: ", "))]; "
                + "profile.staleSaves = \(staleSaves); profile.latestTimerOnly = \(latestTimerOnly)",
        ]
        if timings != ProtocolTimings() {
            lines.append(
                "profile.timings = ProtocolTimings(joinRetry: \(milliseconds(timings.joinRetry)), "
                    + "connectTimeout: \(milliseconds(timings.connectTimeout)), "
                    + "repairTimeout: \(milliseconds(timings.repairTimeout)), "
                    + "restoreWindow: \(milliseconds(timings.restoreWindow)))")
        }
        return lines.joined(separator: "\n")
    }
}
