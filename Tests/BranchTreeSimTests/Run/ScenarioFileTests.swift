import BranchTree
import Testing

@testable import BranchTreeSim

@Suite struct ScenarioFileTests {
    static var scenario: Scenario {
        var scenario = Scenario()
        scenario.seed = 77
        scenario.audience = 120
        scenario.fanout = 5
        scenario.policy = .rejoin
        scenario.detectionDelay = 2...9
        scenario.flashCrowd = .init(multiplier: 4, duration: .seconds(30))
        return scenario
    }

    /// A report as `run --format json` writes it: the scenario echo, then measured sections.
    static func reportBytes(_ scenario: Scenario, replicates: Int) -> [UInt8] {
        var report = SimulationReport.sample(scenario: scenario, continuityIndex: 0.99)
        report.replicates = replicates
        return Array(JSONWriter.string(report.json(), style: .pretty).utf8)
    }

    @Test func aScenarioFileHasNoReplicates() throws {
        let file = try ScenarioFile(jsonBytes: Array(JSONWriter.string(Self.scenario.json, style: .pretty).utf8))
        #expect(file == ScenarioFile(scenario: Self.scenario, replicates: nil))
    }

    @Test(arguments: [1, 4, 1_000])
    func aReportGivesBackItsScenarioAndReplicates(replicates: Int) throws {
        let file = try ScenarioFile(jsonBytes: Self.reportBytes(Self.scenario, replicates: replicates))
        #expect(file.scenario == Self.scenario)
        #expect(file.replicates == replicates)
    }

    @Test func aReportWithoutReplicatesIsOneScenario() throws {
        let bytes = Array(#"{"scenario": {"fanout": 4, "toolVersion": "0.0.1"}, "perViewer": {}}"#.utf8)
        let file = try ScenarioFile(jsonBytes: bytes)
        var expected = Scenario()
        expected.fanout = 4
        #expect(file == ScenarioFile(scenario: expected, replicates: nil))
    }

    @Test(arguments: [
        (#"{"scenario": {"fanout": 99}}"#, "scenario.fanout", "must be an integer in 1...64, got 99"),
        (#"{"scenario": {"fanuot": 4}}"#, "scenario.fanuot", #"unknown key (did you mean "fanout"?)"#),
        (#"{"scenario": {"timings": {"joinRetry": -1}}}"#, "scenario.timings.joinRetry", nil),
        (#"{"scenario": {"replicates": 0}}"#, "scenario.replicates", "must be an integer in 1...1000"),
        (#"{"scenario": {"replicates": 2.5}}"#, "scenario.replicates", "must be an integer in 1...1000"),
        (#"{"scenario": {"replicates": "3"}}"#, "scenario.replicates", "must be an integer in 1...1000"),
    ])
    func aBadSettingInAReportIsNamedWithItsSection(text: String, field: String, problem: String?) {
        #expect {
            try ScenarioFile(jsonBytes: Array(text.utf8))
        } throws: { error in
            guard let error = error as? Scenario.JSONError else { return false }
            return error.field == field && (problem == nil || error.problem == problem)
        }
    }

    @Test func textThatIsNotJSONIsNamedByPlace() {
        #expect(throws: Scenario.JSONError.self) { try ScenarioFile(jsonBytes: Array("{\"scenario\": ".utf8)) }
    }
}
