// The report's three forms. All come from the same flattened list of (section, name,
// text) columns, so JSON, CSV and the table always say the same thing.

extension SimulationReport {
    /// One output column: `section.name` (and `.mean`, `.p50`, … for a summary) and its
    /// text, in report order; machine-dependent figures left out when `reproducible`.
    package func columns(reproducible: Bool = false) -> [(section: String, name: String, text: String, isNumber: Bool)] {
        var result: [(String, String, String, Bool)] = []
        for (section, figures) in sections {
            for figure in figures where !(reproducible && Self.machineDependent.contains(figure.name)) {
                switch figure.value {
                case .summary(let summary, let places):
                    for (stat, value) in [
                        ("mean", summary.mean), ("p50", summary.percentile(0.5)), ("p99", summary.percentile(0.99)),
                        ("max", summary.max),
                    ] {
                        result.append((section, figure.name + "." + stat, FixedDecimal.format(value, places: places), true))
                    }
                case .text(let text):
                    result.append((section, figure.name, text, false))
                default:
                    result.append((section, figure.name, figure.value.text, true))
                }
            }
        }
        return result
    }

    /// The report as a JSON object: one object per section; a summary is an object with
    /// `mean`, `p50`, `p99` and `max`.
    package func json(reproducible: Bool = false) -> JSONValue {
        var sectionsJSON: [JSONValue.Member] = []
        for (section, figures) in sections {
            var members: [JSONValue.Member] = []
            for figure in figures where !(reproducible && Self.machineDependent.contains(figure.name)) {
                switch figure.value {
                case .summary(let summary, let places):
                    members.append(
                        .init(
                            figure.name,
                            .object([
                                .init("mean", .number(FixedDecimal.format(summary.mean, places: places))),
                                .init("p50", .number(FixedDecimal.format(summary.percentile(0.5), places: places))),
                                .init("p99", .number(FixedDecimal.format(summary.percentile(0.99), places: places))),
                                .init("max", .number(FixedDecimal.format(summary.max, places: places))),
                            ])))
                case .text(let text):
                    members.append(.init(figure.name, .string(text)))
                default:
                    members.append(.init(figure.name, .number(figure.value.text)))
                }
            }
            sectionsJSON.append(.init(section, .object(members)))
        }
        return .object(sectionsJSON)
    }

    /// The CSV header: `section.name` per column.
    package func csvHeader(reproducible: Bool = false) -> String {
        columns(reproducible: reproducible).map { "\($0.section).\($0.name)" }.joined(separator: ",")
    }

    /// The CSV row of values, texts quoted when they need it.
    package func csvRow(reproducible: Bool = false) -> String {
        columns(reproducible: reproducible).map { column in
            column.isNumber || !column.text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" })
                ? column.text : "\"" + column.text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }.joined(separator: ",")
    }

    /// A table for people: one block per section, names aligned.
    package func table(reproducible: Bool = false) -> String {
        var output = ""
        for (section, figures) in sections {
            let shown = figures.filter { !(reproducible && Self.machineDependent.contains($0.name)) }
            guard !shown.isEmpty else { continue }
            output += section + "\n"
            let width = shown.map(\.name.count).max() ?? 0
            for figure in shown {
                output += "  " + figure.name + String(repeating: " ", count: width - figure.name.count + 2)
                    + figure.value.text + "\n"
            }
        }
        return output
    }
}
