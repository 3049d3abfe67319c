import BranchTree
import Foundation
import Testing

@testable import BranchTreeSim

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Options for runs small enough for a debug build.
private let tiny = ["--audience", "50", "--duration", "60"]

/// Element names of an XML document, in order, or nil when it is not well formed.
private func xmlElements(_ text: String) -> [String]? {
    final class Collector: NSObject, XMLParserDelegate {
        var names: [String] = []
        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
            qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
        ) {
            names.append(elementName)
        }
    }
    let parser = XMLParser(data: Data(text.utf8))
    let collector = Collector()
    parser.delegate = collector
    return parser.parse() ? collector.names : nil
}

@Suite struct RunCommandTests {
    @Test func aTinyRunReportsInEveryFormat() throws {
        let table = SimRun(["run"] + tiny + ["--reproducible"])
        #expect(table.status == 0)
        #expect(table.stdout.hasPrefix("scenario\n"))
        #expect(table.stderr.isEmpty)
        let json = SimRun(["run"] + tiny + ["--format", "json", "--reproducible"])
        #expect(json.status == 0)
        let value = try JSONReader.read(Array(json.stdout.utf8))
        guard case .object(let sections) = value else {
            Issue.record("not an object")
            return
        }
        #expect(sections.map(\.key).first == "scenario")
        let csv = SimRun(["run"] + tiny + ["--format", "csv", "--reproducible"])
        #expect(csv.stdoutLines.count == 2)
    }

    @Test func viewersNeverServedAreWarnedOfOnStandardErrorOnly() throws {
        let options = ["run", "--audience", "50", "--duration", "60", "--uplinks", "a:1:0", "--reproducible"]
        let starved = SimRun(options)
        #expect(starved.status == 0)
        #expect(starved.stderr.hasPrefix("warning: "))
        #expect(starved.stderr.contains(" sessions never received the stream; "))
        #expect(starved.stderr.hasSuffix(" viewers were still without it at the end (no relay capacity?)\n"))
        #expect(starved.stdout.hasPrefix("scenario\n") && !starved.stdout.contains("warning"))
        let continuity = try #require(starved.stdoutLines.first { $0.hasPrefix("  continuityIndex ") })
        #expect(try #require(Double(continuity.split(separator: " ").last ?? "")) < 0.1, "\(continuity)")
        // A healthy run: continuity in (0, 1], nothing on standard error.
        let healthy = SimRun(["run"] + tiny + ["--reproducible", "--format", "csv"])
        #expect(healthy.stderr.isEmpty)
        let header = CSVLine.fields(healthy.stdoutLines[0])
        let row = CSVLine.fields(healthy.stdoutLines[1])
        let column = try #require(header.firstIndex(of: "perViewer.continuityIndex"))
        let healthyContinuity = try #require(Double(row[column]))
        #expect(healthyContinuity > 0 && healthyContinuity <= 1)
    }

    @Test func sameOptionsSameBytes() {
        let options = ["run"] + tiny + ["--seed", "5", "--policy", "rejoin", "--format", "json", "--reproducible"]
        #expect(SimRun(options).stdout == SimRun(options).stdout)
    }

    @Test func printScenarioPrintsWithoutRunning() throws {
        let run = SimRun(["run", "--audience", "50000000", "--duration", "31536000", "--print-scenario"])
        #expect(run.status == 0)
        #expect(run.stderr.isEmpty)
        let scenario = try Scenario(jsonBytes: Array(run.stdout.utf8))
        #expect(scenario.audience == 50_000_000)
        #expect(run.stdout.hasPrefix("{\n  \"seed\": 1,\n"))
        #expect(run.stdout.hasSuffix("}\n"))
    }

    @Test func svgWritesAWellFormedChart() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/chart.svg"
        let run = SimRun(["run"] + tiny + ["--seed", "7", "--fanout", "2", "--reproducible", "--svg", path])
        #expect(run.status == 0)
        #expect(run.stderr.isEmpty)
        // The report on stdout is the same with or without the chart.
        #expect(run.stdout == SimRun(["run"] + tiny + ["--seed", "7", "--fanout", "2", "--reproducible"]).stdout)
        let svg = try String(contentsOfFile: path, encoding: .utf8)
        let elements = try #require(xmlElements(svg))
        #expect(elements.first == "svg")
        #expect(elements.contains("polyline") || elements.contains("path"))
        #expect(elements.filter { $0 == "rect" }.count > 2)  // background and bars
        #expect(svg.contains("<title>skyway · fan-out 2 · target 50 viewers, peak "))
        #expect(svg.contains("<desc>seed 7 · 1:00 simulated</desc>"))
        #expect(svg.contains(">viewers<"))
        #expect(svg.contains(">interrupted viewers<"))
        // Deterministic: the same run draws the same bytes.
        let again = directory.path + "/again.svg"
        _ = SimRun(["run"] + tiny + ["--seed", "7", "--fanout", "2", "--reproducible", "--svg", again])
        #expect(try String(contentsOfFile: again, encoding: .utf8) == svg)
    }

    @Test func svgThatCannotBeWrittenIsExit73BeforeRunning() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        for path in [directory.path + "/missing/chart.svg", directory.path] {
            // A scenario far too large for a test, on a machine large enough for it: the
            // path is checked before the run.
            let run = PhysicalMemory.$override.withValue(1 << 50) {
                SimRun(["run", "--audience", "50000000", "--svg", path])
            }
            #expect(run.status == 73)
            #expect(run.stdout.isEmpty)
            #expect(run.stderr.hasPrefix("Error: cannot write '\(path)': "))
            #expect(!run.stderr.contains("Usage:"))
        }
    }

    @Test func outputOptionsAreValidated() {
        let format = SimRun(["run", "--format", "xml"])
        #expect(format.status == 64)
        #expect(format.stderr.hasPrefix("Error: invalid value 'xml' for '--format <name>'"))
        let svg = SimRun(["run", "--svg", ""])
        #expect(svg.status == 64)
        #expect(svg.stderr.hasPrefix("Error: invalid value '' for '--svg <file>'"))
    }

    /// The simulator reference's scenario file is what the command it shows prints, and
    /// reads back.
    @Test func theReferenceScenarioExampleIsCurrent() throws {
        let readme = try String(contentsOfFile: PackagePaths.root + "/Documentation/Simulator.md", encoding: .utf8)
        let section = try #require(readme.range(of: "**Scenario files**"))
        let start = try #require(readme.range(of: "```json\n", range: section.upperBound..<readme.endIndex))
        let end = try #require(readme.range(of: "```", range: start.upperBound..<readme.endIndex))
        let example = String(readme[start.upperBound..<end.lowerBound])
        let printed = SimRun([
            "run", "--fanout", "4", "--flash-crowd", "10:300", "--uplinks", "fibre:0.7,mobile:0.3:0", "--rate-changes",
            "1800:5", "--print-scenario",
        ])
        #expect(printed.stdout == example)
        #expect(
            try Scenario(jsonBytes: Array(example.utf8)).json == Scenario(jsonBytes: Array(printed.stdout.utf8)).json)
    }

    /// Every figure the report prints has a row in the README's report table, which
    /// `help run` points to.
    @Test func theReadmeDefinesEveryFigure() throws {
        let readme = try String(contentsOfFile: PackagePaths.root + "/README.md", encoding: .utf8)
        let section = try #require(readme.range(of: "### Reading the report"))
        let table = try #require(
            readme.range(of: "| figure | unit | definition |\n", range: section.upperBound..<readme.endIndex))
        let rows = readme[table.upperBound...].split(separator: "\n", omittingEmptySubsequences: false)
            .prefix { $0.hasPrefix("|") }
        var simulation = try Simulation(scenario: SimulationTests.scenario(audience: 20, duration: 30))
        let report = simulation.run()
        for (name, figures) in report.sections {
            for figure in figures {
                // `section.*` defines a whole section (the scenario's settings).
                let defined = rows.contains { row in
                    row.hasPrefix("| `\(name).*`")
                        || (row.hasPrefix("| `\(name).")
                            && (row.contains("`\(name).\(figure.name)`") || row.contains("`\(figure.name)`")))
                }
                #expect(defined, "\(name).\(figure.name) is not in the README's report table")
            }
        }
        let help = SimRun(["help", "run"]).stdout
        #expect(help.contains("Report figures (the README's report table defines each, with its unit)"))
    }

    @Test func helpDocumentsTheValueForms() {
        let help = SimRun(["help", "run"]).stdout
        for text in [
            "--scenario <file>", "--print-scenario", "--svg <file>", "LOW...HIGH", "lognormal:5.19,1.44",
            "NAME:SHARE[:CAPACITY]", "(default: 0.05...0.1)", "73",
        ] {
            #expect(help.contains(text), "\(text)")
        }
    }

    // MARK: Replicates and the scenario echo

    @Test func replicatesShowIntervalsAndTheSameBytesWhateverTheJobs() {
        let options = ["run"] + tiny + ["--replicates", "3", "--reproducible"]
        let one = SimRun(options + ["--jobs", "1"])
        let two = SimRun(options + ["--jobs", "2"])
        #expect(one.status == 0)
        #expect(one.stderr.isEmpty)
        #expect(one.stdout == two.stdout)
        #expect(one.stdoutLines.contains("  replicates             3"))
        #expect(one.stdoutLines.contains { $0.hasPrefix("  continuityIndex ") && $0.contains(" ± ") })
        #expect(
            one.stdoutLines.contains {
                $0.hasPrefix("  interruptedViewers ") && $0.contains(" ± ") && $0.contains(", p99 ")
            })
        let csv = SimRun(["run"] + tiny + ["--replicates", "3", "--reproducible", "--format", "csv"])
        let header = CSVLine.fields(csv.stdoutLines[0])
        for name in [
            "perViewer.continuityIndex.low", "perViewer.continuityIndex.high",
            "perDeparture.interruptedViewers.meanLow",
        ] {
            #expect(header.contains(name), "\(name)")
        }
    }

    @Test func replicatesAreTheCombinedReplicateRuns() throws {
        var scenario = Scenario()
        scenario.audience = 50
        scenario.duration = 60
        let reports = try scenario.replicates(0..<3).map { replicate in
            var simulation = try Simulation(scenario: replicate)
            return simulation.run()
        }
        let combined = SimulationReport.combining(reports)
        let run = SimRun(["run"] + tiny + ["--replicates", "3", "--format", "json", "--reproducible"])
        #expect(run.stdout == JSONWriter.string(combined.json(reproducible: true), style: .pretty) + "\n")
        // One replicate is the plain run.
        let plain = SimRun(["run"] + tiny + ["--format", "json", "--reproducible"])
        #expect(
            SimRun(["run"] + tiny + ["--replicates", "1", "--format", "json", "--reproducible"]).stdout == plain.stdout)
        #expect(plain.stdout == JSONWriter.string(reports[0].json(reproducible: true), style: .pretty) + "\n")
    }

    /// A JSON report is a scenario file: run again from it, it prints the same bytes.
    @Test(arguments: [[], ["--replicates", "2"]])
    func aJSONReportRunsAgainToTheSameBytes(replicates: [String]) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let options = ["--format", "json", "--reproducible"]
        let first = SimRun(
            ["run"] + tiny + [
                "--seed", "4", "--fanout", "2", "--policy", "rejoin", "--abrupt-share", "0.5",
                "--detection-delay", "1...3", "--uplinks", "a:0.6,b:0.4:1",
            ] + replicates + options)
        #expect(first.status == 0)
        let report = try directory.write("report.json", first.stdout)
        let again = SimRun(["run", "--scenario", report] + options)
        #expect(again.status == 0)
        #expect(again.stderr.isEmpty)
        #expect(again.stdout == first.stdout)
        // The echo is every setting: printed back as a scenario, it is the original one.
        let printed = SimRun(["run", "--scenario", report, "--print-scenario"])
        let original = SimRun(
            ["run"] + tiny + [
                "--seed", "4", "--fanout", "2", "--policy", "rejoin", "--abrupt-share", "0.5",
                "--detection-delay", "1...3", "--uplinks", "a:0.6,b:0.4:1", "--print-scenario",
            ])
        #expect(printed.stdout == original.stdout)
    }

    @Test func optionsOverrideAReportsScenarioAndReplicates() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = SimRun(["run"] + tiny + ["--replicates", "2", "--format", "json", "--reproducible"])
        let report = try directory.write("report.json", first.stdout)
        let overridden = SimRun(["run", "--scenario", report, "--replicates", "1", "--seed", "9", "--format", "csv"])
        #expect(overridden.status == 0)
        let header = CSVLine.fields(overridden.stdoutLines[0])
        let row = CSVLine.fields(overridden.stdoutLines[1])
        let value = { (name: String) in header.firstIndex(of: name).map { row[$0] } }
        #expect(value("scenario.replicates") == "1")
        #expect(value("scenario.seed") == "9")
        #expect(value("scenario.audience") == "50")
    }

    @Test func aReportWithABadSettingIsExit65NamingIt() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = SimRun(["run"] + tiny + ["--format", "json", "--reproducible"])
        let broken = first.stdout.replacingOccurrences(of: "\"fanout\": 3,", with: "\"fanout\": 0,")
        #expect(broken != first.stdout)
        let report = try directory.write("report.json", broken)
        let run = SimRun(["run", "--scenario", report])
        #expect(run.status == 65)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr == "Error: \(report): \"scenario.fanout\": must be an integer in 1...64, got 0\n")
    }

    @Test func replicatesAreValidated() {
        for value in ["0", "1001", "x"] {
            let run = SimRun(["run"] + tiny + ["--replicates", value])
            run.expectUsageError(of: "run")
        }
    }
}
