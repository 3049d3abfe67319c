import BranchTree
import Testing

@testable import BranchTreeSim

@Suite struct SweepGridTests {
    @Test func pointsComeInGridOrder() {
        let grid = SweepGrid(
            fanouts: [4, 2], audiences: [100, 10], policies: [.rejoin, .skyway], churns: [1, 3], replicates: 2)
        let points = grid.points(base: Scenario())
        #expect(grid.count == 32)
        #expect(points.count == 32)
        #expect(points.map(\.index) == Array(0..<32))
        // Fan-out outermost, then audience, policy, churn, replicate; each axis as given.
        var expected: [String] = []
        for fanout in [4, 2] {
            for audience in [100, 10] {
                for policy in ["rejoin", "skyway"] {
                    for churn in [1.0, 3.0] {
                        for replicate in 0..<2 { expected.append("\(fanout) \(audience) \(policy) \(churn) \(replicate)") }
                    }
                }
            }
        }
        #expect(
            points.map {
                "\($0.scenario.fanout) \($0.scenario.audience) \($0.scenario.policy) \($0.churn) \($0.replicate)"
            } == expected)
    }

    @Test func eachPointIsTheBaseWithItsAxesAndChurn() {
        var base = Scenario()
        base.duration = 120
        base.abruptShare = 0.5
        base.seed = 42
        let grid = SweepGrid(fanouts: [5], audiences: [77], policies: [.rejoin], churns: [2])
        let point = grid.points(base: base)[0]
        var expected = base.scaledChurn(by: 2)
        expected.fanout = 5
        expected.audience = 77
        expected.policy = .rejoin
        #expect(point.scenario == expected)
        #expect(point.summary == "fan-out 5, audience 77, rejoin, churn 2, seed 42")
    }

    @Test func replicateSeedsAreTheBaseSeedThenSplitMix64Outputs() {
        #expect(SweepGrid.seed(base: 0, replicate: 0) == 0)
        // SplitMix64's first outputs for seed 0 (swift-style.md), halved.
        #expect(SweepGrid.seed(base: 0, replicate: 1) == 0xe220_a839_7b1d_cdaf >> 1)
        #expect(SweepGrid.seed(base: 0, replicate: 2) == 0x6e78_9e6a_a1b9_65f4 >> 1)
        let grid = SweepGrid(fanouts: [2, 3], audiences: [10], policies: [.skyway], churns: [1], replicates: 3)
        var base = Scenario()
        base.seed = 9
        let seeds = grid.points(base: base).map(\.scenario.seed)
        let perCell = (0..<3).map { SweepGrid.seed(base: 9, replicate: $0) }
        #expect(seeds == perCell + perCell)
        #expect(Set(perCell).count == 3)
    }

    @Test func churnLabelsPrintExactly() {
        let report = SimulationReport(sections: [("scenario", [])], timeline: [], depthHistogram: [])
        let labels = [1.0, 0.25, 2.5, 0.125].map { churn in
            SweepPoint(index: 3, churn: churn, replicate: 1, scenario: Scenario()).labelled(report).columns()
                .map { "\($0.section).\($0.name)=\($0.text)" }
        }
        #expect(labels[0] == ["sweep.point=3", "sweep.churn=1", "sweep.replicate=1"])
        #expect(labels[1][1] == "sweep.churn=0.25")
        #expect(labels[2][1] == "sweep.churn=2.5")
        #expect(labels[3][1] == "sweep.churn=0.125")
    }
}
