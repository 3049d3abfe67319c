import BranchTree
import Testing

@testable import BranchTreeSim

/// Peer connections between simulated viewers: each set-up attempt ends on its own.
@Suite struct SimulationLinksTests {
    /// A warm-started simulation of a few viewers, every link up, nothing churning yet.
    static func warmSimulation() throws -> Simulation {
        var scenario = SimulationTests.scenario(audience: 6, duration: 600)
        scenario.signallingLatency = 0.05...0.05
        scenario.connectionSetup = 1...1
        var simulation = try Simulation(scenario: scenario)
        simulation.buildSteadyState()
        return simulation
    }

    /// A viewer whose upstream link is up from another viewer: (child slot, parent).
    static func relayedViewer(in simulation: Simulation) throws -> (slot: Int32, parent: SimulatedNode) {
        let slot = try #require(
            simulation.viewers.indices.first {
                if case .up(from: .viewer) = simulation.viewers[$0].upstream { true } else { false }
            })
        let parent = try #require(simulation.viewers[slot].upstream.upParent)
        return (Int32(slot), parent)
    }

    /// A parent closes the link to a child and opens a new one to it (a new epoch); the
    /// first attempt's set-up, still under way, ends before the second's. It must neither
    /// bring the new link up early nor tell the parent that the link closed.
    @Test func anEarlierAttemptBetweenTheSameTwoEndsUnnoticed() throws {
        var simulation = try Self.warmSimulation()
        let (slot, parent) = try Self.relayedViewer(in: simulation)
        let generation = simulation.presence[Int(slot)].generation
        let childID = simulation.machines[Int(slot)].id

        // The first attempt: closed by the parent while it was being set up, its set-up
        // due in 0.5 s; then the second, due in 1 s.
        simulation.closeLink(between: parent, and: childID)
        simulation.queue.push(
            .linkSetUp(parent: parent, slot: slot, generation: generation), at: simulation.now + .milliseconds(500))
        simulation.openLink(from: parent, to: childID)
        let second = simulation.now + .seconds(1)
        #expect(simulation.viewers[Int(slot)].upstream == .opening(from: parent, due: second))

        simulation.drain(until: simulation.now + .milliseconds(501))
        #expect(simulation.viewers[Int(slot)].upstream == .opening(from: parent, due: second))
        let toldParent = simulation.queue.unorderedEvents.contains {
            if case .viewer(_, _, .downstreamClosed(slot, generation)) = $0.event { true } else { false }
        }
        #expect(!toldParent, "the parent was told that a link closed")

        simulation.drain(until: second + .nanoseconds(1))
        #expect(simulation.viewers[Int(slot)].upstream == .up(from: parent))
        #expect(simulation.networkViolation() == nil)
    }
}
