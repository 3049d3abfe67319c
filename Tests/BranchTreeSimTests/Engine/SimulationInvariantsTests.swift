import BranchTree
import Testing

@testable import BranchTreeSim

/// The physical network's consistency: with the `InternalChecks` trait the simulation
/// checks it after every event of these small runs; here it is checked at the end, and
/// shown to catch a graph that lost a link or gained one.
@Suite struct SimulationInvariantsTests {
    /// Churn with everything that cuts links: abrupt departures, failed connections,
    /// restarts, reports by parents only.
    static func roughScenario(seed: UInt64) -> Scenario {
        var scenario = SimulationTests.scenario(audience: 120, duration: 240, seed: seed)
        scenario.abruptShare = 0.4
        scenario.connectionFailureRate = 0.1
        scenario.departureReports = .parents
        scenario.restarts = [60, 150]
        return scenario
    }

    /// A finished run of `scenario`, with the simulation it leaves.
    static func finishedSimulation(_ scenario: Scenario) throws -> Simulation {
        var simulation = try Simulation(scenario: scenario)
        _ = simulation.run()
        return simulation
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func networkStaysConsistent(seed: UInt64) throws {
        var simulation = try Self.finishedSimulation(Self.roughScenario(seed: seed))
        #expect(simulation.presentCount > 0)
        #expect(simulation.networkViolation() == nil)
    }

    @Test func aLostLinkIsCaught() throws {
        var simulation = try Self.finishedSimulation(Self.roughScenario(seed: 1))
        let linked = try #require(simulation.viewers.indices.first { simulation.viewers[$0].upstream.upParent != nil })
        simulation.links.unlink(Int32(linked))
        #expect(simulation.networkViolation()?.contains("slot \(linked)") == true)
    }

    @Test func aLinkWithoutUpstreamIsCaught() throws {
        var simulation = try Self.finishedSimulation(Self.roughScenario(seed: 2))
        let linked = try #require(simulation.viewers.indices.first { simulation.viewers[$0].upstream.upParent != nil })
        simulation.viewers[linked].upstream = .none  // behind the graph's back
        #expect(simulation.networkViolation()?.contains("slot \(linked)") == true)
    }

    @Test func aReceivingFlagOutOfStepIsCaught() throws {
        var simulation = try Self.finishedSimulation(Self.roughScenario(seed: 3))
        let receiving = try #require(simulation.presence.indices.first { simulation.presence[$0].receiving })
        simulation.presence[receiving].receiving = false
        #expect(
            simulation.networkViolation()
                == "slot \(receiving) does not receive over \(simulation.viewers[receiving].upstream)")
    }

    @Test func aPresenceGenerationOutOfStepIsCaught() throws {
        var simulation = try Self.finishedSimulation(Self.roughScenario(seed: 1))
        let slot = try #require(simulation.presence.indices.first { simulation.presence[$0].generation > 0 })
        simulation.presence[slot].generation -= 1
        #expect(simulation.networkViolation()?.hasPrefix("slot \(slot): presence ") == true)
    }

    @Test func aPresenceThatOutlivesItsSessionIsCaught() throws {
        var simulation = try Self.finishedSimulation(Self.roughScenario(seed: 2))
        let ended = try #require(simulation.presence.indices.first { !simulation.presence[$0].isPresent })
        simulation.presence[ended].isPresent = true
        #expect(
            simulation.networkViolation()
                == "slot \(ended): presence \(simulation.presence[ended]) is not the session of "
                + "\(simulation.machines[ended].id), ended")
    }

    @Test func aMissingPresenceEntryIsCaught() throws {
        var simulation = try Self.finishedSimulation(Self.roughScenario(seed: 3))
        simulation.presence.removeLast()
        let slots = simulation.viewers.count
        #expect(
            simulation.networkViolation() == "\(slots - 1) presence entries, \(slots) records, \(slots) machines")
    }
}
