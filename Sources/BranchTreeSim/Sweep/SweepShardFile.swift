import BranchTree

/// What `sweep --shard I/N` writes and `merge` reads: one shard's rows as typed reports
/// (``SimulationReport/jsonRecord``), with the sweep they belong to.
///
///     {"sweepShard": {"shard": 2, "of": 4, "points": 12, "toolVersion": "0.1.0", "reproducible": true},
///      "rows": [{"scenario": {…}, "replicates": 5, "sweepPosition": {"point": 1, …}, …}, …]}
///
/// Each row is the labelled report of one point, whole, so ``merged(_:)`` renders the
/// shards of one sweep through the same formats as the unsharded sweep: the same bytes.
package struct SweepShardFile: Sendable {
    package var shard: SweepShard
    /// The points of the whole sweep.
    package var points: Int
    package var toolVersion: String
    /// Whether the rows are printed without the machine-dependent figures (a sweep
    /// without `--timing`).
    package var reproducible: Bool
    /// The shard's rows, each labelled with its point (``SimulationReport/sweepPosition``).
    package var rows: [SimulationReport]

    /// - Precondition: every row has its sweep position.
    package init(shard: SweepShard, points: Int, toolVersion: String, reproducible: Bool, rows: [SimulationReport]) {
        precondition(rows.allSatisfy { $0.sweepPosition != nil }, "sweep rows are labelled with their point")
        self.shard = shard
        self.points = points
        self.toolVersion = toolVersion
        self.reproducible = reproducible
        self.rows = rows
    }

    /// Why shard files cannot be merged.
    package struct Problem: Error, Hashable, Sendable, CustomStringConvertible {
        package var description: String
    }

    // MARK: Writing

    /// The file's JSON.
    /// - Complexity: O(size of the rows)
    package var json: JSONValue {
        .object([
            .init(
                "sweepShard",
                .object([
                    .init("shard", .int(shard.index)), .init("of", .int(shard.count)), .init("points", .int(points)),
                    .init("toolVersion", .string(toolVersion)), .init("reproducible", .bool(reproducible)),
                ])),
            .init("rows", .array(rows.map(\.jsonRecord))),
        ])
    }

    // MARK: Reading

    /// Reads a shard file's JSON.
    ///
    /// - Throws: ``Scenario/JSONError`` naming the field that is missing, unknown or not
    ///   what it must be, e.g. `rows[3].perViewer.sessions.count`.
    /// - Complexity: O(size of the value)
    package init(json value: JSONValue) throws(Scenario.JSONError) {
        guard case .object = value else {
            throw Scenario.JSONError(
                field: "", problem: "a sweep shard file is a JSON object, got \(value.kindDescription)")
        }
        let top = try Scenario.JSONFields(value, path: "", keys: ["sweepShard", "rows"])
        guard let headerValue = top.value("sweepShard") else {
            throw Scenario.JSONError(field: "sweepShard", problem: "is missing: not a sweep shard file")
        }
        let header = try Scenario.JSONFields(
            headerValue, path: "sweepShard", keys: ["shard", "of", "points", "toolVersion", "reproducible"])
        let count = try header.requiredInteger("of", in: 1...Int.max)
        let index = try header.requiredInteger("shard", in: 1...count)
        let points = try header.requiredInteger("points", in: 0...Int.max)
        guard let toolVersion = try header.string("toolVersion") else {
            throw Scenario.JSONError(field: header.field("toolVersion"), problem: "is missing")
        }
        guard let reproducible = try header.bool("reproducible") else {
            throw Scenario.JSONError(field: header.field("reproducible"), problem: "is missing")
        }
        var rows: [SimulationReport] = []
        for row in try top.requiredArray("rows") {
            let report = try SimulationReport(jsonRecord: row.value, path: row.field)
            guard report.sweepPosition != nil else {
                throw Scenario.JSONError(
                    field: Scenario.JSONFields.join(row.field, "sweepPosition"), problem: "must place the row, got null"
                )
            }
            rows.append(report)
        }
        self.init(
            shard: SweepShard(index: index, count: count), points: points, toolVersion: toolVersion,
            reproducible: reproducible, rows: rows)
    }
}

extension SweepShardFile {
    /// The shards of one sweep joined: its rows in grid order, as the unsharded sweep
    /// renders them.
    ///
    /// - Parameter files: every shard once, each with the name to report it by.
    /// - Throws: ``Problem`` when the files are not every shard of one sweep: shards of
    ///   different sweeps or tool versions, a shard missing or given twice, a point missing,
    ///   repeated or not its shard's, rows that would not print as one table.
    /// - Complexity: O(rows log rows + rows × figures)
    package static func merged(_ files: [(name: String, file: SweepShardFile)]) throws(Problem) -> SweepRendering {
        guard let first = files.first else { throw Problem(description: "no shard files") }
        let count = first.file.shard.count
        for (name, file) in files {
            guard file.shard.count == count, file.points == first.file.points else {
                throw Problem(
                    description: "\(name) is shard \(file.shard.text) of a \(file.points)-point sweep, "
                        + "\(first.name) shard \(first.file.shard.text) of a \(first.file.points)-point sweep")
            }
            guard file.toolVersion == first.file.toolVersion else {
                throw Problem(
                    description: "\(name) was written by version \(file.toolVersion), \(first.name) by "
                        + first.file.toolVersion)
            }
            guard file.reproducible == first.file.reproducible else {
                throw Problem(
                    description: "\(name) and \(first.name) are shards of different sweeps (one with --timing)")
            }
        }
        for index in 1...count {
            let holders = files.filter { $0.file.shard.index == index }.map(\.name)
            if holders.count > 1 {
                throw Problem(description: "shard \(index)/\(count) given twice: \(holders.joined(separator: ", "))")
            }
        }
        let missing = (1...count).filter { index in !files.contains { $0.file.shard.index == index } }
        guard missing.isEmpty else {
            throw Problem(
                description:
                    "shard\(missing.count == 1 ? "" : "s") \(missing.map { "\($0)/\(count)" }.joined(separator: ", ")) "
                    + "missing")
        }
        var rows: [(point: Int, name: String, report: SimulationReport)] = []
        for (name, file) in files {
            for report in file.rows {
                let point = report.sweepPosition!.point
                guard point < file.points, file.shard.contains(point: point) else {
                    throw Problem(description: "\(name): point \(point) is not shard \(file.shard.text)'s")
                }
                rows.append((point, name, report))
            }
        }
        rows.sort { $0.point < $1.point }
        guard rows.map(\.point) == Array(0..<first.file.points) else {
            throw Problem(description: "the shards do not hold every point of the sweep exactly once")
        }
        let reproducible = first.file.reproducible
        if let head = rows.first {
            // What the table's preamble and every format's header are made of: the same for
            // every row of one sweep.
            let header = head.report.csvHeader(reproducible: reproducible)
            for row in rows.dropFirst()
            where row.report.replicates != head.report.replicates
                || row.report.scenario.seed != head.report.scenario.seed
                || row.report.csvHeader(reproducible: reproducible) != header
            {
                throw Problem(description: "\(row.name) and \(head.name) are shards of different sweeps")
            }
        }
        return SweepRendering(rows.map(\.report), reproducible: reproducible)
    }
}
