import BranchTree
import Testing

@testable import BranchTreeSim

@Suite struct ScenarioReplicatesTests {
    @Test func replicateSeedsAreTheBaseSeedThenSplitMix64Outputs() {
        #expect(Scenario.replicateSeed(base: 0, replicate: 0) == 0)
        // SplitMix64's first outputs for seed 0 (Steele, Lea and Flood, OOPSLA 2014), halved.
        #expect(Scenario.replicateSeed(base: 0, replicate: 1) == 0xe220_a839_7b1d_cdaf >> 1)
        #expect(Scenario.replicateSeed(base: 0, replicate: 2) == 0x6e78_9e6a_a1b9_65f4 >> 1)
        #expect(Scenario.replicateSeed(base: 0, replicate: 3) == 0x06c4_5d18_8009_454f >> 1)
        #expect(Scenario.replicateSeed(base: 9, replicate: 0) == 9)
        #expect(Scenario.replicateSeed(base: .max, replicate: 0) == .max)
    }

    @Test func replicatesAreTheScenarioWithEachReplicatesSeed() {
        var scenario = Scenario()
        scenario.seed = 9
        scenario.fanout = 5
        let replicates = scenario.replicates(0..<4)
        #expect(replicates.map(\.seed) == (0..<4).map { Scenario.replicateSeed(base: 9, replicate: $0) })
        #expect(Set(replicates.map(\.seed)).count == 4)
        for replicate in replicates {
            var expected = replicate
            expected.seed = 9
            #expect(expected == scenario, "only the seed differs")
        }
        // A later range continues the same sequence: more replicates extend the first ones.
        #expect(scenario.replicates(2..<4) == Array(replicates[2...]))
        #expect(scenario.replicates(0..<0).isEmpty)
    }

    @Test(arguments: [0, 1, 42, UInt64.max])
    func replicateSeedsPrintAsPositiveNumbers(base: UInt64) {
        // Shifted right by one bit: below 2⁶³, so a seed reads the same as Int64 anywhere.
        for replicate in 1..<50 {
            #expect(Scenario.replicateSeed(base: base, replicate: replicate) <= UInt64(Int64.max))
        }
    }
}
