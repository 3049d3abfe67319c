/// Rows of cells printed as aligned text columns for people: numbers aligned right,
/// texts left, two spaces between columns.
///
///     var table = TextTable(header: ["fanout", "policy", "height"])
///     table.append([.number("2"), .text("skyway"), .number("11")])
///     table.text
///     // fanout  policy  height
///     //      2  skyway      11
package struct TextTable: Sendable, Hashable {
    /// One cell: its text and how it is aligned.
    package enum Cell: Sendable, Hashable {
        /// Aligned right.
        case number(String)
        /// Aligned left.
        case text(String)

        var content: String {
            switch self {
            case .number(let text), .text(let text): text
            }
        }
    }

    package var header: [String]
    package private(set) var rows: [[Cell]] = []

    package init(header: [String]) {
        self.header = header
    }

    /// Adds a row; it must have a cell per header column.
    package mutating func append(_ row: [Cell]) {
        precondition(row.count == header.count, "a row needs \(header.count) cells, got \(row.count)")
        rows.append(row)
    }

    /// The table, a line per row after the header, each ending in a newline; trailing
    /// spaces trimmed. A column's header is aligned like its first row's cell.
    ///
    /// - Complexity: O(cells)
    package var text: String {
        var widths = header.map(\.count)
        for row in rows {
            for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.content.count) }
        }
        let headerCells: [Cell] = header.enumerated().map { column, title in
            if case .number = rows.first?[column] { return .number(title) }
            return .text(title)
        }
        var output = ""
        for row in [headerCells] + rows {
            var line = ""
            for (column, cell) in row.enumerated() {
                if column > 0 { line += "  " }
                let padding = String(repeating: " ", count: widths[column] - cell.content.count)
                switch cell {
                case .number(let text): line += padding + text
                case .text(let text): line += text + padding
                }
            }
            while line.last == " " { line.removeLast() }
            output += line + "\n"
        }
        return output
    }
}
