import BranchTree

extension Measure {
    /// The decimal places a stored measure may ask for: more than a `Double` has digits
    /// would print nothing new.
    static let recordPlaces = 0...17

    /// The measure as JSON that ``init(jsonRecord:path:)`` reads back equal: `{"count": 12}`,
    /// `{"decimal": 4.2817, "places": 3}` or
    /// `{"estimate": {"mean": 40, "halfWidth": 1.29, "count": 5}, "places": 2}`.
    ///
    /// - Complexity: O(1)
    package var jsonRecord: JSONValue {
        switch self {
        case .count(let count): .object([.init("count", .int(count))])
        case .decimal(let value, let places):
            .object([.init("decimal", .double(value)), .init("places", .int(places))])
        case .estimate(let estimate, let places):
            .object([.init("estimate", estimate.jsonRecord), .init("places", .int(places))])
        }
    }

    /// Reads a measure that ``jsonRecord`` wrote.
    ///
    /// - Throws: ``Scenario/JSONError`` naming the field under `path` at fault.
    /// - Complexity: O(1)
    package init(jsonRecord value: JSONValue, path: String) throws(Scenario.JSONError) {
        let fields = try Scenario.JSONFields(value, path: path, keys: ["count", "decimal", "estimate", "places"])
        if fields.value("count") != nil {
            let count = try Scenario.JSONFields(value, path: path, keys: ["count"])
            self = .count(try count.requiredInteger("count", in: Int.min...Int.max))
        } else if fields.value("decimal") != nil {
            let decimal = try Scenario.JSONFields(value, path: path, keys: ["decimal", "places"])
            self = .decimal(
                try decimal.requiredDouble("decimal"),
                places: try decimal.requiredInteger("places", in: Self.recordPlaces))
        } else if let estimate = fields.value("estimate") {
            self = .estimate(
                try Estimate(jsonRecord: estimate, path: fields.field("estimate")),
                places: try fields.requiredInteger("places", in: Self.recordPlaces))
        } else {
            throw Scenario.JSONError(
                field: path, problem: "must hold one of the keys \"count\", \"decimal\" and \"estimate\"")
        }
    }
}

extension Estimate {
    /// `{"mean": 40, "halfWidth": 1.29, "count": 5}`.
    var jsonRecord: JSONValue {
        .object([.init("mean", .double(mean)), .init("halfWidth", .double(halfWidth)), .init("count", .int(count))])
    }

    init(jsonRecord value: JSONValue, path: String) throws(Scenario.JSONError) {
        let fields = try Scenario.JSONFields(value, path: path, keys: ["mean", "halfWidth", "count"])
        self.init(
            mean: try fields.requiredDouble("mean"), halfWidth: try fields.requiredDouble("halfWidth"),
            count: try fields.requiredInteger("count", in: 1...Int.max))
    }
}
