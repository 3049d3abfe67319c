import BranchTree
import BranchTreeTesting
import Testing

@Suite("RelayNetwork")
struct RelayNetworkTests {
    static func faulty() throws -> RelayNetworkProfile {
        var profile = try RelayNetworkProfile(fanout: 3, policy: .skyway)
        profile.crashes = 1...2
        profile.staleSaves = 0.5
        profile.duplicates = 0.2
        return profile
    }

    @Test("The same seed gives the same trace, event for event")
    func sameSeedSameTrace() throws {
        let profile = try Self.faulty()
        var first = RelayNetwork(seed: 7, profile: profile)
        var second = RelayNetwork(seed: 7, profile: profile)
        first.logSize = 100_000
        second.logSize = 100_000
        #expect(first.runScenario() == nil)
        #expect(second.runScenario() == nil)
        #expect(first.statistics.events > 100)
        #expect(first.statistics == second.statistics)
        #expect(first.now == second.now)
        #expect(first.trace == second.trace)
        #expect(first.trace.count >= first.statistics.events)  // with the log-only lines
        #expect(first.broadcaster.tree.snapshot() == second.broadcaster.tree.snapshot())
    }

    @Test("Another seed gives another trace")
    func anotherSeedAnotherTrace() throws {
        let profile = try Self.faulty()
        var first = RelayNetwork(seed: 7, profile: profile)
        var second = RelayNetwork(seed: 8, profile: profile)
        _ = first.runScenario()
        _ = second.runScenario()
        #expect(first.trace != second.trace)
    }
}

/// Each fault knob of the profile really takes effect: off, it never happens; on, it
/// happens, and the network still settles where the protocol promises it does.
@Suite("RelayNetwork faults")
struct RelayNetworkFaultTests {
    static func run(_ configure: (inout RelayNetworkProfile) -> Void, seeds: Range<UInt64> = 0..<5) throws
        -> (statistics: [RelayNetwork.Statistics], failures: [String])
    {
        var profile = try RelayNetworkProfile(fanout: 2)
        profile.viewers = 8...12
        configure(&profile)
        var statistics: [RelayNetwork.Statistics] = []
        var failures: [String] = []
        for seed in seeds {
            var network = RelayNetwork(seed: seed, profile: profile)
            if let failure = network.runScenario() { failures.append(failure) }
            statistics.append(network.statistics)
        }
        return (statistics, failures)
    }

    static func total(_ statistics: [RelayNetwork.Statistics], _ count: KeyPath<RelayNetwork.Statistics, Int>) -> Int {
        statistics.reduce(0) { $0 + $1[keyPath: count] }
    }

    @Test("Duplicates: none at 0, many at 0.5, and the network still settles")
    func duplicates() throws {
        let off = try Self.run { $0.duplicates = 0 }
        let on = try Self.run { $0.duplicates = 0.5 }
        #expect(Self.total(off.statistics, \.duplicatedMessages) == 0)
        let messages = Self.total(on.statistics, \.messages)
        #expect(Self.total(on.statistics, \.duplicatedMessages) * 3 > messages)
        #expect(on.failures.isEmpty, "\(on.failures.first ?? "")")
    }

    @Test("Slow messages (reordering): none at 0, every one at 1, and the network still settles")
    func reordering() throws {
        let off = try Self.run { $0.slowMessages = 0 }
        let on = try Self.run { $0.slowMessages = 1 }
        #expect(Self.total(off.statistics, \.slowMessages) == 0)
        #expect(Self.total(on.statistics, \.slowMessages) >= Self.total(on.statistics, \.messages))
        #expect(off.failures.isEmpty && on.failures.isEmpty, "\((off.failures + on.failures).first ?? "")")
    }

    @Test("Drops: none by default, about the share asked for, and they show in the trace")
    func drops() throws {
        let off = try Self.run { _ in }
        #expect(Self.total(off.statistics, \.droppedMessages) == 0)
        let on = try Self.run { $0.drops = 0.2 }
        let dropped = Self.total(on.statistics, \.droppedMessages)
        let messages = Self.total(on.statistics, \.messages)
        #expect(dropped * 10 > messages && dropped * 3 < messages, "\(dropped) of \(messages)")
        var profile = try RelayNetworkProfile(fanout: 2)
        profile.drops = 1
        var network = RelayNetwork(seed: 1, profile: profile)
        network.addViewer()
        network.startBroadcaster()
        network.run(until: .seconds(1))
        #expect(network.trace.contains { $0.contains("lost: v1 → root: join") })
        #expect(network.broadcaster.tree.isEmpty)
    }

    @Test("Abrupt departures: none at 0, all at 1")
    func abruptDepartures() throws {
        let clean = try Self.run {
            $0.abrupt = 0
            $0.departures = 0.5
        }
        let abrupt = try Self.run {
            $0.abrupt = 1
            $0.departures = 0.5
        }
        #expect(Self.total(clean.statistics, \.abruptDepartures) == 0)
        #expect(Self.total(clean.statistics, \.cleanDepartures) > 5)
        #expect(Self.total(abrupt.statistics, \.cleanDepartures) == 0)
        #expect(Self.total(abrupt.statistics, \.abruptDepartures) > 5)
        #expect(clean.failures.isEmpty && abrupt.failures.isEmpty, "\((clean.failures + abrupt.failures).first ?? "")")
    }

    @Test("Crashes and restarts, from stale saves too, and failed link set-ups")
    func crashesAndFailedSetups() throws {
        let none = try Self.run { $0.failedSetups = 0 }
        #expect(Self.total(none.statistics, \.crashes) == 0)
        #expect(Self.total(none.statistics, \.failedSetups) == 0)
        let faulty = try Self.run {
            $0.crashes = 2...2
            $0.staleSaves = 1
            $0.failedSetups = 0.3
        }
        #expect(Self.total(faulty.statistics, \.crashes) == 10)
        #expect(Self.total(faulty.statistics, \.restarts) == 10)
        #expect(Self.total(faulty.statistics, \.staleRestarts) > 0)
        #expect(Self.total(faulty.statistics, \.failedSetups) > 0)
        #expect(faulty.failures.isEmpty, "\(faulty.failures.first ?? "")")
    }

    @Test("Generated operation sequences run, deterministically, and settle", arguments: Policy.allCases)
    func operationSequences(policy: Policy) throws {
        var profile = try RelayNetworkProfile(fanout: 3, policy: policy)
        profile.crashes = 0...2
        profile.departures = 0.4
        for seed in UInt64(0)..<10 {
            let operations = profile.operations(seed: seed)
            #expect(operations == profile.operations(seed: seed))
            var first = RelayNetwork(seed: seed, profile: profile)
            var second = RelayNetwork(seed: seed, profile: profile)
            let failure = first.run(operations)
            #expect(failure == nil, "\(failure ?? "")")
            #expect(second.run(operations) == failure)
            #expect(first.trace == second.trace)
            #expect(first.broadcaster.tree.count == (1...first.viewerCount).count { first.status(of: $0) == .live })
        }
    }
}
