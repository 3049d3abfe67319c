/// A sweep's rows — one labelled ``SimulationReport`` per point, in grid order — in the
/// three output formats, all from the report's own flattening
/// (``SimulationReport/columns(reproducible:)``, ``SimulationReport/json(reproducible:)``,
/// ``SimulationReport/csvRow(reproducible:)``), so a sweep row says what `run` says.
///
///     SweepOutput.render(rows, format: .csv, reproducible: true, replicates: 1)
///     // sweep.point,sweep.churn,sweep.replicate,scenario.seed,…
///     // 0,1,0,1,…
package enum SweepOutput {
    /// The table's columns (`section.name` keys of the CSV); the table is for reading
    /// across points, so it keeps the headline figures. CSV and JSON have every figure.
    package static let tableColumns = [
        "sweep.point", "scenario.fanout", "scenario.audience", "scenario.policy", "sweep.churn", "scenario.seed",
        "perDeparture.interruptedViewers.mean", "perDeparture.reconnections.mean",
        "perDeparture.repairLatencySeconds.p99", "perViewer.interruptionsPerViewerHour",
        "perViewer.interruptedViewerSecondsPerViewerHour", "perViewer.continuityIndex", "tree.height",
        "tree.p99Depth", "protocol.strandedViewers", "run.wallSeconds", "run.eventsPerSecond",
    ]

    /// The rows in `format`, ending in a newline. `replicates` > 1 adds the seed to the
    /// table; machine-dependent figures appear unless `reproducible`.
    ///
    /// - Complexity: O(rows × columns)
    package static func render(
        _ rows: [SimulationReport], format: ReportFormat, reproducible: Bool, replicates: Int
    ) -> String {
        switch format {
        case .table:
            return table(rows, reproducible: reproducible, showsSeed: replicates > 1)
        case .csv:
            guard let first = rows.first else { return "" }
            return ([first.csvHeader(reproducible: reproducible)] + rows.map { $0.csvRow(reproducible: reproducible) })
                .joined(separator: "\n") + "\n"
        case .json:
            let array = JSONValue.array(rows.map { $0.json(reproducible: reproducible) })
            // Expanded down to the sections: a line per section of each point.
            return JSONWriter.string(array, style: .pretty(expandedDepth: 2)) + "\n"
        }
    }

    /// The headline columns, a line per point.
    private static func table(_ rows: [SimulationReport], reproducible: Bool, showsSeed: Bool) -> String {
        let columnsPerRow = rows.map { $0.columns(reproducible: reproducible) }
        guard let firstRow = columnsPerRow.first else { return "" }
        let keysPresent = Set(firstRow.map { $0.section + "." + $0.name })
        let keys = tableColumns.filter { keysPresent.contains($0) && (showsSeed || $0 != "scenario.seed") }
        // The figure's name without its section, as long as it is still unique.
        var table = TextTable(header: keys.map { String($0[$0.index(after: $0.firstIndex(of: ".")!)...]) })
        for columns in columnsPerRow {
            table.append(
                keys.map { key in
                    guard let column = columns.first(where: { $0.section + "." + $0.name == key }) else {
                        return .text("")
                    }
                    return column.isNumber ? .number(column.text) : .text(column.text)
                })
        }
        return table.text
    }
}
