import BranchTree
import Testing

@testable import BranchTreeSim

@Suite struct PlanInputsTests {
    static func inputs(uplinks text: String, fanouts: [Int], policies: [Policy] = [.skyway, .rejoin]) throws
        -> PlanInputs
    {
        let uplinks = try PlanUplinks(
            try #require(ScenarioSyntax.uplinkClasses(text)), streamBitsPerSecond: 2_500_000, headroom: 0.8)
        var scenario = Scenario()
        scenario.uplinks = uplinks.classes
        return PlanInputs(
            scenario: scenario, streamBitsPerSecond: 2_500_000, headroom: 0.8, uplinks: uplinks,
            constraints: PlanConstraints(), requestedFanouts: fanouts, policies: policies)
    }

    @Test func fanoutsAboveWhatAnyUplinkFeedsAreLeftOut() throws {
        #expect(try Self.inputs(uplinks: PlanCommand.defaultUplinks, fanouts: Array(2...8)).fanouts == [2, 3, 4, 5, 6])
        #expect(try Self.inputs(uplinks: PlanCommand.defaultUplinks, fanouts: [8, 3, 3, 2]).fanouts == [2, 3])
        // Every requested fan-out is too wide: the widest the uplinks feed.
        #expect(try Self.inputs(uplinks: PlanCommand.defaultUplinks, fanouts: [7, 8]).fanouts == [6])
        #expect(try Self.inputs(uplinks: "all:1", fanouts: [2, 8]).fanouts == [2, 8])
        #expect(try Self.inputs(uplinks: "none:1:1Mbps", fanouts: [2, 3]).fanouts.isEmpty)
    }

    @Test func candidatesAreFanoutsThenPoliciesInPolicyOrder() throws {
        let inputs = try Self.inputs(
            uplinks: PlanCommand.defaultUplinks, fanouts: [3, 2], policies: [.rejoin, .skyway, .rejoin])
        let candidates = inputs.candidates()
        #expect(candidates.map { "\($0.fanout) \($0.policy)" } == ["2 skyway", "2 rejoin", "3 skyway", "3 rejoin"])
        #expect(candidates.allSatisfy { $0.figures == nil })
        #expect(abs(candidates[2].relaySlotsPerViewer - 1.35) < 1e-12)
        let scenario = inputs.scenario(for: candidates[3])
        #expect(scenario.fanout == 3)
        #expect(scenario.policy == .rejoin)
        #expect(scenario.uplinks == inputs.uplinks.classes)
    }

    @Test func aFanoutWithTooFewSlotsCannotCarryTheAudience() throws {
        // Fan-out 1: 0.45 + 0.3 = 0.75 slots per viewer.
        let inputs = try Self.inputs(uplinks: PlanCommand.defaultUplinks, fanouts: [1, 2])
        let candidates = inputs.candidates()
        #expect(!inputs.canCarry(candidates[0]))
        #expect(inputs.canCarry(candidates[2]))
    }
}
