import Foundation
import Testing

@testable import BranchTreeSim

/// `branchtree-sim sweep` in-process, on tiny scenarios (the `InternalChecks` trait
/// validates the tree after every change); one replicate unless a test is about replicates.
@Suite struct SweepCommandTests {
    /// Eight small points: 2 fan-outs × 2 policies × 2 churns.
    static let points = [
        "sweep", "--audience", "30", "--duration", "30", "--fanout", "2,3", "--policy", "skyway,rejoin",
        "--churn", "1,2",
    ]
    static let grid = points + ["--replicates", "1"]

    @Test(arguments: ["table", "csv", "json"])
    func oneJobAndTwoJobsPrintTheSameBytes(format: String) {
        let replicated = Self.points + ["--replicates", "2", "--format", format]
        let one = SimRun(replicated + ["--jobs", "1"])
        let two = SimRun(replicated + ["--jobs", "2"])
        #expect(one.status == 0)
        #expect(one.stderr.isEmpty)
        #expect(!one.stdout.isEmpty)
        #expect(one.stdout == two.stdout)
        let again = SimRun(replicated + ["--jobs", "3"])
        #expect(again.stdout == one.stdout)
    }

    @Test func csvHasAHeaderAndARowPerPointInGridOrder() throws {
        let run = SimRun(Self.grid + ["--format", "csv"])
        #expect(run.status == 0)
        let lines = run.stdoutLines
        #expect(lines.count == 9)
        let header = CSVLine.fields(lines[0])
        #expect(header.prefix(3) == ["sweep.point", "sweep.churn", "scenario.seed"])
        #expect(!header.contains("sweep.replicate"))
        #expect(!header.contains("run.wallSeconds"))
        let rows = lines.dropFirst().map(CSVLine.fields)
        func column(_ name: String) throws -> [String] {
            let position = try #require(header.firstIndex(of: name))
            return rows.map { $0[position] }
        }
        #expect(try column("sweep.point") == (0..<8).map(String.init))
        #expect(try column("scenario.fanout") == ["2", "2", "2", "2", "3", "3", "3", "3"])
        let policies = ["skyway", "skyway", "rejoin", "rejoin"]
        #expect(try column("scenario.policy") == policies + policies)
        #expect(try column("sweep.churn") == ["1", "2", "1", "2", "1", "2", "1", "2"])
        #expect(try column("scenario.seed") == Array(repeating: "1", count: 8))
        #expect(try column("scenario.replicates") == Array(repeating: "1", count: 8))
        #expect(try column("protocol.ghosts") == Array(repeating: "0", count: 8))
        for row in rows { #expect(row.count == header.count) }
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
        #expect(!run.stdout.contains("replicates per point"), "one replicate: no preamble")
        #expect(!run.stdout.contains("±"))
        #expect(!header.contains("wallSeconds"))
        #expect(run.stdoutLines[8].hasPrefix("    7       3        30  rejoin      2"))
    }

    @Test func replicatesGiveOneRowPerPointWithIntervals() throws {
        let options = ["sweep", "--audience", "30", "--duration", "30", "--fanout", "2,3", "--replicates", "2"]
        let table = SimRun(options + ["--seed", "5"])
        #expect(table.status == 0)
        #expect(table.stdoutLines.count == 4)
        #expect(
            table.stdoutLines[0]
                == "2 replicates per point (seed 5 and seeds derived from it); ± is the 95 % confidence interval of the mean."
        )
        #expect(table.stdoutLines[1].hasPrefix("point  fanout  audience  policy  churn  "))
        for row in table.stdoutLines.dropFirst(2) { #expect(row.contains(" ± ")) }

        let csv = SimRun(options + ["--format", "csv"])
        #expect(csv.stdoutLines.count == 3, "a row per point, not per replicate")
        let header = CSVLine.fields(csv.stdoutLines[0])
        #expect(!header.contains("sweep.replicate"))
        let rows = csv.stdoutLines.dropFirst().map(CSVLine.fields)
        func number(_ row: [String], _ name: String) throws -> Double {
            let position = try #require(header.firstIndex(of: name))
            return try #require(Double(row[position]))
        }
        for row in rows {
            #expect(try number(row, "scenario.replicates") == 2)
            let figure = "perViewer.interruptionsPerViewerHour"
            let (mean, low, high) = (
                try number(row, figure + ".mean"), try number(row, figure + ".low"), try number(row, figure + ".high")
            )
            #expect(low <= mean && mean <= high)
            #expect(abs((mean - low) - (high - mean)) <= 0.0011, "symmetric, to the printed places")
            // Per-event figures: the mean's interval, then percentiles of the pooled events.
            for part in ["mean", "meanLow", "meanHigh", "p50", "p99", "max"] {
                #expect(header.contains("perDeparture.interruptedViewers." + part), "\(part)")
            }
        }

        let json = SimRun(options + ["--format", "json"])
        let points = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(points.count == 2)
        let continuity = try #require((points[1]["perViewer"] as? [String: Any])?["continuityIndex"] as? [String: Any])
        #expect(continuity.keys.sorted() == ["high", "low", "mean"])
    }

    @Test func aPointOfAGridIsThePointSweptAlone() {
        // Every point runs the same replicate seeds, whatever its place in the grid.
        let options = ["--audience", "25", "--duration", "30", "--replicates", "2", "--format", "csv"]
        let grid = SimRun(["sweep", "--fanout", "2,3"] + options)
        let alone = SimRun(["sweep", "--fanout", "3"] + options)
        #expect(grid.status == 0)
        #expect(CSVLine.fields(grid.stdoutLines[2]).dropFirst() == CSVLine.fields(alone.stdoutLines[1]).dropFirst())
    }

    @Test(arguments: ["1", "2"])
    func aOnePointSweepRowIsTheRunReport(replicates: String) {
        let options = [
            "--audience", "25", "--duration", "30", "--seed", "3", "--fanout", "4", "--policy", "rejoin",
            "--replicates", replicates,
        ]
        let sweep = SimRun(["sweep"] + options + ["--format", "csv"])
        let run = SimRun(["run"] + options + ["--format", "csv", "--reproducible"])
        #expect(sweep.status == 0)
        #expect(run.status == 0)
        #expect(sweep.stdoutLines[0] == "sweep.point,sweep.churn," + run.stdoutLines[0])
        #expect(sweep.stdoutLines[1] == "0,1," + run.stdoutLines[1])
    }

    @Test func timingAddsTheMachineFigures() {
        let run = SimRun([
            "sweep", "--audience", "10", "--duration", "10", "--replicates", "1", "--timing", "--format", "csv",
        ])
        #expect(run.status == 0)
        #expect(run.stdoutLines[0].contains("run.wallSeconds"))
        #expect(run.stdoutLines[0].contains("run.eventsPerSecond"))
    }

    @Test func theBaseScenarioOptionsApply() {
        let run = SimRun([
            "sweep", "--audience", "20", "--duration", "20", "--sessions", "exponential:30", "--cold-start",
            "--replicates", "1", "--format", "csv",
        ])
        let plain = SimRun(["sweep", "--audience", "20", "--duration", "20", "--replicates", "1", "--format", "csv"])
        #expect(run.status == 0)
        #expect(run.stdout != plain.stdout)
    }

    @Test func unsweptAxesComeFromTheBaseScenarioFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.write(
            "base.json", #"{"fanout": 4, "audience": 20, "duration": 20, "policy": "rejoin"}"#)
        let fromFile = SimRun(["sweep", "--scenario", file, "--replicates", "1", "--format", "csv"])
        #expect(fromFile.status == 0)
        #expect(fromFile.stdoutLines.count == 2)
        let header = CSVLine.fields(fromFile.stdoutLines[0])
        let row = CSVLine.fields(fromFile.stdoutLines[1])
        let settings = [
            "scenario.seed", "scenario.duration", "scenario.audience", "scenario.fanout", "scenario.policy",
        ]
        #expect(
            settings.map { name in header.firstIndex(of: name).map { row[$0] } } == ["1", "20", "20", "4", "rejoin"])
        let swept = SimRun(["sweep", "--scenario", file, "--fanout", "2,3", "--replicates", "1", "--format", "csv"])
        let fanout = try #require(header.firstIndex(of: "scenario.fanout"))
        #expect(swept.stdoutLines.dropFirst().map { CSVLine.fields($0)[fanout] } == ["2", "3"])
    }

    @Test(arguments: [
        ["--fanout", ""], ["--fanout", "2,,3"], ["--fanout", "0"], ["--fanout", "65"], ["--audience", "-1"],
        ["--policy", "skyway,nope"], ["--churn", "0"], ["--churn", "1,x"], ["--replicates", "0"],
        ["--replicates", "1001"], ["--seeds", "3"], ["--jobs", "0"],
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
                for churn in [1, 2] {
                    expected.insert("fan-out \(fanout), audience 30, \(policy), churn \(churn), seed 1")
                }
            }
        }
        #expect(described == expected)
    }

    @Test func helpDescribesTheGrid() {
        let run = SimRun(["sweep", "--help"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("--churn <x,...>"))
        #expect(run.stdout.contains("--jobs <n>"))
        #expect(run.stdout.contains("--replicates <r>"))
        #expect(!run.stdout.contains("--seeds"))
        #expect(run.stdout.contains("--progress"))
        #expect(run.stdout.contains("--sessions"), "the scenario options are there too")
        #expect(SimRun(["--help"]).stdout.contains("sweep"))
    }
}
