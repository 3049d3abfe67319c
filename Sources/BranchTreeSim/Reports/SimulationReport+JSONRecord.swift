import BranchTree

// The report stored whole, as a sweep's shard files hold their rows (SweepShardFile): every
// typed value as JSON that reads back equal, so that `merge` renders rows exactly as `sweep`
// does. Reading is as strict as a scenario file's: unknown, missing or mistyped keys are
// errors naming the field. Each section names its keys once, for writing and reading.

extension SimulationReport {
    /// The keys of a report record, in the order ``jsonRecord`` writes them.
    static let recordKeys = [
        "scenario", "replicates", "sweepPosition", "perDeparture", "perViewer", "tree", "protocolHealth", "run",
        "timeline", "depthHistogram",
    ]

    /// The report as JSON that ``init(jsonRecord:path:)`` reads back equal: the scenario as
    /// its file writes it, every count, decimal and estimate with its places, every one-run
    /// per-event figure with every bucket of values it counted (so that replicates can still
    /// be pooled), the time series as `[seconds, viewers, interrupted]` triples.
    ///
    ///     {"scenario": {…}, "replicates": 1, "sweepPosition": null,
    ///      "perDeparture": {"departures": {"count": 12}, "interruptedViewers": {"run": {"resolution": 1, …}}, …},
    ///      "tree": {"meanDepth": {"decimal": 4.2817, "places": 3}, …}, "protocolHealth": null, …}
    ///
    /// Figures a model does not report are `null`. Decimals are written in their shortest
    /// round-trip form; NaN and the infinities, which JSON has no number for, as the strings
    /// `"NaN"`, `"Infinity"` and `"-Infinity"`.
    ///
    /// - Complexity: O(figures × buckets + timeline + size of the scenario)
    package var jsonRecord: JSONValue {
        .record(
            Self.recordKeys,
            [
                scenario.json, .int(replicates), sweepPosition?.jsonRecord ?? .null, perDeparture.jsonRecord,
                perViewer.jsonRecord, tree.jsonRecord, protocolHealth?.jsonRecord ?? .null, run.jsonRecord,
                .array(timeline.map { .array([.double($0.time), .int($0.viewers), .int($0.interrupted)]) }),
                .array(depthHistogram.map(JSONValue.int)),
            ])
    }

    /// Reads a report that ``jsonRecord`` wrote.
    ///
    /// - Parameter path: Where the record sits in its document (e.g. `rows[3]`), the start
    ///   of every field an error names.
    /// - Throws: ``Scenario/JSONError`` naming the first field that is missing, unknown or
    ///   not what it must be (e.g. `rows[3].perViewer.sessions.count`).
    /// - Complexity: O(size of the record)
    package init(jsonRecord value: JSONValue, path: String) throws(Scenario.JSONError) {
        let fields = try Scenario.JSONFields(value, path: path, keys: Self.recordKeys)
        let scenarioPath = fields.field("scenario")
        let scenario: Scenario
        do {
            scenario = try Scenario(json: try fields.required("scenario"))
        } catch {
            throw Scenario.JSONError(
                field: error.field.isEmpty ? scenarioPath : Scenario.JSONFields.join(scenarioPath, error.field),
                problem: error.problem)
        }
        self.init(
            scenario: scenario, replicates: try fields.requiredInteger("replicates", in: 1...Int.max),
            sweepPosition: try fields.optional("sweepPosition", SweepPosition.init(jsonRecord:path:)),
            perDeparture: try fields.section("perDeparture", PerDeparture.init(jsonRecord:path:)),
            perViewer: try fields.section("perViewer", PerViewer.init(jsonRecord:path:)),
            tree: try fields.section("tree", Tree.init(jsonRecord:path:)),
            protocolHealth: try fields.optional("protocolHealth", ProtocolHealth.init(jsonRecord:path:)),
            run: try fields.section("run", Run.init(jsonRecord:path:)), timeline: try Self.timeline(fields),
            depthHistogram: try fields.requiredArray("depthHistogram").map { element throws(Scenario.JSONError) in
                try Scenario.JSONFields.integer(element.value, field: element.field, in: 0...Int.max)
            })
    }

    private static func timeline(_ fields: Scenario.JSONFields) throws(Scenario.JSONError)
        -> [(time: Double, viewers: Int, interrupted: Int)]
    {
        try fields.requiredArray("timeline").map { point throws(Scenario.JSONError) in
            guard case .array(let values) = point.value, values.count == 3 else {
                throw Scenario.JSONError(
                    field: point.field,
                    problem: "must be [seconds, viewers, interrupted], got \(point.value.kindDescription)")
            }
            return (
                try Scenario.JSONFields.double(values[0], field: point.field + "[1]"),
                try Scenario.JSONFields.integer(values[1], field: point.field + "[2]", in: 0...Int.max),
                try Scenario.JSONFields.integer(values[2], field: point.field + "[3]", in: 0...Int.max)
            )
        }
    }
}

extension SimulationReport.SweepPosition {
    static let recordKeys = ["point", "churn"]

    var jsonRecord: JSONValue { .record(Self.recordKeys, [.int(point), churn.jsonRecord]) }

    init(jsonRecord value: JSONValue, path: String) throws(Scenario.JSONError) {
        let fields = try Scenario.JSONFields(value, path: path, keys: Self.recordKeys)
        self.init(point: try fields.requiredInteger("point", in: 0...Int.max), churn: try fields.measure("churn"))
    }
}

extension SimulationReport.PerDeparture {
    static let recordKeys = [
        "departures", "interruptedViewers", "reconnections", "controlMessages", "repairLatencySeconds",
    ]

    var jsonRecord: JSONValue {
        .record(
            Self.recordKeys,
            [
                departures.jsonRecord, interruptedViewers.jsonRecord, reconnections.jsonRecord,
                controlMessages.jsonRecord, repairLatencySeconds.jsonRecord,
            ])
    }

    init(jsonRecord value: JSONValue, path: String) throws(Scenario.JSONError) {
        let fields = try Scenario.JSONFields(value, path: path, keys: Self.recordKeys)
        self.init(
            departures: try fields.measure("departures"), interruptedViewers: try fields.perEvent("interruptedViewers"),
            reconnections: try fields.perEvent("reconnections"),
            controlMessages: try fields.optional("controlMessages", PerEvent.init(jsonRecord:path:)),
            repairLatencySeconds: try fields.optional("repairLatencySeconds", PerEvent.init(jsonRecord:path:)))
    }
}

extension SimulationReport.PerViewer {
    static let recordKeys = [
        "sessions", "neverServed", "interruptionsPerViewerHour", "interruptedViewerSecondsPerViewerHour",
        "startupViewerSecondsPerViewerHour", "continuityIndex", "sessionsWithoutInterruption", "startupDelaySeconds",
    ]

    var jsonRecord: JSONValue {
        .record(
            Self.recordKeys,
            [
                sessions.jsonRecord, neverServed.jsonRecord, interruptionsPerViewerHour.jsonRecord,
                interruptedViewerSecondsPerViewerHour.jsonRecord, startupViewerSecondsPerViewerHour.jsonRecord,
                continuityIndex.jsonRecord, sessionsWithoutInterruption.jsonRecord, startupDelaySeconds.jsonRecord,
            ])
    }

    init(jsonRecord value: JSONValue, path: String) throws(Scenario.JSONError) {
        let fields = try Scenario.JSONFields(value, path: path, keys: Self.recordKeys)
        let measure = Measure.init(jsonRecord:path:)
        self.init(
            sessions: try fields.measure("sessions"), neverServed: try fields.optional("neverServed", measure),
            interruptionsPerViewerHour: try fields.measure("interruptionsPerViewerHour"),
            interruptedViewerSecondsPerViewerHour: try fields.optional(
                "interruptedViewerSecondsPerViewerHour", measure),
            startupViewerSecondsPerViewerHour: try fields.optional("startupViewerSecondsPerViewerHour", measure),
            continuityIndex: try fields.optional("continuityIndex", measure),
            sessionsWithoutInterruption: try fields.optional("sessionsWithoutInterruption", measure),
            startupDelaySeconds: try fields.optional("startupDelaySeconds", PerEvent.init(jsonRecord:path:)))
    }
}

extension SimulationReport.Tree {
    static let recordKeys = ["viewers", "height", "meanDepth", "p99Depth", "fanoutUse", "broadcasterUploadStreams"]

    var jsonRecord: JSONValue {
        .record(
            Self.recordKeys,
            [viewers, height, meanDepth, p99Depth, fanoutUse, broadcasterUploadStreams].map(\.jsonRecord))
    }

    init(jsonRecord value: JSONValue, path: String) throws(Scenario.JSONError) {
        let fields = try Scenario.JSONFields(value, path: path, keys: Self.recordKeys)
        self.init(
            viewers: try fields.measure("viewers"), height: try fields.measure("height"),
            meanDepth: try fields.measure("meanDepth"), p99Depth: try fields.measure("p99Depth"),
            fanoutUse: try fields.measure("fanoutUse"),
            broadcasterUploadStreams: try fields.measure("broadcasterUploadStreams"))
    }
}

extension SimulationReport.ProtocolHealth {
    static let recordKeys = [
        "ghosts", "strandedViewers", "messages", "connectionsOpened", "connectionsFailed", "replaceTracks",
        "staleReportsIgnored", "restarts", "restartMessages", "messagesPerRestart",
    ]

    var jsonRecord: JSONValue {
        .record(
            Self.recordKeys,
            [
                ghosts, strandedViewers, messages, connectionsOpened, connectionsFailed, replaceTracks,
                staleReportsIgnored, restarts, restartMessages, messagesPerRestart,
            ].map(\.jsonRecord))
    }

    init(jsonRecord value: JSONValue, path: String) throws(Scenario.JSONError) {
        let fields = try Scenario.JSONFields(value, path: path, keys: Self.recordKeys)
        self.init(
            ghosts: try fields.measure("ghosts"), strandedViewers: try fields.measure("strandedViewers"),
            messages: try fields.measure("messages"), connectionsOpened: try fields.measure("connectionsOpened"),
            connectionsFailed: try fields.measure("connectionsFailed"),
            replaceTracks: try fields.measure("replaceTracks"),
            staleReportsIgnored: try fields.measure("staleReportsIgnored"), restarts: try fields.measure("restarts"),
            restartMessages: try fields.measure("restartMessages"),
            messagesPerRestart: try fields.measure("messagesPerRestart"))
    }
}

extension SimulationReport.Run {
    static let recordKeys = [
        "model", "events", "simulatedSeconds", "wallSeconds", "eventsPerSecond", "peakMemoryBytes",
    ]

    var jsonRecord: JSONValue {
        .record(
            Self.recordKeys,
            [.string(model.rawValue)]
                + [events, simulatedSeconds, wallSeconds, eventsPerSecond, peakMemoryBytes].map(\.jsonRecord))
    }

    init(jsonRecord value: JSONValue, path: String) throws(Scenario.JSONError) {
        let fields = try Scenario.JSONFields(value, path: path, keys: Self.recordKeys)
        guard let model = try fields.choice("model", SimulationModel.self) else {
            throw Scenario.JSONError(field: fields.field("model"), problem: "is missing")
        }
        self.init(
            model: model, events: try fields.measure("events"),
            simulatedSeconds: try fields.measure("simulatedSeconds"), wallSeconds: try fields.measure("wallSeconds"),
            eventsPerSecond: try fields.measure("eventsPerSecond"),
            peakMemoryBytes: try fields.measure("peakMemoryBytes"))
    }
}

extension JSONValue {
    /// An object of `keys` and `values`, paired in order.
    fileprivate static func record(_ keys: [String], _ values: [JSONValue]) -> JSONValue {
        precondition(keys.count == values.count, "a value per key")
        return .object(zip(keys, values).map { Member($0, $1) })
    }
}

extension Optional where Wrapped == Measure {
    fileprivate var jsonRecord: JSONValue { map(\.jsonRecord) ?? .null }
}

extension Optional where Wrapped == PerEvent {
    fileprivate var jsonRecord: JSONValue { map(\.jsonRecord) ?? .null }
}

extension Scenario.JSONFields {
    fileprivate func section<Section>(
        _ key: String, _ read: (JSONValue, String) throws(Scenario.JSONError) -> Section
    ) throws(Scenario.JSONError) -> Section {
        try read(try required(key), field(key))
    }

    fileprivate func measure(_ key: String) throws(Scenario.JSONError) -> Measure {
        try section(key, Measure.init(jsonRecord:path:))
    }

    fileprivate func perEvent(_ key: String) throws(Scenario.JSONError) -> PerEvent {
        try section(key, PerEvent.init(jsonRecord:path:))
    }
}
