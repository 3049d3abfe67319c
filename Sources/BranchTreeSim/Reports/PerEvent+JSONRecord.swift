import BranchTree

extension PerEvent {
    /// The figure as JSON that ``init(jsonRecord:path:)`` reads back equal: one run's as
    /// `{"run": {"resolution": 1, "sum": 41, "max": 9, "buckets": [[0, 3], [2, 1], [9, 4]]}}`
    /// — every bucket that holds values, as `[bucket, values]`, so the summary pools again
    /// exactly — and over replicates as
    /// `{"replicates": {"mean": {"mean": …, "halfWidth": …, "count": 5}, "p50": …, "p99": …, "max": …}}`.
    ///
    /// - Complexity: O(buckets)
    package var jsonRecord: JSONValue {
        switch self {
        case .run(let summary): .object([.init("run", summary.jsonRecord)])
        case .replicates(let distribution): .object([.init("replicates", distribution.jsonRecord)])
        }
    }

    /// Reads a figure that ``jsonRecord`` wrote.
    ///
    /// - Throws: ``Scenario/JSONError`` naming the field under `path` at fault.
    /// - Complexity: O(highest bucket)
    package init(jsonRecord value: JSONValue, path: String) throws(Scenario.JSONError) {
        let fields = try Scenario.JSONFields(value, path: path, keys: ["run", "replicates"])
        guard case .object(let members) = value, members.count == 1 else {
            throw Scenario.JSONError(
                field: path, problem: "must hold exactly one of the keys \"run\" and \"replicates\"")
        }
        self =
            if let run = fields.value("run") {
                .run(try QuantileSummary(jsonRecord: run, path: fields.field("run")))
            } else {
                .replicates(try Distribution(jsonRecord: members[0].value, path: fields.field("replicates")))
            }
    }
}

extension Distribution {
    var jsonRecord: JSONValue {
        .object([
            .init("mean", mean.jsonRecord), .init("p50", .double(p50)), .init("p99", .double(p99)),
            .init("max", .double(max)),
        ])
    }

    init(jsonRecord value: JSONValue, path: String) throws(Scenario.JSONError) {
        let fields = try Scenario.JSONFields(value, path: path, keys: ["mean", "p50", "p99", "max"])
        self.init(
            mean: try Estimate(jsonRecord: try fields.required("mean"), path: fields.field("mean")),
            p50: try fields.requiredDouble("p50"), p99: try fields.requiredDouble("p99"),
            max: try fields.requiredDouble("max"))
    }
}

extension QuantileSummary {
    var jsonRecord: JSONValue {
        .object([
            .init("resolution", .double(resolution)), .init("sum", .double(sum)), .init("max", .double(max)),
            .init("buckets", .array(occupiedBuckets.map { .array([.int($0.bucket), .number(String($0.count))]) })),
        ])
    }

    init(jsonRecord value: JSONValue, path: String) throws(Scenario.JSONError) {
        let fields = try Scenario.JSONFields(value, path: path, keys: ["resolution", "sum", "max", "buckets"])
        let positive = Double.leastNonzeroMagnitude...Double.greatestFiniteMagnitude
        let resolution = try fields.requiredNumber("resolution", in: positive)
        let sum = try fields.requiredNumber("sum", in: 0...Double.greatestFiniteMagnitude)
        let max = try fields.requiredNumber("max", in: 0...Double.greatestFiniteMagnitude)
        let problem = "must be [bucket, values]: a bucket above the one before, values an integer above 0"
        var buckets: [(bucket: Int, count: UInt64)] = []
        for element in try fields.requiredArray("buckets") {
            guard case .array(let pair) = element.value, pair.count == 2, case .number(let bucketText) = pair[0],
                case .number(let countText) = pair[1], let bucket = Int(bucketText),
                bucket > (buckets.last?.bucket ?? -1), !countText.hasPrefix("-"), let count = UInt64(countText),
                count > 0
            else { throw Scenario.JSONError(field: element.field, problem: problem) }
            buckets.append((bucket, count))
        }
        guard let summary = QuantileSummary(resolution: resolution, sum: sum, max: max, occupiedBuckets: buckets) else {
            throw Scenario.JSONError(
                field: fields.field("buckets"), problem: "are not a summary's: a bucket too high or too many values")
        }
        self = summary
    }
}
