import Foundation
import Testing

@testable import BranchTreeSim

/// The refusal of runs too large for the machine, tested against a machine of a given
/// size (``PhysicalMemory/override``) so that nothing large is ever allocated.
@Suite struct MemoryCheckTests {
    static let eightGigabytes = 8_000_000_000

    private static func onMachine(of bytes: Int = eightGigabytes, _ arguments: [String]) -> SimRun {
        PhysicalMemory.$override.withValue(bytes) { SimRun(arguments) }
    }

    @Test func aHugeAudienceIsRefusedBeforeTheRun() {
        let run = Self.onMachine(["run", "--audience", "50000000"])
        run.expectUsageError(of: "run")
        #expect(
            run.stderr.hasPrefix(
                "Error: the simulation would need about 60.1 GB of memory (about 50,000,000 viewers at once, "
                    + "1,200 bytes each), more than this machine's 8 GB; lower --audience or the arrival rate\n"))
    }

    @Test func theEstimateFollowsTheScenario() {
        let run = Self.onMachine(["run", "--audience", "5000000", "--fanout", "64", "--restart-at", "10"])
        run.expectUsageError(of: "run")
        #expect(
            run.stderr.hasPrefix(
                "Error: the simulation would need about 15.8 GB of memory (about 5,000,000 viewers at once, "
                    + "3,144 bytes each), more than this machine's 8 GB;"))
        // A cold start at a high arrival rate: the viewers its arrivals keep present.
        let cold = Self.onMachine(["run", "--audience", "0", "--cold-start", "--arrival-rate", "100000"])
        cold.expectUsageError(of: "run")
        #expect(cold.stderr.contains("about 44,153,40"), "100,000 per second × 441.5 s, the mean stay within the hour")
    }

    @Test func aRunThatFitsStarts() {
        let run = Self.onMachine(["run", "--audience", "50", "--duration", "60", "--reproducible"])
        #expect(run.status == 0)
        #expect(run.stderr.isEmpty)
        // The limit is the estimate plus the process: one byte less is refused.
        let needed = Int(MemoryCheck.processBytes) + 50 * 1_200
        #expect(Self.onMachine(of: needed, ["run", "--audience", "50", "--duration", "60"]).status == 0)
        #expect(Self.onMachine(of: needed - 1, ["run", "--audience", "50", "--duration", "60"]).status == 64)
    }

    @Test func printingTheScenarioNeedsNoMemory() {
        let run = Self.onMachine(of: 1, ["run", "--audience", "50000000", "--print-scenario"])
        #expect(run.status == 0)
    }

    @Test func theRefusalComesBeforeTheChartFileIsCreated() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/chart.svg"
        Self.onMachine(["run", "--audience", "50000000", "--svg", path]).expectUsageError(of: "run")
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func theSimulationsThatMayRunAtOnceAreCounted() {
        let sizes = [3_000_000, 1_000, 2_000_000].map { audience in
            var scenario = Scenario()
            scenario.audience = audience
            return scenario
        }
        // 3.6 GB and 2.4 GB: one at a time fits in 4 GB, two at once do not.
        PhysicalMemory.$override.withValue(4_000_000_000) {
            #expect(throws: Never.self) { try MemoryCheck.requireFits(sizes, jobs: 1, of: "point", hint: "") }
            #expect(throws: CommandError.self) { try MemoryCheck.requireFits(sizes, jobs: 2, of: "point", hint: "") }
            #expect(throws: Never.self) { try MemoryCheck.requireFits([], jobs: 2, of: "point", hint: "") }
        }
    }

    @Test func aSweepCountsThePointsThatRunAtOnce() {
        let sweep = ["sweep", "--audience", "3000000,1000,2000000", "--duration", "60", "--replicates", "1"]
        let two = Self.onMachine(of: 6_000_000_000, sweep + ["--jobs", "2"])
        two.expectUsageError(of: "sweep")
        #expect(
            two.stderr.hasPrefix(
                "Error: the 2 largest sweep points, run at once, would need about 6.1 GB of memory (the largest: about "
                    + "3,000,000 viewers at once, 1,200 bytes each), more than this machine's 6 GB; lower --audience or --jobs\n"
            ))
        let alone = Self.onMachine(of: 1_000_000_000, sweep + ["--jobs", "1"])
        alone.expectUsageError(of: "sweep")
        #expect(alone.stderr.hasPrefix("Error: the largest sweep point would need about 3.7 GB of memory"))
        // Replicates run at once too: two of the largest point.
        let replicated = Self.onMachine(
            of: 7_000_000_000, Array(sweep.dropLast(2)) + ["--replicates", "2", "--jobs", "2"])
        replicated.expectUsageError(of: "sweep")
        #expect(replicated.stderr.hasPrefix("Error: the 2 largest sweep points, run at once, would need about 7.3 GB"))
    }

    @Test func aPlanCountsItsCandidates() {
        let run = Self.onMachine(["plan", "--audience", "10000000", "--jobs", "2"])
        run.expectUsageError(of: "plan")
        #expect(
            run.stderr.hasPrefix("Error: the 2 largest candidates, run at once, would need about 24.1 GB of memory"))
    }
}
