import BranchTree
import Testing

@testable import BranchTreeSim

/// Typed report → JSON → typed report, as shard files store sweep rows.
@Suite struct SimulationReportJSONRecordTests {
    /// Writes `report`'s record as text and reads it back through the one JSON reader.
    static func roundTrip(_ report: SimulationReport) throws -> SimulationReport {
        let text = JSONWriter.string(report.jsonRecord, style: .compact)
        return try SimulationReport(jsonRecord: try JSONReader.read(Array(text.utf8)), path: "report")
    }

    @Test(arguments: 0..<200 as Range<UInt64>)
    func generatedReportsReadBackEqual(seed: UInt64) throws {
        var generator = ReportGenerator(seed: seed)
        let report = generator.report()
        let back = try Self.roundTrip(report)
        #expect(Self.same(back, report), "seed \(seed)")
        // And the text is a fixed point: nothing is rounded on the way.
        #expect(
            JSONWriter.string(back.jsonRecord, style: .compact)
                == JSONWriter.string(report.jsonRecord, style: .compact),
            "seed \(seed)")
    }

    @Test(arguments: [ReportFormat.table, .csv, .json])
    func aSimulatedSweepRowRendersTheSameAfterTheTrip(format: ReportFormat) throws {
        var scenario = Scenario()
        scenario.audience = 40
        scenario.duration = 30
        let reports = try scenario.replicates(0..<3).map { try SimulationModel.full.run($0) }
        for rows in [[reports[0]], [SimulationReport.combining(reports)]] {
            let labelled = rows.map { SweepPoint(index: 0, churn: 1.5, scenario: scenario).labelled($0) }
            let back = try labelled.map(Self.roundTrip)
            for reproducible in [true, false] {
                #expect(
                    SweepRendering(back, reproducible: reproducible).text(format)
                        == SweepRendering(labelled, reproducible: reproducible).text(format))
            }
        }
    }

    @Test func notANumberAndTheInfinitiesAreStringsThatReadBack() throws {
        var report = SimulationReport.sample()
        report.tree.meanDepth = .decimal(.nan, places: 3)
        report.tree.fanoutUse = .estimate(Estimate(mean: .infinity, halfWidth: -.infinity, count: 2), places: 4)
        let text = JSONWriter.string(report.jsonRecord, style: .compact)
        #expect(text.contains(#""meanDepth":{"decimal":"NaN","places":3}"#))
        #expect(text.contains(#"{"mean":"Infinity","halfWidth":"-Infinity","count":2}"#))
        let back = try Self.roundTrip(report)
        guard case .decimal(let depth, 3) = back.tree.meanDepth else {
            Issue.record("not a decimal")
            return
        }
        #expect(depth.isNaN)
        #expect(back.tree.fanoutUse == report.tree.fanoutUse)
    }

    /// Each malformed record names the field at fault.
    @Test(arguments: [
        (#""replicates":1"#, #""replicates":0"#, "report.replicates", "must be an integer in 1..."),
        (#""sessions":{"count":0}"#, #""sessions":{"count":0.5}"#, "report.perViewer.sessions.count", "got 0.5"),
        (
            #""sessions":{"count":0}"#, #""sessions":{"count":0,"places":2}"#, "report.perViewer.sessions.places",
            "unknown key"
        ),
        (#""sessions":{"count":0}"#, #""sessions":{}"#, "report.perViewer.sessions", "one of the keys"),
        (#""height":{"count":0},"#, "", "report.tree.height", "is missing"),
        (
            #""neverServed":{"count":0}"#, #""neverServed":{"count":"0"}"#, "report.perViewer.neverServed.count",
            "a string"
        ),
        (
            #""continuityIndex":{"decimal":1,"#, #""continuityIndex":{"decimal":"one","#,
            "report.perViewer.continuityIndex.decimal", "\"NaN\""
        ),
        (
            #""buckets":[[3,1]]"#, #""buckets":[[3,0]]"#, "report.perDeparture.interruptedViewers.run.buckets[1]",
            "above 0"
        ),
        (
            #""buckets":[[3,1]]"#, #""buckets":[[3,1],[2,1]]"#, "report.perDeparture.interruptedViewers.run.buckets[2]",
            "above the one before"
        ),
        (
            #""buckets":[[3,1]]"#, #""buckets":[[99999,1]]"#, "report.perDeparture.interruptedViewers.run.buckets",
            "too high"
        ),
        (#""model":"full""#, #""model":"fast""#, "report.run.model", "must be one of"),
        (#""fanout":3"#, #""fanout":99"#, "report.scenario.fanout", "must be an integer in"),
        (#""timeline":[[0,1,0]]"#, #""timeline":[[0,1]]"#, "report.timeline[1]", "[seconds, viewers, interrupted]"),
        (#""depthHistogram":[1]"#, #""depthHistogram":[-1]"#, "report.depthHistogram[1]", "must be an integer in 0..."),
        (#""protocolHealth":{"#, #""protocolHealth":{"extra":1,"#, "report.protocolHealth.extra", "unknown key"),
    ])
    func malformedRecordsNameTheField(original: String, replacement: String, field: String, problem: String) throws {
        let report = SimulationReport.sample(
            interruptedViewers: [3], timeline: [(time: 0, viewers: 1, interrupted: 0)], depthHistogram: [1])
        let text = JSONWriter.string(report.jsonRecord, style: .compact)
        #expect(text.contains(original), "the sample's record has \(original)")
        let broken = text.replacingOccurrences(of: original, with: replacement)
        #expect(throws: Scenario.JSONError.self) {
            try SimulationReport(jsonRecord: try JSONReader.read(Array(broken.utf8)), path: "report")
        }
        do {
            _ = try SimulationReport(jsonRecord: try JSONReader.read(Array(broken.utf8)), path: "report")
        } catch let error as Scenario.JSONError {
            #expect(error.field == field, "\(error)")
            #expect(error.problem.contains(problem), "\(error)")
        }
    }

    /// Every typed field equal; `timeline` holds tuples, so the report is not `Equatable`.
    static func same(_ a: SimulationReport, _ b: SimulationReport) -> Bool {
        a.scenario == b.scenario && a.replicates == b.replicates && a.sweepPosition == b.sweepPosition
            && a.perDeparture == b.perDeparture && a.perViewer == b.perViewer && a.tree == b.tree
            && a.protocolHealth == b.protocolHealth && a.run == b.run && a.timeline.elementsEqual(b.timeline, by: ==)
            && a.depthHistogram == b.depthHistogram
    }
}

/// Reports with every field drawn at random: each kind of measure and per-event figure,
/// figures present or not, numbers from the whole range of `Double` (NaN aside, as it equals
/// nothing; its own test covers it).
private struct ReportGenerator {
    var random: Xoshiro256StarStar
    let seed: UInt64

    init(seed: UInt64) {
        self.seed = seed
        random = Xoshiro256StarStar(seed: 0x2E_C0_2D + seed)
    }

    mutating func integer(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(random.next() % UInt64(range.count))
    }

    mutating func coin() -> Bool { random.next() & 1 == 1 }

    mutating func double() -> Double {
        switch integer(0...5) {
        case 0: return [0, -0.0, 1, 0.1, 1e15, 1e-6, .infinity, -.infinity, .leastNonzeroMagnitude][integer(0...8)]
        case 1: return Double(integer(-1_000_000...1_000_000))
        case 2: return random.nextUnitDouble() * 1_000
        default:
            let value = Double(bitPattern: random.next())
            return value.isNaN ? 1.5 : value
        }
    }

    mutating func measure() -> Measure {
        switch integer(0...2) {
        case 0: .count(Int(bitPattern: UInt(random.next())))
        case 1: .decimal(double(), places: integer(Measure.recordPlaces))
        default: .estimate(estimate(), places: integer(Measure.recordPlaces))
        }
    }

    mutating func estimate() -> Estimate {
        Estimate(mean: double(), halfWidth: double(), count: integer(1...1_000))
    }

    mutating func perEvent() -> PerEvent {
        guard coin() else {
            return .replicates(Distribution(mean: estimate(), p50: double(), p99: double(), max: double()))
        }
        var summary = QuantileSummary(resolution: [1, 0.001, 0.25][integer(0...2)])
        for _ in 0..<integer(0...40) {
            summary.record(coin() ? Double(integer(0...200)) : random.nextUnitDouble() * 1e9)
        }
        return .run(summary)
    }

    mutating func maybe<Value>(_ make: (inout Self) -> Value) -> Value? {
        coin() ? make(&self) : nil
    }

    mutating func report() -> SimulationReport {
        SimulationReport(
            scenario: randomScenario(seed: seed), replicates: integer(1...100),
            sweepPosition: maybe { .init(point: $0.integer(0...1_000), churn: $0.measure()) },
            perDeparture: .init(
                departures: measure(), interruptedViewers: perEvent(), reconnections: perEvent(),
                controlMessages: maybe { $0.perEvent() }, repairLatencySeconds: maybe { $0.perEvent() }),
            perViewer: .init(
                sessions: measure(), neverServed: maybe { $0.measure() }, interruptionsPerViewerHour: measure(),
                interruptedViewerSecondsPerViewerHour: maybe { $0.measure() },
                startupViewerSecondsPerViewerHour: maybe { $0.measure() }, continuityIndex: maybe { $0.measure() },
                sessionsWithoutInterruption: maybe { $0.measure() }, startupDelaySeconds: maybe { $0.perEvent() }),
            tree: .init(
                viewers: measure(), height: measure(), meanDepth: measure(), p99Depth: measure(), fanoutUse: measure(),
                broadcasterUploadStreams: measure()),
            protocolHealth: maybe {
                .init(
                    ghosts: $0.measure(), strandedViewers: $0.measure(), messages: $0.measure(),
                    connectionsOpened: $0.measure(), connectionsFailed: $0.measure(), replaceTracks: $0.measure(),
                    staleReportsIgnored: $0.measure(), restarts: $0.measure(), restartMessages: $0.measure(),
                    messagesPerRestart: $0.measure())
            },
            run: .init(
                model: coin() ? .full : .tree, events: measure(), simulatedSeconds: measure(), wallSeconds: measure(),
                eventsPerSecond: measure(), peakMemoryBytes: measure()),
            timeline: (0..<integer(0...12)).map { _ in (double(), integer(0...10_000), integer(0...10_000)) },
            depthHistogram: (0..<integer(0...10)).map { _ in integer(0...1_000_000) })
    }
}
