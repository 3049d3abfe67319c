import BranchTree

/// What `sweep --shard I/N` writes and `merge` reads: one shard's rows, rendered in every
/// format (``SweepRendering``), with the point each row is and the sweep it belongs to.
///
///     {"sweepShard": {"shard": 2, "of": 4, "points": 12, "toolVersion": "0.1.0"},
///      "preamble": "", "tableHeader": ["point", …], "csvHeader": "sweep.point,…",
///      "rows": [{"point": 1, "table": [["number", "1"], …], "csv": "1,…", "report": {…}}, …]}
///
/// ``merged(_:)`` joins the shards of one sweep into the rendering the unsharded sweep
/// prints, byte for byte.
package struct SweepShardFile: Sendable, Hashable {
    package var shard: SweepShard
    /// The points of the whole sweep.
    package var points: Int
    package var toolVersion: String
    package var rendering: SweepRendering
    /// The point (index in grid order) of each row, in order.
    package var pointIndices: [Int]

    package init(shard: SweepShard, points: Int, toolVersion: String, rendering: SweepRendering, pointIndices: [Int]) {
        precondition(pointIndices.count == rendering.count, "a point index per row")
        self.shard = shard
        self.points = points
        self.toolVersion = toolVersion
        self.rendering = rendering
        self.pointIndices = pointIndices
    }

    /// Why shard files cannot be read or merged.
    package struct Problem: Error, Hashable, Sendable, CustomStringConvertible {
        package var description: String
    }

    // MARK: Writing

    /// The file's JSON.
    /// - Complexity: O(size of the rows)
    package var json: JSONValue {
        let rows = pointIndices.indices.map { row in
            JSONValue.object([
                .init("point", .int(pointIndices[row])),
                .init("table", .array(rendering.tableRows[row].map(Self.json))),
                .init("csv", .string(rendering.csvRows[row])), .init("report", rendering.jsonRows[row]),
            ])
        }
        return .object([
            .init(
                "sweepShard",
                .object([
                    .init("shard", .int(shard.index)), .init("of", .int(shard.count)), .init("points", .int(points)),
                    .init("toolVersion", .string(toolVersion)),
                ])),
            .init("preamble", .string(rendering.preamble)), .init("tableHeader", .strings(rendering.tableHeader)),
            .init("csvHeader", .string(rendering.csvHeader)), .init("rows", .array(rows)),
        ])
    }

    private static func json(_ cell: TextTable.Cell) -> JSONValue {
        switch cell {
        case .number(let text): .array([.string("number"), .string(text)])
        case .text(let text): .array([.string("text"), .string(text)])
        }
    }

    // MARK: Reading

    /// Reads a shard file's JSON.
    ///
    /// - Throws: ``Problem`` naming the field that is missing or of the wrong kind.
    /// - Complexity: O(size of the value)
    package init(json value: JSONValue) throws(Problem) {
        let top = try Self.members(value, "the file")
        let header = try Self.members(try Self.member(top, "sweepShard"), "sweepShard")
        let index = try Self.integer(try Self.member(header, "shard"), "sweepShard.shard")
        let count = try Self.integer(try Self.member(header, "of"), "sweepShard.of")
        guard 1 <= index, index <= count else { throw Problem(description: "sweepShard: shard \(index) of \(count)") }
        let points = try Self.integer(try Self.member(header, "points"), "sweepShard.points")
        let toolVersion = try Self.string(try Self.member(header, "toolVersion"), "sweepShard.toolVersion")
        guard case .array(let headerCells) = try Self.member(top, "tableHeader") else {
            throw Problem(description: "tableHeader: must be an array of strings")
        }
        var tableHeader: [String] = []
        for cell in headerCells { tableHeader.append(try Self.string(cell, "tableHeader")) }
        guard case .array(let rows) = try Self.member(top, "rows") else {
            throw Problem(description: "rows: must be an array")
        }
        var rendering = SweepRendering(
            preamble: try Self.string(try Self.member(top, "preamble"), "preamble"), tableHeader: tableHeader,
            tableRows: [], csvHeader: try Self.string(try Self.member(top, "csvHeader"), "csvHeader"), csvRows: [],
            jsonRows: [])
        var pointIndices: [Int] = []
        for (position, row) in rows.enumerated() {
            let field = "rows[\(position + 1)]"
            let members = try Self.members(row, field)
            pointIndices.append(try Self.integer(try Self.member(members, "point", in: field), field + ".point"))
            guard case .array(let cells) = try Self.member(members, "table", in: field),
                cells.count == tableHeader.count
            else { throw Problem(description: "\(field).table: must be an array of a cell per table column") }
            rendering.tableRows.append(try cells.map { cell throws(Problem) in try Self.cell(cell, field + ".table") })
            rendering.csvRows.append(try Self.string(try Self.member(members, "csv", in: field), field + ".csv"))
            rendering.jsonRows.append(try Self.member(members, "report", in: field))
        }
        self.init(
            shard: SweepShard(index: index, count: count), points: points, toolVersion: toolVersion,
            rendering: rendering, pointIndices: pointIndices)
    }

    private static func members(_ value: JSONValue, _ field: String) throws(Problem) -> [JSONValue.Member] {
        guard case .object(let members) = value else { throw Problem(description: "\(field): must be an object") }
        return members
    }

    private static func member(_ members: [JSONValue.Member], _ key: String, in path: String = "") throws(Problem)
        -> JSONValue
    {
        guard let value = members.first(where: { $0.key == key })?.value else {
            throw Problem(description: "\(path.isEmpty ? "" : path + ".")\(key): missing; not a sweep shard file")
        }
        return value
    }

    private static func integer(_ value: JSONValue, _ field: String) throws(Problem) -> Int {
        guard case .number(let literal) = value, let number = Int(literal), number >= 0 else {
            throw Problem(description: "\(field): must be a non-negative integer")
        }
        return number
    }

    private static func string(_ value: JSONValue, _ field: String) throws(Problem) -> String {
        guard case .string(let text) = value else { throw Problem(description: "\(field): must be a string") }
        return text
    }

    private static func cell(_ value: JSONValue, _ field: String) throws(Problem) -> TextTable.Cell {
        if case .array(let pair) = value, pair.count == 2, case .string(let kind) = pair[0],
            case .string(let text) = pair[1]
        {
            if kind == "number" { return .number(text) }
            if kind == "text" { return .text(text) }
        }
        throw Problem(description: "\(field): a cell is [\"number\" or \"text\", its text]")
    }
}

extension SweepShardFile {
    /// The shards of one sweep joined: its rows in grid order, as the unsharded sweep
    /// renders them.
    ///
    /// - Parameter files: every shard once, each with the name to report it by.
    /// - Throws: ``Problem`` when the files are not every shard of one sweep: shards of
    ///   different sweeps or tool versions, a shard missing or given twice, a point missing,
    ///   repeated or not its shard's.
    /// - Complexity: O(rows log rows)
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
        var rows: [(point: Int, file: Int, row: Int)] = []
        for (fileIndex, (name, file)) in files.enumerated() {
            for (row, point) in file.pointIndices.enumerated() {
                guard point < file.points, file.shard.contains(point: point) else {
                    throw Problem(description: "\(name): point \(point) is not shard \(file.shard.text)'s")
                }
                rows.append((point, fileIndex, row))
            }
        }
        rows.sort { $0.point < $1.point }
        guard rows.map(\.point) == Array(0..<first.file.points) else {
            throw Problem(description: "the shards do not hold every point of the sweep exactly once")
        }
        var merged = SweepRendering(
            preamble: "", tableHeader: [], tableRows: [], csvHeader: "", csvRows: [], jsonRows: [])
        var headerSource: String?
        for (_, fileIndex, row) in rows {
            let (name, file) = files[fileIndex]
            let part = file.rendering
            if let source = headerSource {
                guard part.preamble == merged.preamble, part.tableHeader == merged.tableHeader,
                    part.csvHeader == merged.csvHeader
                else { throw Problem(description: "\(name) and \(source) are shards of different sweeps") }
            } else {
                headerSource = name
                merged.preamble = part.preamble
                merged.tableHeader = part.tableHeader
                merged.csvHeader = part.csvHeader
            }
            merged.tableRows.append(part.tableRows[row])
            merged.csvRows.append(part.csvRows[row])
            merged.jsonRows.append(part.jsonRows[row])
        }
        return merged
    }
}
