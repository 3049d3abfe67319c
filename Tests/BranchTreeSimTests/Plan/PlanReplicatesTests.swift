import BranchTree
import Testing

@testable import BranchTreeSim

/// The adaptive replicates of `plan`, on tiny scenarios with stand-ins for the decision's
/// requests for more replicates.
@Suite struct PlanReplicatesTests {
    static func scenario(fanout: Int, seed: UInt64 = 3) -> Scenario {
        var scenario = Scenario()
        scenario.seed = seed
        scenario.audience = 15
        scenario.duration = 15
        scenario.fanout = fanout
        return scenario
    }

    static let scenarios = [scenario(fanout: 2), scenario(fanout: 3)]

    /// ``PlanReplicates/run`` without progress.
    static func run(
        _ scenarios: [Scenario], replicates: Int, cap: Int, jobs: Int,
        wanted: ([[SimulationReport]]) -> [(index: Int, count: Int)]
    ) throws(WorkloadError) -> [[SimulationReport]] {
        var stderr = ""
        return try PlanReplicates.run(
            scenarios, described: scenarios.map { "fan-out \($0.fanout)" }, replicates: replicates, cap: cap,
            jobs: jobs, stderr: &stderr, wanted: wanted)
    }

    /// Asks for `step` more of every scenario for which `isOpen` holds.
    static func more(
        step: Int, where isOpen: @escaping ([SimulationReport]) -> Bool
    ) -> ([[SimulationReport]]) -> [(index: Int, count: Int)] {
        { reports in reports.indices.filter { isOpen(reports[$0]) }.map { ($0, reports[$0].count + step) } }
    }

    static func seeds(_ reports: [SimulationReport]) -> [String] {
        reports.map { $0.figure("scenario", "seed")?.text ?? "" }
    }

    static func expectedSeeds(_ count: Int, base: UInt64 = 3) -> [String] {
        (0..<count).map { String(Scenario.replicateSeed(base: base, replicate: $0)) }
    }

    @Test func settledCandidatesStayAtTheInitialReplicates() throws {
        var calls = 0
        let reports = try Self.run(
            Self.scenarios, replicates: 3, cap: 12, jobs: 2,
            wanted: { _ in
                calls += 1
                return []
            })
        #expect(reports.map(\.count) == [3, 3])
        #expect(calls == 1, "asked once, after the first round")
        for (reports, scenario) in zip(reports, Self.scenarios) {
            #expect(Self.seeds(reports) == Self.expectedSeeds(3))
            #expect(reports.allSatisfy { $0.figure("scenario", "fanout") == .json(.number(String(scenario.fanout))) })
        }
    }

    @Test func openCandidatesRunMoreUpToTheCap() throws {
        var asked: [[Int]] = []
        // 2, 4, 6, 7: the last round stops at the cap, and a request beyond it runs nothing.
        let reports = try Self.run(
            Self.scenarios, replicates: 2, cap: 7, jobs: 2,
            wanted: { reports in
                asked.append(reports.map(\.count))
                return Self.more(step: 2, where: { _ in true })(reports)
            })
        #expect(reports.map(\.count) == [7, 7])
        #expect(asked == [[2, 2], [4, 4], [6, 6], [7, 7]])
        // Replicate seeds 0..<7 in order: the first rounds are extended, never redrawn.
        for candidate in reports { #expect(Self.seeds(candidate) == Self.expectedSeeds(7)) }
    }

    static func isFanout3(_ reports: [SimulationReport]) -> Bool {
        reports[0].figure("scenario", "fanout") == .json(.number("3"))
    }

    @Test func onlyTheOpenCandidateRunsMore() throws {
        let reports = try Self.run(
            Self.scenarios, replicates: 2, cap: 6, jobs: 2, wanted: Self.more(step: 2, where: Self.isFanout3))
        #expect(reports.map(\.count) == [2, 6])
        #expect(Self.seeds(reports[1]) == Self.expectedSeeds(6))
    }

    @Test func aCandidateSettledAfterMoreReplicatesStops() throws {
        let reports = try Self.run(
            Self.scenarios, replicates: 2, cap: 20, jobs: 2, wanted: Self.more(step: 2, where: { $0.count < 6 }))
        #expect(reports.map(\.count) == [6, 6])
    }

    @Test func aRequestForAnyCountIsRunInOneRound() throws {
        // Fan-out 2 brought up to fan-out 3's count at once, as plan levels its contenders.
        var rounds = 0
        let reports = try Self.run(
            Self.scenarios, replicates: 2, cap: 9, jobs: 2,
            wanted: { reports in
                rounds += 1
                return reports[1].count < 5 ? [(1, 5)] : [(0, reports[1].count)]
            })
        #expect(reports.map(\.count) == [5, 5])
        #expect(rounds == 3, "2 → 5, then the level, then settled")
        #expect(Self.seeds(reports[0]) == Self.expectedSeeds(5))
    }

    @Test func theReportsAreTheReplicateRunsWhateverTheJobs() throws {
        let one = try Self.run(
            Self.scenarios, replicates: 2, cap: 4, jobs: 1, wanted: Self.more(step: 2, where: { _ in true }))
        let two = try Self.run(
            Self.scenarios, replicates: 2, cap: 4, jobs: 2, wanted: Self.more(step: 2, where: { _ in true }))
        func json(_ reports: [[SimulationReport]]) -> [[String]] {
            reports.map { $0.map { JSONWriter.string($0.json(reproducible: true), style: .compact) } }
        }
        #expect(json(one) == json(two))
        // Each is the plain run of its replicate's scenario.
        var stderr = ""
        let fourth = try SimulationBatch.run(
            [Self.scenarios[1].replicates(3..<4)[0]], described: ["fourth"], jobs: 1, progress: [], stderr: &stderr)[0]
        #expect(json(one)[1][3] == JSONWriter.string(fourth.json(reproducible: true), style: .compact))
    }

    @Test func anInvalidScenarioThrowsBeforeAnythingRuns() {
        var invalid = Self.scenario(fanout: 2)
        invalid.duration = -1
        var asked = false
        #expect(throws: WorkloadError.self) {
            try Self.run(
                [Self.scenarios[0], invalid], replicates: 2, cap: 4, jobs: 1,
                wanted: { _ in
                    asked = true
                    return []
                })
        }
        #expect(!asked)
    }
}
