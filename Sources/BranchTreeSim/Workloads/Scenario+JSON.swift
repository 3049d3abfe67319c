import BranchTree

/// A scenario as a JSON object, so that runs can be saved and shared: one key per
/// property, named as in Swift; absent keys keep the defaults of ``Scenario/init()``.
///
///     {
///       "seed": 7, "duration": 1800, "audience": 5000, "fanout": 4,
///       "sessions": {"exponential": {"mean": 300}},
///       "uplinks": [{"name": "fibre", "share": 0.7}, {"name": "mobile", "share": 0.3, "relayable": false}],
///       "signallingLatency": [0.05, 0.1],
///       "timings": {"repairTimeout": 30}
///     }
///
/// Times are seconds; ranges are `[low, high]`; ``Scenario/arrivalRate`` and
/// ``Scenario/flashCrowd`` are `null` when unset. Reading is strict — unknown or repeated
/// keys, wrong kinds and out-of-range values are errors naming the field — and
/// ``json`` writes every key, so that a written scenario reads back equal.
extension Scenario {
    /// The keys of a scenario object, in the order ``json`` writes them.
    package static let jsonKeys = [
        "seed", "duration", "audience", "arrivalRate", "rateChanges", "heavyTailedArrivals", "flashCrowd",
        "sessions", "uplinks", "fanout", "broadcasterFanout", "policy", "warmStart", "abruptShare", "departureReports",
        "detectionDelay", "signallingLatency", "connectionSetup", "connectionFailureRate", "restarts",
        "restartDowntime", "restartStrategy", "persistInterval", "timings",
    ]
    static let timingKeys = ["joinRetry", "connectTimeout", "repairTimeout", "restoreWindow"]

    /// Parses and reads a scenario file's bytes.
    ///
    /// - Throws: ``JSONError``: for text that is not JSON, the problem with its line and
    ///   column; otherwise as ``init(json:)``.
    /// - Complexity: O(size of the file)
    package init(jsonBytes bytes: [UInt8]) throws(JSONError) {
        try self.init(json: try Self.parse(bytes))
    }

    /// Parses a file's bytes as JSON.
    ///
    /// - Throws: ``JSONError``: for text that is not JSON, the problem with its line and
    ///   column; for a key twice in one object, the object's path.
    /// - Complexity: O(size of the file)
    package static func parse(_ bytes: [UInt8]) throws(JSONError) -> JSONValue {
        do {
            return try JSONReader.read(bytes)
        } catch {
            if let key = error.repeatedKey {
                // Array positions count from 1 in this file's paths, as in every other message.
                let path = error.codingPath.reduce("") { path, step in
                    step.intValue.map { "\(path)[\($0 + 1)]" } ?? JSONFields.join(path, step.stringValue)
                }
                throw JSONError(field: JSONFields.join(path, key), problem: "appears more than once")
            }
            throw JSONError(field: "", problem: "not JSON: \(error.reason) at \(located(error.byte ?? 1, in: bytes))")
        }
    }

    /// Reads a scenario object, starting from the defaults.
    ///
    /// - Throws: ``JSONError`` naming the first field (in document order for unknown
    ///   keys, then in the order of ``jsonKeys``) that is wrong.
    /// - Complexity: O(size of the value)
    package init(json value: JSONValue) throws(JSONError) {
        let limits = Limits.self
        let fields = try JSONFields(value, path: "", keys: Self.jsonKeys)
        self.init()
        if let seed = try fields.unsignedInteger("seed") { self.seed = seed }
        if let duration = try fields.number("duration", in: limits.duration) { self.duration = duration }
        if let audience = try fields.integer("audience", in: limits.audience) { self.audience = audience }
        if let arrivalRate = fields.value("arrivalRate") {
            self.arrivalRate =
                arrivalRate == .null
                ? nil : try JSONFields.number(arrivalRate, field: "arrivalRate", in: limits.arrivalRate)
        }
        if let changes = try fields.array("rateChanges") { rateChanges = try Self.rateChanges(changes) }
        if let heavyTailed = try fields.bool("heavyTailedArrivals") { heavyTailedArrivals = heavyTailed }
        if let flashCrowd = fields.value("flashCrowd") {
            self.flashCrowd = flashCrowd == .null ? nil : try Self.flashCrowd(flashCrowd)
        }
        if let sessions = fields.value("sessions") { self.sessions = try Self.sessions(sessions) }
        if let uplinks = try fields.array("uplinks") { self.uplinks = try Self.uplinks(uplinks) }
        if let fanout = try fields.integer("fanout", in: limits.fanout) { self.fanout = fanout }
        if let fanout = try fields.integer("broadcasterFanout", in: limits.fanout) { broadcasterFanout = fanout }
        if let policy = try fields.choice("policy", Policy.self) { self.policy = policy }
        if let warmStart = try fields.bool("warmStart") { self.warmStart = warmStart }
        if let share = try fields.number("abruptShare", in: limits.abruptShare) { abruptShare = share }
        if let reports = try fields.choice("departureReports", DepartureReports.self) { departureReports = reports }
        if let range = try Self.secondsRange(fields, "detectionDelay") { detectionDelay = range }
        if let range = try Self.secondsRange(fields, "signallingLatency") { signallingLatency = range }
        if let range = try Self.secondsRange(fields, "connectionSetup") { connectionSetup = range }
        if let rate = try fields.number("connectionFailureRate", in: limits.connectionFailureRate) {
            connectionFailureRate = rate
        }
        if let times = try fields.array("restarts") {
            restarts = try times.map { time throws(JSONError) in
                let seconds = try JSONFields.number(time.value, field: time.field, in: limits.restartTime)
                guard seconds < duration else {
                    throw JSONError(
                        field: time.field,
                        problem:
                            "must be before the end of the duration (\(NumberFormat.shortest(duration))), got \(NumberFormat.shortest(seconds))"
                    )
                }
                return seconds
            }
        }
        if let downtime = try fields.number("restartDowntime", in: limits.waitSeconds) { restartDowntime = downtime }
        if let strategy = try fields.choice("restartStrategy", RestartStrategy.self) { restartStrategy = strategy }
        if let interval = try fields.number("persistInterval", in: limits.waitSeconds) { persistInterval = interval }
        if let timings = fields.value("timings") { self.timings = try Self.timings(timings) }
        do {
            try validate()
        } catch {
            // The fields are checked one by one above; what is left involves several.
            throw JSONError(field: "", problem: error.description)
        }
    }

    /// The scenario as a JSON object with every key of ``jsonKeys``, in that order.
    ///
    /// - Complexity: O(number of rate changes, uplink classes and restarts)
    package var json: JSONValue {
        .object([
            .init("seed", .number(String(seed))),
            .init("duration", Self.number(duration)),
            .init("audience", .int(audience)),
            .init("arrivalRate", arrivalRate.map(Self.number) ?? .null),
            .init(
                "rateChanges",
                .array(
                    rateChanges.map { .object([.init("at", Self.number($0.at)), .init("rate", Self.number($0.rate))]) })
            ),
            .init("heavyTailedArrivals", .bool(heavyTailedArrivals)),
            .init(
                "flashCrowd",
                flashCrowd.map {
                    .object([
                        .init("multiplier", Self.number($0.multiplier)),
                        .init("duration", .number(NumberFormat.seconds($0.duration))),
                    ])
                } ?? .null),
            .init("sessions", Self.json(sessions)),
            .init("uplinks", .array(uplinks.classes.map(Self.json))),
            .init("fanout", .int(fanout)),
            .init("broadcasterFanout", .int(broadcasterFanout)),
            .init("policy", .string(policy.rawValue)),
            .init("warmStart", .bool(warmStart)),
            .init("abruptShare", Self.number(abruptShare)),
            .init("departureReports", .string(departureReports.rawValue)),
            .init("detectionDelay", Self.json(detectionDelay)),
            .init("signallingLatency", Self.json(signallingLatency)),
            .init("connectionSetup", Self.json(connectionSetup)),
            .init("connectionFailureRate", Self.number(connectionFailureRate)),
            .init("restarts", .array(restarts.map(Self.number))),
            .init("restartDowntime", Self.number(restartDowntime)),
            .init("restartStrategy", .string(restartStrategy.rawValue)),
            .init("persistInterval", Self.number(persistInterval)),
            .init(
                "timings",
                .object([
                    .init("joinRetry", .number(NumberFormat.seconds(timings.joinRetry))),
                    .init("connectTimeout", .number(NumberFormat.seconds(timings.connectTimeout))),
                    .init("repairTimeout", .number(NumberFormat.seconds(timings.repairTimeout))),
                    .init("restoreWindow", .number(NumberFormat.seconds(timings.restoreWindow))),
                ])),
        ])
    }

    // MARK: Reading

    private static func rateChanges(_ elements: [(value: JSONValue, field: String)]) throws(JSONError)
        -> [RateChange]
    {
        var changes: [RateChange] = []
        for element in elements {
            let fields = try JSONFields(element.value, path: element.field, keys: ["at", "rate"])
            guard let at = try fields.number("at", in: Limits.rateChangeTime) else {
                throw JSONError(field: fields.field("at"), problem: "is missing")
            }
            guard let rate = try fields.number("rate", in: Limits.rateChangeRate) else {
                throw JSONError(field: fields.field("rate"), problem: "is missing")
            }
            if changes.contains(where: { $0.at == at }) {
                throw JSONError(
                    field: fields.field("at"), problem: "repeats an earlier change's time, \(NumberFormat.shortest(at))"
                )
            }
            changes.append(RateChange(at: at, rate: rate))
        }
        return changes
    }

    private static func flashCrowd(_ value: JSONValue) throws(JSONError) -> ArrivalProcess.FlashCrowd {
        let fields = try JSONFields(value, path: "flashCrowd", keys: ["multiplier", "duration"])
        guard let multiplier = try fields.number("multiplier", in: Limits.flashCrowdMultiplier) else {
            throw JSONError(field: fields.field("multiplier"), problem: "is missing")
        }
        guard let seconds = try fields.number("duration", in: Limits.flashCrowdDuration) else {
            throw JSONError(field: fields.field("duration"), problem: "is missing")
        }
        return ArrivalProcess.FlashCrowd(multiplier: multiplier, duration: duration(seconds: seconds))
    }

    /// `{"lognormal": {"mu": …, "sigma": …}}`, `{"exponential": {"mean": …}}` or
    /// `{"pareto": {"shape": …, "scale": …}}`: the form `Codable` gives the enum.
    private static func sessions(_ value: JSONValue) throws(JSONError) -> SessionLengthDistribution {
        let kinds = ["lognormal", "exponential", "pareto"]
        let outer = try JSONFields(value, path: "sessions", keys: kinds)
        guard case .object(let members) = value, members.count == 1, let kind = members.first?.key else {
            throw JSONError(
                field: "sessions",
                problem: "must have exactly one of the keys \"lognormal\", \"exponential\", \"pareto\"")
        }
        let path = outer.field(kind)
        let limits = Limits.self
        switch kind {
        case "lognormal":
            let fields = try JSONFields(members[0].value, path: path, keys: ["mu", "sigma"])
            return .lognormal(
                mu: try required(fields, "mu", in: limits.lognormalMu),
                sigma: try required(fields, "sigma", in: limits.lognormalSigma))
        case "exponential":
            let fields = try JSONFields(members[0].value, path: path, keys: ["mean"])
            return .exponential(mean: try required(fields, "mean", in: limits.sessionSeconds))
        default:
            let fields = try JSONFields(members[0].value, path: path, keys: ["shape", "scale"])
            return .pareto(
                shape: try required(fields, "shape", in: limits.paretoShape),
                scale: try required(fields, "scale", in: limits.sessionSeconds))
        }
    }

    private static func uplinks(_ elements: [(value: JSONValue, field: String)]) throws(JSONError) -> UplinkClasses {
        var classes: [UplinkClass] = []
        for element in elements {
            let fields = try JSONFields(
                element.value, path: element.field, keys: ["name", "share", "relayable", "capacity"])
            guard let name = try fields.string("name") else {
                throw JSONError(field: fields.field("name"), problem: "is missing")
            }
            classes.append(
                UplinkClass(
                    name: name, share: try required(fields, "share", in: Limits.uplinkShare),
                    relayable: try fields.bool("relayable") ?? true,
                    capacity: try fields.integer("capacity", in: Limits.uplinkCapacity)))
        }
        do {
            return try UplinkClasses(classes)
        } catch {
            throw JSONError(field: "uplinks", problem: error.description)
        }
    }

    /// `[low, high]` seconds with low ≤ high, or nil when absent.
    private static func secondsRange(_ fields: JSONFields, _ key: String) throws(JSONError) -> ClosedRange<Double>? {
        guard let elements = try fields.array(key) else { return nil }
        let problem =
            "must be [low, high]: two numbers of seconds in \(Limits.delaySeconds.limitDescription), low first"
        guard elements.count == 2 else {
            throw JSONError(field: fields.field(key), problem: "\(problem), got \(elements.count) elements")
        }
        let low = try JSONFields.number(elements[0].value, field: elements[0].field, in: Limits.delaySeconds)
        let high = try JSONFields.number(elements[1].value, field: elements[1].field, in: Limits.delaySeconds)
        guard low <= high else {
            throw JSONError(
                field: fields.field(key),
                problem: "\(problem), got [\(NumberFormat.shortest(low)), \(NumberFormat.shortest(high))]")
        }
        return low...high
    }

    private static func timings(_ value: JSONValue) throws(JSONError) -> ProtocolTimings {
        let fields = try JSONFields(value, path: "timings", keys: timingKeys)
        var timings = ProtocolTimings()
        let wait = Limits.waitSeconds
        if let seconds = try fields.number("joinRetry", in: wait) { timings.joinRetry = duration(seconds: seconds) }
        if let seconds = try fields.number("connectTimeout", in: wait) {
            timings.connectTimeout = duration(seconds: seconds)
        }
        if let seconds = try fields.number("repairTimeout", in: wait) {
            timings.repairTimeout = duration(seconds: seconds)
        }
        if let seconds = try fields.number("restoreWindow", in: wait) {
            timings.restoreWindow = duration(seconds: seconds)
        }
        return timings
    }

    private static func required(_ fields: JSONFields, _ key: String, in range: ClosedRange<Double>) throws(JSONError)
        -> Double
    {
        guard let number = try fields.number(key, in: range) else {
            throw JSONError(field: fields.field(key), problem: "is missing")
        }
        return number
    }

    /// `line L, column C` of the 1-based `byte` in `bytes`.
    private static func located(_ byte: Int, in bytes: [UInt8]) -> String {
        let offset = min(max(byte - 1, 0), bytes.count)
        let before = bytes[..<offset]
        let line = before.count { $0 == UInt8(ascii: "\n") } + 1
        let lineStart = before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
        return "line \(line), column \(offset - lineStart + 1)"
    }

    // MARK: Writing

    private static func number(_ value: Double) -> JSONValue {
        .number(NumberFormat.shortest(value))
    }

    private static func json(_ range: ClosedRange<Double>) -> JSONValue {
        .array([number(range.lowerBound), number(range.upperBound)])
    }

    private static func json(_ sessions: SessionLengthDistribution) -> JSONValue {
        switch sessions {
        case .lognormal(let mu, let sigma):
            .object([.init("lognormal", .object([.init("mu", number(mu)), .init("sigma", number(sigma))]))])
        case .exponential(let mean):
            .object([.init("exponential", .object([.init("mean", number(mean))]))])
        case .pareto(let shape, let scale):
            .object([.init("pareto", .object([.init("shape", number(shape)), .init("scale", number(scale))]))])
        }
    }

    private static func json(_ uplink: UplinkClass) -> JSONValue {
        var members: [JSONValue.Member] = [.init("name", .string(uplink.name)), .init("share", number(uplink.share))]
        if !uplink.relayable { members.append(.init("relayable", .bool(false))) }
        if let capacity = uplink.capacity { members.append(.init("capacity", .int(capacity))) }
        return .object(members)
    }
}
