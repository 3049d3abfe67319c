import BranchTree

// The report's three forms. All come from each value's named parts, so JSON, CSV and the
// table always say the same thing.

extension SimulationReport.FigureValue {
    /// The value as texts: one unnamed part for a single number or text; for an estimate
    /// over replicates `mean`, `low`, `high` (its 95 % interval); for a distribution
    /// `mean` (with `meanLow` and `meanHigh` over replicates), `p50`, `p99`, `max`.
    ///
    /// - Complexity: O(1), O(buckets) for a summary
    package var parts: [(name: String?, text: String)] {
        switch self {
        case .integer(let value): return [(nil, String(value))]
        case .decimal(let value, let places): return [(nil, NumberFormat.fixed(value, places: places))]
        case .text(let text), .json(.string(let text)): return [(nil, text)]
        case .json(let value): return [(nil, JSONWriter.string(value, style: .compact))]
        case .estimate(let estimate, let places):
            let format = { NumberFormat.fixed($0, places: places) }
            guard estimate.count > 1 else { return [(nil, format(estimate.mean))] }
            return [("mean", format(estimate.mean)), ("low", format(estimate.lower)), ("high", format(estimate.upper))]
        case .summary(let summary, let places):
            return Self.distribution(Distribution(summary), places: places).parts
        case .distribution(let distribution, let places):
            let format = { NumberFormat.fixed($0, places: places) }
            let mean = distribution.mean
            let head: [(String?, String)] =
                mean.count > 1
                ? [("mean", format(mean.mean)), ("meanLow", format(mean.lower)), ("meanHigh", format(mean.upper))]
                : [("mean", format(mean.mean))]
            return head + [
                ("p50", format(distribution.p50)), ("p99", format(distribution.p99)), ("max", format(distribution.max)),
            ]
        }
    }

    /// Whether the parts are numbers (unquoted in JSON and CSV).
    package var isNumber: Bool {
        switch self {
        case .text: false
        case .json(let value): if case .number = value { true } else { false }
        default: true
        }
    }

    /// The value for people: a number, `40.00 ± 1.29` over replicates, `mean 6.82, p50 1.00,
    /// p99 121.00, max 10025.00` (the mean with its ± over replicates), a scenario setting
    /// as compact JSON with a plain string unquoted.
    package var text: String {
        switch self {
        case .estimate(let estimate, let places) where estimate.count > 1:
            return NumberFormat.fixed(estimate.mean, places: places) + " ± "
                + NumberFormat.fixed(estimate.halfWidth, places: places)
        case .summary(let summary, let places):
            return Self.distribution(Distribution(summary), places: places).text
        case .distribution(let distribution, let places):
            let format = { NumberFormat.fixed($0, places: places) }
            let mean = distribution.mean
            let plusMinus = mean.count > 1 ? " ± " + format(mean.halfWidth) : ""
            return "mean \(format(mean.mean))\(plusMinus), p50 \(format(distribution.p50)), "
                + "p99 \(format(distribution.p99)), max \(format(distribution.max))"
        default:
            return parts[0].text
        }
    }

    /// The value in a JSON report: a number, a string, a scenario setting as it is, or an
    /// object of the named parts.
    package var jsonValue: JSONValue {
        if case .json(let value) = self { return value }
        let parts = self.parts
        if parts.count == 1, parts[0].name == nil {
            return isNumber ? .number(parts[0].text) : .string(parts[0].text)
        }
        return .object(parts.map { .init($0.name ?? "", .number($0.text)) })
    }
}

extension SimulationReport {
    /// One output column: `section.name` (and `.mean`, `.p50`, … for a value with parts)
    /// and its text, in report order; machine-dependent figures left out when
    /// `reproducible`.
    package func columns(reproducible: Bool = false) -> [(section: String, name: String, text: String, isNumber: Bool)]
    {
        var result: [(String, String, String, Bool)] = []
        for (section, figure) in shownFigures(reproducible: reproducible) {
            let isNumber = figure.value.isNumber
            for part in figure.value.parts {
                result.append((section, part.name.map { figure.name + "." + $0 } ?? figure.name, part.text, isNumber))
            }
        }
        return result
    }

    /// The report as a JSON object: one object per section; a value with parts is an
    /// object of them.
    package func json(reproducible: Bool = false) -> JSONValue {
        var sectionsJSON: [JSONValue.Member] = []
        for (section, figures) in sections {
            let members = figures.filter { !(reproducible && Self.machineDependent.contains($0.name)) }
                .map { JSONValue.Member($0.name, $0.value.jsonValue) }
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
            !column.text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" })
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
                output +=
                    "  " + figure.name + String(repeating: " ", count: width - figure.name.count + 2)
                    + figure.value.text + "\n"
            }
        }
        return output
    }

    /// Every figure with its section, in report order, machine-dependent ones left out when
    /// `reproducible`.
    private func shownFigures(reproducible: Bool) -> [(section: String, figure: Figure)] {
        sections.flatMap { section, figures in
            figures.filter { !(reproducible && Self.machineDependent.contains($0.name)) }.map { (section, $0) }
        }
    }
}
