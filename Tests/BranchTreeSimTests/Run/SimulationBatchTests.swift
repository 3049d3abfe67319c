import Testing

@testable import BranchTreeSim

/// Batches of tiny scenarios (the `InternalChecks` trait validates the tree after every change).
@Suite struct SimulationBatchTests {
    static let clear = "\r\u{1B}[K"

    /// Three scenarios of different sizes, and what they are.
    static let batch: (scenarios: [Scenario], descriptions: [String]) = {
        let scenarios = [20, 40, 30].map { audience in
            var scenario = Scenario()
            scenario.audience = audience
            scenario.duration = 20
            return scenario
        }
        return (scenarios, scenarios.map { "audience \($0.audience)" })
    }()

    static func run(jobs: Int, progress: BatchProgress.Display) throws -> (reports: [String], stderr: String) {
        var stderr = ""
        let reports = try SimulationBatch.run(
            batch.scenarios, described: batch.descriptions, jobs: jobs, progress: progress, stderr: &stderr)
        return (reports.map { $0.table(reproducible: true) }, stderr)
    }

    @Test func progressNeverChangesTheReports() throws {
        let silent = try Self.run(jobs: 1, progress: [])
        #expect(silent.stderr.isEmpty)
        #expect(silent.reports.count == 3)
        for display: BatchProgress.Display in [[], .statusLine, .linePerSimulation, [.statusLine, .linePerSimulation]] {
            for jobs in [1, 2, 3] {
                #expect(try Self.run(jobs: jobs, progress: display).reports == silent.reports)
            }
        }
    }

    @Test(arguments: [1, 2])
    func aLinePerSimulationNumberedAsTheyFinish(jobs: Int) throws {
        let stderr = try Self.run(jobs: jobs, progress: .linePerSimulation).stderr
        let lines = stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        var described: [String] = []
        for (position, line) in lines.enumerated() {
            let prefix = "[\(position + 1)/3] "
            #expect(line.hasPrefix(prefix), "\(line)")
            let description = try #require(line.dropFirst(prefix.count).split(separator: ":").first)
            described.append(String(description))
            #expect(line.wholeMatch(of: /\[\d\/3\] audience \d+: \d+\.\d s/) != nil, "\(line)")
        }
        #expect(described.sorted() == Self.batch.descriptions.sorted())
        if jobs == 1 {
            #expect(described == ["audience 40", "audience 30", "audience 20"], "one thread: the biggest first")
        }
    }

    @Test func theStatusLineIsDrawnFirstAndErasedLast() throws {
        let stderr = try Self.run(jobs: 2, progress: .statusLine).stderr
        #expect(stderr.hasPrefix(Self.clear + "0/3 simulations · 0:00 elapsed · estimating…"))
        #expect(stderr.contains(Self.clear + "3/3 simulations · "))
        #expect(stderr.hasSuffix(Self.clear))
        #expect(!stderr.contains("\n"))
    }

    @Test func anEmptyBatchShowsNothing() throws {
        var stderr = ""
        let reports = try SimulationBatch.run(
            [], described: [], jobs: 2, progress: [.statusLine, .linePerSimulation], stderr: &stderr)
        #expect(reports.isEmpty)
        #expect(stderr.isEmpty)
    }

    @Test func anInvalidScenarioStopsTheBatchBeforeAnyProgress() {
        var invalid = Scenario()
        invalid.fanout = 0
        var stderr = ""
        #expect(throws: WorkloadError.self) {
            try SimulationBatch.run(
                Self.batch.scenarios + [invalid], described: Self.batch.descriptions + ["invalid"], jobs: 2,
                progress: [.statusLine, .linePerSimulation], stderr: &stderr)
        }
        #expect(stderr.isEmpty)
    }
}
