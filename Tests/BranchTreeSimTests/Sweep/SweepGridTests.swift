import BranchTree
import Testing

@testable import BranchTreeSim

@Suite struct SweepGridTests {
    @Test func pointsComeInGridOrder() {
        let grid = SweepGrid(fanouts: [4, 2], audiences: [100, 10], policies: [.rejoin, .skyway], churns: [1, 3])
        let points = grid.points(base: Scenario())
        #expect(grid.count == 16)
        #expect(points.count == 16)
        #expect(points.map(\.index) == Array(0..<16))
        // Fan-out outermost, then audience, policy, churn; each axis as given.
        var expected: [String] = []
        for fanout in [4, 2] {
            for audience in [100, 10] {
                for policy in ["rejoin", "skyway"] {
                    for churn in [1.0, 3.0] { expected.append("\(fanout) \(audience) \(policy) \(churn)") }
                }
            }
        }
        #expect(
            points.map { "\($0.scenario.fanout) \($0.scenario.audience) \($0.scenario.policy) \($0.churn)" }
                == expected)
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
        #expect(point.scenario.seed == 42, "every point runs the base seed; replicates derive theirs from it")
        #expect(point.summary == "fan-out 5, audience 77, rejoin, churn 2")
    }

    @Test func churnLabelsPrintExactly() {
        let report = SimulationReport.sample()
        let labels = [1.0, 0.25, 2.5, 0.125].map { churn in
            SweepPoint(index: 3, churn: churn, scenario: Scenario()).labelled(report).columns().prefix(2)
                .map { "\($0.section).\($0.name)=\($0.text)" }
        }
        #expect(labels[0] == ["sweep.point=3", "sweep.churn=1"])
        #expect(labels[1][1] == "sweep.churn=0.25")
        #expect(labels[2][1] == "sweep.churn=2.5")
        #expect(labels[3][1] == "sweep.churn=0.125")
    }
}
