import BranchTree

/// `plan`'s answer as a table for people, JSON, or CSV (a row per candidate). All three
/// are made from the same candidate columns.
///
///     PlanOutput.render(inputs, candidates: candidates, decision: decision, format: .table)
package enum PlanOutput {
    /// The answer in `format`, ending in a newline.
    ///
    /// - Complexity: O(candidates)
    package static func render(
        _ inputs: PlanInputs, candidates: [PlanCandidate], decision: PlanDecision, format: ReportFormat
    ) -> String {
        let rows = candidates.indices.map { columns(of: candidates[$0], at: $0, inputs: inputs, decision: decision) }
        switch format {
        case .table:
            var table = TextTable(header: rows.first?.map(\.name) ?? [])
            for row in rows { table.append(row.map { $0.isNumber ? .number($0.text) : .text($0.text) }) }
            let run = "\(Scenario.numberText(inputs.scenario.duration)) simulated seconds each, seed \(inputs.scenario.seed)"
            return header(inputs) + "\n" + verdict(inputs, candidates: candidates, decision: decision) + "\n"
                + "Candidates (\(run)):\n" + (rows.isEmpty ? "  none\n" : table.text)
        case .csv:
            let names = candidateColumnNames
            return ([names.joined(separator: ",")] + rows.map { $0.map(\.text).joined(separator: ",") })
                .joined(separator: "\n") + "\n"
        case .json:
            let value = json(inputs, rows: rows, decision: decision)
            return JSONWriter.string(value, style: .pretty) + "\n"
        }
    }

    /// The CSV header and the table's columns.
    static let candidateColumnNames = [
        "fanout", "policy", "relaySlotsPerViewer", "height", "p99Depth", "interruptionsPerViewerHour",
        "interruptedSecondsPerViewerHour", "continuityIndex", "broadcasterUploadStreams", "strandedViewers", "result",
    ]

    /// One candidate's columns: its name, text and whether the text is a number (empty
    /// figures when it was not simulated). The result is `recommended`, `closest`,
    /// `meets limits`, the limits it exceeds (`depth 12 > 10; …`) or why it was not
    /// simulated; it never contains a comma.
    static func columns(
        of candidate: PlanCandidate, at index: Int, inputs: PlanInputs, decision: PlanDecision
    ) -> [(name: String, text: String, isNumber: Bool)] {
        let figures = candidate.figures
        func number(_ text: String?) -> (String, Bool) { (text ?? "", text != nil) }
        let cells: [(String, Bool)] = [
            number(String(candidate.fanout)), (candidate.policy.rawValue, false),
            number(FixedDecimal.format(candidate.relaySlotsPerViewer, places: 2)),
            number(figures.map { String($0.height) }), number(figures.map { String($0.p99Depth) }),
            number(figures.map { FixedDecimal.format($0.interruptionsPerViewerHour, places: 3) }),
            number(figures.map { FixedDecimal.format($0.interruptedSecondsPerViewerHour, places: 2) }),
            number(figures.map { FixedDecimal.format($0.continuityIndex, places: 5) }),
            number(figures.map { String($0.broadcasterUploadStreams) }),
            number(figures.map { String($0.strandedViewers) }),
            (result(of: candidate, at: index, constraints: inputs.constraints, decision: decision), false),
        ]
        return zip(candidateColumnNames, cells).map { name, cell in (name, cell.0, cell.1) }
    }

    private static func result(
        of candidate: PlanCandidate, at index: Int, constraints: PlanConstraints, decision: PlanDecision
    ) -> String {
        guard let figures = candidate.figures else {
            return "not simulated: too few relay slots for the audience"
        }
        let violations = constraints.violations(of: figures).joined(separator: "; ")
        switch decision {
        case .recommended(index): return "recommended"
        case .unmet(closest: index): return "closest: " + violations
        default: return violations.isEmpty ? "meets limits" : violations
        }
    }

    // MARK: Table

    private static func header(_ inputs: PlanInputs) -> String {
        let uplinks = inputs.uplinks
        var classes: [String] = []
        for (position, uplinkClass) in uplinks.classes.classes.enumerated() {
            let rate = uplinks.uplinkBitsPerSecond[position].map { " at " + bitrateText($0) } ?? ""
            let capacity = uplinks.capacities[position]
            let relays = capacity >= BranchTree.Configuration.fanoutRange.upperBound ? "the fan-out" : String(capacity)
            classes.append("\(uplinkClass.name) \(percent(uplinkClass.share))\(rate) relays \(relays)")
        }
        var limits: [String] = []
        if let depth = inputs.constraints.maxDepth { limits.append("depth ≤ \(depth)") }
        if let rate = inputs.constraints.maxInterruptionsPerViewerHour {
            limits.append("interruptions per viewer-hour ≤ \(Scenario.numberText(rate))")
        }
        return """
            Audience: \(inputs.scenario.audience) viewers of a \(bitrateText(inputs.streamBitsPerSecond)) stream, \
            uplink headroom \(Scenario.numberText(inputs.headroom))
            Uplinks: \(classes.joined(separator: ", ")); \(percent(uplinks.relayingShare)) of viewers can relay
            Limits: \(limits.isEmpty ? "none" : limits.joined(separator: ", "))

            """
    }

    private static func verdict(_ inputs: PlanInputs, candidates: [PlanCandidate], decision: PlanDecision) -> String {
        switch decision {
        case .recommended(let index):
            let candidate = candidates[index]
            return "Recommendation: fan-out \(candidate.fanout), policy \(candidate.policy)\n"
                + expectations(candidate, inputs: inputs)
        case .unmet(let closest?):
            let candidate = candidates[closest]
            let misses = candidate.figures.map { inputs.constraints.violations(of: $0) } ?? []
            return "No candidate meets the limits. Closest: fan-out \(candidate.fanout), policy \(candidate.policy) "
                + "(\(misses.joined(separator: "; ")))\n" + expectations(candidate, inputs: inputs)
        case .unmet(nil):
            if inputs.uplinks.maxCapacity == 0 {
                return "No candidate: no viewer's uplink carries a copy of the stream, so nobody can relay.\n"
            }
            return "No candidate: at no fan-out do the viewers bring enough relay slots for "
                + "\(inputs.scenario.audience) viewers.\n"
        }
    }

    /// The figures to expect from a candidate, a line each.
    private static func expectations(_ candidate: PlanCandidate, inputs: PlanInputs) -> String {
        guard let figures = candidate.figures else { return "" }
        let lines = [
            ("tree height (levels)", String(figures.height)),
            ("deepest viewer's depth", String(figures.deepestDepth)),
            ("p99 depth", String(figures.p99Depth)),
            ("interruptions per viewer-hour", FixedDecimal.format(figures.interruptionsPerViewerHour, places: 3)),
            (
                "interrupted seconds per viewer-hour",
                FixedDecimal.format(figures.interruptedSecondsPerViewerHour, places: 2)
            ),
            ("continuity index", FixedDecimal.format(figures.continuityIndex, places: 5)),
            ("broadcaster upload streams", String(figures.broadcasterUploadStreams)),
            ("viewers that can relay", percent(inputs.uplinks.relayingShare)),
        ]
        let width = lines.map(\.0.count).max() ?? 0
        return lines.map { "  " + $0.0 + String(repeating: " ", count: width - $0.0.count + 2) + $0.1 + "\n" }
            .joined()
    }

    // MARK: JSON

    private static func json(
        _ inputs: PlanInputs, rows: [[(name: String, text: String, isNumber: Bool)]], decision: PlanDecision
    ) -> JSONValue {
        func number(_ value: Double) -> JSONValue { .number(Scenario.numberText(value)) }
        func optional(_ value: JSONValue?) -> JSONValue { value ?? .null }
        let uplinks = inputs.uplinks
        let classes = uplinks.classes.classes.enumerated().map { position, uplinkClass in
            JSONValue.object([
                .init("name", .string(uplinkClass.name)), .init("share", number(uplinkClass.share)),
                .init("uplinkBitsPerSecond", optional(uplinks.uplinkBitsPerSecond[position].map(number))),
                .init("relayCapacity", .int(uplinks.capacities[position])),
            ])
        }
        let candidatesJSON = rows.map { row in
            JSONValue.object(row.map { column in
                let value: JSONValue =
                    column.text.isEmpty ? .null : column.isNumber ? .number(column.text) : .string(column.text)
                return .init(column.name, value)
            })
        }
        let chosen: (recommended: Int?, closest: Int?) =
            switch decision {
            case .recommended(let index): (index, nil)
            case .unmet(let closest): (nil, closest)
            }
        return .object([
            .init(
                "inputs",
                .object([
                    .init("audience", .int(inputs.scenario.audience)),
                    .init("streamBitsPerSecond", number(inputs.streamBitsPerSecond)),
                    .init("headroom", number(inputs.headroom)), .init("uplinks", .array(classes)),
                    .init("relayingShare", .number(FixedDecimal.format(uplinks.relayingShare, places: 4))),
                    .init("maxDepth", optional(inputs.constraints.maxDepth.map(JSONValue.int))),
                    .init(
                        "maxInterruptionsPerViewerHour",
                        optional(inputs.constraints.maxInterruptionsPerViewerHour.map(number))),
                    .init("durationSeconds", number(inputs.scenario.duration)),
                    .init("seed", .number(String(inputs.scenario.seed))),
                ])),
            .init("limitsMet", .bool(chosen.recommended != nil)),
            .init("recommended", optional(chosen.recommended.map { candidatesJSON[$0] })),
            .init("closest", optional(chosen.closest.map { candidatesJSON[$0] })),
            .init("candidates", .array(candidatesJSON)),
        ])
    }

    // MARK: Numbers

    /// `25 %`, `75.5 %`.
    private static func percent(_ share: Double) -> String {
        Scenario.numberText((share * 1_000).rounded() / 10) + " %"
    }

    /// `2.5Mbps`, `800kbps`, `1200bps`, as the options read them.
    static func bitrateText(_ bitsPerSecond: Double) -> String {
        for (unit, scale) in [("Gbps", 1e9), ("Mbps", 1e6), ("kbps", 1e3)] where bitsPerSecond >= scale {
            return Scenario.numberText((bitsPerSecond / scale * 1_000).rounded() / 1_000) + unit
        }
        return Scenario.numberText(bitsPerSecond) + "bps"
    }
}
