import Foundation
import Testing

@testable import BranchTreeSim

/// `branchtree-sim sweep` in-process, on tiny scenarios (debug builds validate the tree
/// after every change).
@Suite struct SweepCommandTests {
    /// Eight small points: 2 fan-outs × 2 policies × 2 churns.
    static let grid = [
        "sweep", "--audience", "30", "--duration", "30", "--fanout", "2,3", "--policy", "skyway,rejoin",
        "--churn", "1,2",
    ]

    @Test(arguments: ["table", "csv", "json"])
    func oneJobAndTwoJobsPrintTheSameBytes(format: String) {
        let one = SimRun(Self.grid + ["--format", format, "--jobs", "1"])
        let two = SimRun(Self.grid + ["--format", format, "--jobs", "2"])
        #expect(one.status == 0)
        #expect(one.stderr.isEmpty)
        #expect(!one.stdout.isEmpty)
        #expect(one.stdout == two.stdout)
        let again = SimRun(Self.grid + ["--format", format, "--jobs", "3"])
        #expect(again.stdout == one.stdout)
    }

    @Test func csvHasAHeaderAndARowPerPointInGridOrder() throws {
        let run = SimRun(Self.grid + ["--format", "csv"])
        #expect(run.status == 0)
        let lines = run.stdoutLines
        #expect(lines.count == 9)
        let header = lines[0].split(separator: ",").map(String.init)
        #expect(header.prefix(4) == ["sweep.point", "sweep.churn", "sweep.replicate", "scenario.seed"])
        #expect(!header.contains("run.wallSeconds"))
        func column(_ name: String) throws -> [String] {
            let position = try #require(header.firstIndex(of: name))
            return lines.dropFirst().map { String($0.split(separator: ",")[position]) }
        }
        #expect(try column("sweep.point") == (0..<8).map(String.init))
        #expect(try column("scenario.fanout") == ["2", "2", "2", "2", "3", "3", "3", "3"])
        let policies = ["skyway", "skyway", "rejoin", "rejoin"]
        #expect(try column("scenario.policy") == policies + policies)
        #expect(try column("sweep.churn") == ["1", "2", "1", "2", "1", "2", "1", "2"])
        #expect(try column("protocol.ghosts") == Array(repeating: "0", count: 8))
        for line in lines { #expect(line.split(separator: ",").count == header.count) }
    }

    @Test func jsonIsAnArrayOfReportsWithTheirPoint() throws {
        let run = SimRun(Self.grid + ["--format", "json"])
        #expect(run.status == 0)
        let points = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
        #expect(points.count == 8)
        for (index, point) in points.enumerated() {
            let sweep = try #require(point["sweep"] as? [String: Any])
            #expect(sweep["point"] as? Int == index)
            #expect(point["perDeparture"] is [String: Any])
            #expect((point["run"] as? [String: Any])?["wallSeconds"] == nil)
        }
        let scenario = try #require(points[5]["scenario"] as? [String: Any])
        #expect(scenario["fanout"] as? Int == 3)
        #expect(scenario["policy"] as? String == "skyway")
        #expect((points[5]["sweep"] as? [String: Any])?["churn"] as? Int == 2)
    }

    @Test func tableHasTheHeadlineColumnsAndARowPerPoint() {
        let run = SimRun(Self.grid)
        #expect(run.status == 0)
        #expect(run.stdoutLines.count == 9)
        let header = run.stdoutLines[0].split(separator: " ").map(String.init)
        #expect(header.prefix(5) == ["point", "fanout", "audience", "policy", "churn"])
        #expect(header.contains("interruptionsPerViewerHour"))
        #expect(!header.contains("seed"), "one seed per point: no seed column")
        #expect(!header.contains("wallSeconds"))
        #expect(run.stdoutLines[8].hasPrefix("    7       3        30  rejoin      2"))
    }

    @Test func seedsAddReplicateRows() {
        let run = SimRun(["sweep", "--audience", "20", "--duration", "20", "--fanout", "2", "--seeds", "3", "--seed", "5"])
        #expect(run.status == 0)
        #expect(run.stdoutLines.count == 4)
        #expect(run.stdoutLines[0].contains("seed"))
        let seeds = (0..<3).map { String(SweepGrid.seed(base: 5, replicate: $0)) }
        for (row, seed) in zip(run.stdoutLines.dropFirst(), seeds) { #expect(row.contains(seed)) }
    }

    @Test func aOnePointSweepRowIsTheRunReport() {
        let options = ["--audience", "25", "--duration", "30", "--seed", "3", "--fanout", "4", "--policy", "rejoin"]
        let sweep = SimRun(["sweep"] + options + ["--format", "csv"])
        let run = SimRun(["run"] + options + ["--format", "csv", "--reproducible"])
        #expect(sweep.status == 0)
        #expect(run.status == 0)
        let sweepRow = sweep.stdoutLines[1].split(separator: ",").dropFirst(3)
        let runRow = run.stdoutLines[1].split(separator: ",")
        #expect(Array(sweepRow) == Array(runRow))
    }

    @Test func timingAddsTheMachineFigures() {
        let run = SimRun(["sweep", "--audience", "10", "--duration", "10", "--timing", "--format", "csv"])
        #expect(run.status == 0)
        #expect(run.stdoutLines[0].contains("run.wallSeconds"))
        #expect(run.stdoutLines[0].contains("run.eventsPerSecond"))
    }

    @Test func theBaseScenarioOptionsApply() {
        let run = SimRun([
            "sweep", "--audience", "20", "--duration", "20", "--sessions", "exponential:30", "--cold-start",
            "--format", "csv",
        ])
        let plain = SimRun(["sweep", "--audience", "20", "--duration", "20", "--format", "csv"])
        #expect(run.status == 0)
        #expect(run.stdout != plain.stdout)
    }

    @Test func unsweptAxesComeFromTheBaseScenarioFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.write("base.json", #"{"fanout": 4, "audience": 20, "duration": 20, "policy": "rejoin"}"#)
        let fromFile = SimRun(["sweep", "--scenario", file, "--format", "csv"])
        #expect(fromFile.status == 0)
        #expect(fromFile.stdoutLines.count == 2)
        #expect(fromFile.stdoutLines[1].hasPrefix("0,1,0,1,20,4,rejoin,20,"))
        let swept = SimRun(["sweep", "--scenario", file, "--fanout", "2,3", "--format", "csv"])
        #expect(swept.stdoutLines.dropFirst().map { $0.split(separator: ",")[5] } == ["2", "3"])
    }

    @Test(arguments: [
        ["--fanout", ""], ["--fanout", "2,,3"], ["--fanout", "0"], ["--fanout", "65"], ["--audience", "-1"],
        ["--policy", "skyway,nope"], ["--churn", "0"], ["--churn", "1,x"], ["--seeds", "0"], ["--jobs", "0"],
        ["--format", "xml"], ["--timing=yes"], ["--progress=yes"], ["--fanout"], ["stray"],
    ])
    func usageErrorsExit64(arguments: [String]) {
        let run = SimRun(["sweep", "--audience", "10", "--duration", "10"] + arguments)
        run.expectUsageError(of: "sweep")
    }

    @Test(arguments: ["1", "2"])
    func progressWritesALinePerPointToStandardErrorOnly(jobs: String) {
        let quiet = SimRun(Self.grid + ["--jobs", "2"])
        let run = SimRun(Self.grid + ["--progress", "--jobs", jobs])
        #expect(run.status == 0)
        #expect(run.stdout == quiet.stdout)
        let lines = run.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 8)
        var described: Set<String> = []
        for (position, line) in lines.enumerated() {
            let match = line.wholeMatch(of: /\[(\d+)\/8\] (.*): \d+\.\d s/)
            #expect(match?.1 == "\(position + 1)"[...], "\(line)")
            if let match { described.insert(String(match.2)) }
        }
        var expected: Set<String> = []
        for fanout in [2, 3] {
            for policy in ["skyway", "rejoin"] {
                for churn in [1, 2] { expected.insert("fan-out \(fanout), audience 30, \(policy), churn \(churn), seed 1") }
            }
        }
        #expect(described == expected)
    }

    @Test func helpDescribesTheGrid() {
        let run = SimRun(["sweep", "--help"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("--churn <x,...>"))
        #expect(run.stdout.contains("--jobs <n>"))
        #expect(run.stdout.contains("--progress"))
        #expect(run.stdout.contains("--sessions"), "the scenario options are there too")
        #expect(SimRun(["--help"]).stdout.contains("sweep"))
    }
}
