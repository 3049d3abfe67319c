import BranchTree

/// A sweep's rows rendered in every output format, as data: the pieces that `sweep` and
/// `merge` print.
///
///     let rendering = SweepRendering(rows, reproducible: true)
///     rendering.text(.csv)   // the header, then a row per point
///
/// Every piece is per row except the headers and the table's preamble, which come from the
/// first row and are the same for every row of one sweep.
package struct SweepRendering: Sendable, Hashable {
    /// The line above the table ("5 replicates per point …"), or empty.
    package var preamble: String
    package var tableHeader: [String]
    package var tableRows: [[TextTable.Cell]]
    package var csvHeader: String
    package var csvRows: [String]
    /// Each row's report as JSON.
    package var jsonRows: [JSONValue]

    /// The rendering of labelled sweep rows, in their order.
    ///
    /// - Complexity: O(rows × columns)
    package init(_ rows: [SimulationReport], reproducible: Bool) {
        let table = SweepOutput.table(rows, reproducible: reproducible)
        preamble = SweepOutput.preamble(rows)
        tableHeader = table.header
        tableRows = table.rows
        csvHeader = rows.first?.csvHeader(reproducible: reproducible) ?? ""
        csvRows = rows.map { $0.csvRow(reproducible: reproducible) }
        jsonRows = rows.map { $0.json(reproducible: reproducible) }
    }

    /// The rows in `format`, ending in a newline (nothing for no rows, but the JSON `[]`).
    ///
    /// - Complexity: O(size of the output)
    package func text(_ format: ReportFormat) -> String {
        switch format {
        case .table:
            guard !tableRows.isEmpty else { return "" }
            var table = TextTable(header: tableHeader)
            for row in tableRows { table.append(row) }
            return preamble + table.text
        case .csv:
            guard !csvRows.isEmpty else { return "" }
            return ([csvHeader] + csvRows).joined(separator: "\n") + "\n"
        case .json:
            // Expanded down to the sections: a line per section of each point.
            return JSONWriter.string(.array(jsonRows), style: .pretty(expandedDepth: 2)) + "\n"
        }
    }
}
