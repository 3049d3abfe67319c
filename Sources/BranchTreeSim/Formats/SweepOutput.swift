/// A sweep's rows — one labelled ``SimulationReport`` per point, in grid order — in the
/// three output formats, all from the report's own values (``SimulationReport/columns(reproducible:)``,
/// ``SimulationReport/json(reproducible:)``, ``SimulationReport/csvRow(reproducible:)``), so a
/// sweep row says what `run` says.
///
///     SweepOutput.render(rows, format: .csv, reproducible: true)
///     // sweep.point,sweep.churn,scenario.seed,…
///     // 0,1,1,…
package enum SweepOutput {
    /// The table's columns: a figure (`section.name`) and, for a distribution, which of its
    /// parts. The table is for reading across points, so it keeps the headline figures;
    /// CSV and JSON have every figure.
    package static let tableColumns: [(figure: String, part: String?)] = [
        ("sweep.point", nil), ("scenario.fanout", nil), ("scenario.audience", nil), ("scenario.policy", nil),
        ("sweep.churn", nil), ("perDeparture.interruptedViewers", "mean"), ("perDeparture.reconnections", "mean"),
        ("perDeparture.repairLatencySeconds", "p99"), ("perViewer.interruptionsPerViewerHour", nil),
        ("perViewer.interruptedViewerSecondsPerViewerHour", nil), ("perViewer.continuityIndex", nil),
        ("tree.height", nil), ("tree.p99Depth", nil), ("protocol.strandedViewers", nil), ("run.wallSeconds", nil),
        ("run.eventsPerSecond", nil),
    ]

    /// The rows in `format`, ending in a newline; machine-dependent figures appear unless
    /// `reproducible`. Over replicates the table says so above its header, and its
    /// figures read `mean ± half-width` of the 95 % interval.
    ///
    /// - Complexity: O(rows × columns)
    package static func render(_ rows: [SimulationReport], format: ReportFormat, reproducible: Bool) -> String {
        SweepRendering(rows, reproducible: reproducible).text(format)
    }

    /// The preamble over the table: how many replicates stand behind each row, when more
    /// than one.
    static func preamble(_ rows: [SimulationReport]) -> String {
        guard let first = rows.first, first.replicates > 1 else { return "" }
        return "\(first.replicates) replicates per point (seed \(first.scenario.seed) and seeds derived from it); "
            + "± is the 95 % confidence interval of the mean.\n"
    }

    /// The table's headline columns: the header, and a line of cells per point.
    static func table(_ rows: [SimulationReport], reproducible: Bool) -> (header: [String], rows: [[TextTable.Cell]]) {
        guard let first = rows.first else { return ([], []) }
        let shown = tableColumns.filter { column in
            !(reproducible && SimulationReport.machineDependent.contains(name(of: column.figure)))
                && first.figure(section(of: column.figure), name(of: column.figure)) != nil
        }
        let cells = rows.map { row in
            shown.map { column -> TextTable.Cell in
                guard let value = row.figure(section(of: column.figure), name(of: column.figure)) else {
                    return .text("")
                }
                let text = cell(value, part: column.part)
                return value.isNumber ? .number(text) : .text(text)
            }
        }
        return (shown.map { name(of: $0.figure) + ($0.part.map { "." + $0 } ?? "") }, cells)
    }

    /// A value's cell: its text, or one part of a distribution (its mean with the interval).
    private static func cell(_ value: SimulationReport.FigureValue, part: String?) -> String {
        guard let part else { return value.text }
        let distribution: (Distribution, Int)? =
            switch value {
            case .summary(let summary, let places): (Distribution(summary), places)
            case .distribution(let distribution, let places): (distribution, places)
            default: nil
            }
        if part == "mean", let (distribution, places) = distribution {
            return SimulationReport.FigureValue.estimate(distribution.mean, places: places).text
        }
        return value.parts.first { $0.name == part }?.text ?? ""
    }

    private static func section(of key: String) -> String { String(key[..<key.firstIndex(of: ".")!]) }
    private static func name(of key: String) -> String { String(key[key.index(after: key.firstIndex(of: ".")!)...]) }
}
