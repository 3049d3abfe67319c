import BranchTree
import Testing

@testable import BranchTreeSim

/// The adaptive replicates of `plan`, on tiny scenarios with stand-ins for the questions
/// whether a limit lies inside a candidate's interval and whether it is within the limits.
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
        isUndecided: ([SimulationReport]) -> Bool, isContender: ([SimulationReport]) -> Bool
    ) throws(WorkloadError) -> [[SimulationReport]] {
        var stderr = ""
        return try PlanReplicates.run(
            scenarios, described: scenarios.map { "fan-out \($0.fanout)" }, replicates: replicates, cap: cap,
            jobs: jobs, stderr: &stderr, isUndecided: isUndecided, isContender: isContender)
    }

    static func seeds(_ reports: [SimulationReport]) -> [String] {
        reports.map { $0.figure("scenario", "seed")?.text ?? "" }
    }

    static func expectedSeeds(_ count: Int, base: UInt64 = 3) -> [String] {
        (0..<count).map { String(Scenario.replicateSeed(base: base, replicate: $0)) }
    }

    @Test func decidedCandidatesStayAtTheInitialReplicates() throws {
        var calls = 0
        let reports = try Self.run(
            Self.scenarios, replicates: 3, cap: 12, jobs: 2,
            isUndecided: { _ in
                calls += 1
                return false
            }, isContender: { _ in true })
        #expect(reports.map(\.count) == [3, 3])
        #expect(calls == 2, "asked once per candidate")
        for (reports, scenario) in zip(reports, Self.scenarios) {
            #expect(Self.seeds(reports) == Self.expectedSeeds(3))
            #expect(reports.allSatisfy { $0.figure("scenario", "fanout") == .json(.number(String(scenario.fanout))) })
        }
    }

    @Test func undecidedCandidatesRunMoreUpToTheCap() throws {
        var asked: [Int] = []
        // 2, 4, 6, 7: the last round stops at the cap.
        let reports = try Self.run(
            Self.scenarios, replicates: 2, cap: 7, jobs: 2,
            isUndecided: { reports in
                asked.append(reports.count)
                return true
            }, isContender: { _ in false })
        #expect(reports.map(\.count) == [7, 7])
        #expect(asked == [2, 2, 4, 4, 6, 6], "never asked again at the cap")
        // Replicate seeds 0..<7 in order: the first rounds are extended, never redrawn.
        for candidate in reports { #expect(Self.seeds(candidate) == Self.expectedSeeds(7)) }
    }

    static func isFanout3(_ reports: [SimulationReport]) -> Bool {
        reports[0].figure("scenario", "fanout") == .json(.number("3"))
    }

    @Test func onlyTheUndecidedCandidateRunsMore() throws {
        let reports = try Self.run(
            Self.scenarios, replicates: 2, cap: 6, jobs: 2, isUndecided: Self.isFanout3, isContender: { _ in false })
        #expect(reports.map(\.count) == [2, 6])
        #expect(Self.seeds(reports[1]) == Self.expectedSeeds(6))
    }

    @Test func aCandidateDecidedAfterMoreReplicatesStops() throws {
        let reports = try Self.run(
            Self.scenarios, replicates: 2, cap: 20, jobs: 2, isUndecided: { $0.count < 6 }, isContender: { _ in false })
        #expect(reports.map(\.count) == [6, 6])
    }

    @Test func contendersAreBroughtToTheSameReplicates() throws {
        // Fan-out 3 runs to 6 replicates; fan-out 2, a contender too, follows on the same seeds.
        let both = try Self.run(
            Self.scenarios, replicates: 2, cap: 6, jobs: 2, isUndecided: Self.isFanout3, isContender: { _ in true })
        #expect(both.map(\.count) == [6, 6])
        #expect(Self.seeds(both[0]) == Self.expectedSeeds(6))
        // A candidate outside the limits is not brought up; the contender sets the level alone.
        let one = try Self.run(
            Self.scenarios, replicates: 2, cap: 6, jobs: 2, isUndecided: Self.isFanout3,
            isContender: { !Self.isFanout3($0) })
        #expect(one.map(\.count) == [2, 6])
        let none = try Self.run(
            Self.scenarios, replicates: 2, cap: 6, jobs: 2, isUndecided: Self.isFanout3, isContender: { _ in false })
        #expect(none.map(\.count) == [2, 6])
    }

    @Test func theReportsAreTheReplicateRunsWhateverTheJobs() throws {
        let one = try Self.run(
            Self.scenarios, replicates: 2, cap: 4, jobs: 1, isUndecided: { _ in true }, isContender: { _ in true })
        let two = try Self.run(
            Self.scenarios, replicates: 2, cap: 4, jobs: 2, isUndecided: { _ in true }, isContender: { _ in true })
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
                isUndecided: { _ in
                    asked = true
                    return true
                }, isContender: { _ in true })
        }
        #expect(!asked)
    }
}
