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
        #expect(first.trace.count == first.statistics.events)
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
