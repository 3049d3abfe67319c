import BranchTree

/// `plan`'s answer as a table for people, JSON, or CSV (a row per candidate). All three
/// are made from the same candidate columns.
///
///     PlanOutput.render(inputs, candidates: candidates, decision: decision, format: .table)
package enum PlanOutput {
    /// The answer in `format`, ending in a newline. `replicates` and `cap` are what each
    /// candidate ran at first and at most.
    ///
    /// - Complexity: O(candidates)
    package static func render(
        _ inputs: PlanInputs, candidates: [PlanCandidate], decision: PlanDecision, replicates: Int, cap: Int,
        format: ReportFormat
    ) -> String {
        let equallyGood = PlanDecision.equallyGood(candidates, constraints: inputs.constraints)
        let rows = candidates.indices.map { index in
            columns(of: candidates[index], at: index, inputs: inputs, decision: decision, equallyGood: equallyGood)
        }
        switch format {
        case .table:
            var table = TextTable(header: rows.first?.map(\.name) ?? [])
            for row in rows {
                table.append(
                    row.map { column in
                        let text = column.value?.text ?? ""
                        return column.value?.isNumber ?? true ? .number(text) : .text(text)
                    })
            }
            return header(inputs) + "\n" + verdict(inputs, candidates: candidates, decision: decision) + "\n"
                + runs(inputs, replicates: replicates, cap: cap) + (rows.isEmpty ? "  none\n" : table.text)
        case .csv:
            let names = rows.first.map { row in row.flatMap { column in csvNames(column, replicates: replicates) } }
            let lines = rows.map { row in
                row.flatMap { column in csvTexts(column, replicates: replicates) }.joined(separator: ",")
            }
            return ([(names ?? []).joined(separator: ",")] + lines).joined(separator: "\n") + "\n"
        case .json:
            let value = json(inputs, rows: rows, decision: decision, replicates: replicates, cap: cap)
            return JSONWriter.string(value, style: .pretty) + "\n"
        }
    }

    /// One candidate's column: its name and value (nil when not simulated).
    typealias Column = (name: String, value: SimulationReport.FigureValue?)

    /// One candidate's columns. The result is `recommended`, `closest`, `meets limits`
    /// (`meets limits; as good` when it is not measurably worse than the best by more than
    /// 10 %, so the recommendation was chosen among them as the simplest), the limits it
    /// exceeds (`depth 12 > 10; …`) or why it was not simulated; it never contains a comma.
    static func columns(
        of candidate: PlanCandidate, at index: Int, inputs: PlanInputs, decision: PlanDecision, equallyGood: [Int]
    ) -> [Column] {
        let figures = candidate.figures
        func estimate(_ value: (PlanFigures) -> Estimate?, places: Int) -> SimulationReport.FigureValue? {
            figures.flatMap(value).map { .estimate($0, places: places) }
        }
        // The tree model has no time without media and no protocol: those columns are left out.
        let fullModelColumns: [Column] =
            inputs.model == .full
            ? [
                ("interruptedSecondsPerViewerHour", estimate(\.interruptedSecondsPerViewerHour, places: 2)),
                ("continuityIndex", estimate(\.continuityIndex, places: 5)),
                ("strandedViewers", estimate(\.strandedViewers, places: 2)),
            ] : []
        return [
            ("fanout", .integer(candidate.fanout)), ("broadcasterFanout", .integer(candidate.broadcasterFanout)),
            ("policy", .text(candidate.policy.rawValue)),
            ("relaySlotsPerViewer", .decimal(candidate.relaySlotsPerViewer, places: 2)),
            (
                "broadcasterUpload",
                .text(bitrateText(inputs.streamBitsPerSecond * Double(candidate.broadcasterFanout)))
            ),
            ("replicates", figures.map { .integer($0.replicates) }),
            ("height", estimate(\.height, places: 2)), ("p99Depth", estimate(\.p99Depth, places: 2)),
            ("interruptionsPerViewerHour", estimate(\.interruptionsPerViewerHour, places: 3)),
        ] + fullModelColumns + [
            (
                "result",
                .text(result(of: candidate, at: index, inputs: inputs, decision: decision, equallyGood: equallyGood))
            )
        ]
    }

    /// A column's CSV header names: an estimate over replicates has `.low` and `.high` too.
    private static func csvNames(_ column: Column, replicates: Int) -> [String] {
        isInterval(column, replicates: replicates)
            ? [column.name, column.name + ".low", column.name + ".high"] : [column.name]
    }

    /// A column's CSV texts, as many as ``csvNames(_:replicates:)``; empty when not simulated.
    private static func csvTexts(_ column: Column, replicates: Int) -> [String] {
        let count = csvNames(column, replicates: replicates).count
        guard let value = column.value else { return Array(repeating: "", count: count) }
        let texts = value.parts.map(\.text)
        return texts.count == count ? texts : texts + Array(repeating: texts[0], count: count - texts.count)
    }

    /// Whether a column holds an estimate and the candidates ran replicates.
    private static func isInterval(_ column: Column, replicates: Int) -> Bool {
        guard replicates > 1 else { return false }
        if case .estimate? = column.value { return true }
        return column.value == nil && estimateColumns.contains(column.name)
    }

    /// The columns that hold an estimate when simulated.
    private static let estimateColumns: Set<String> = [
        "height", "p99Depth", "interruptionsPerViewerHour", "interruptedSecondsPerViewerHour", "continuityIndex",
        "strandedViewers",
    ]

    private static func result(
        of candidate: PlanCandidate, at index: Int, inputs: PlanInputs, decision: PlanDecision, equallyGood: [Int]
    ) -> String {
        guard let figures = candidate.figures else {
            return "not simulated: too few relay slots for the audience"
        }
        let violations = inputs.constraints.violations(of: figures).joined(separator: "; ")
        switch decision {
        case .recommended(index): return "recommended"
        case .unmet(closest: index): return "closest: " + violations
        default:
            if violations.isEmpty, equallyGood.contains(index) { return "meets limits; as good" }
            return violations.isEmpty ? "meets limits" : violations
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
            limits.append("interruptions per viewer-hour ≤ \(NumberFormat.shortest(rate))")
        }
        return """
            Audience: \(inputs.scenario.audience) viewers of a \(bitrateText(inputs.streamBitsPerSecond)) stream, \
            uplink headroom \(NumberFormat.shortest(inputs.headroom))
            Uplinks: \(classes.joined(separator: ", ")); \(percent(uplinks.relayingShare)) of viewers can relay
            Limits: \(limits.isEmpty ? "none" : limits.joined(separator: ", "))
            \(modelLine(inputs))
            """
    }

    /// Under the tree model, what its figures leave out; nothing under the full model.
    private static func modelLine(_ inputs: PlanInputs) -> String {
        guard inputs.model == .tree else { return "" }
        return "Model: the tree alone (--model tree): depth and interruptions only; no interrupted seconds, "
            + "continuity or protocol health\n"
    }

    private static func verdict(_ inputs: PlanInputs, candidates: [PlanCandidate], decision: PlanDecision) -> String {
        switch decision {
        case .recommended(let index):
            let candidate = candidates[index]
            return "Recommendation: \(candidate.summary)\n" + certainty(index, inputs: inputs, candidates: candidates)
                + expectations(candidate, inputs: inputs)
        case .unmet(let closest?):
            let candidate = candidates[closest]
            let misses = candidate.figures.map { inputs.constraints.violations(of: $0) } ?? []
            return "No candidate meets the limits. Closest: \(candidate.summary) "
                + "(\(misses.joined(separator: "; ")))\n" + expectations(candidate, inputs: inputs)
        case .unmet(nil):
            if inputs.uplinks.maxCapacity == 0 {
                return "No candidate: no viewer's uplink carries a copy of the stream, so nobody can relay.\n"
            }
            return "No candidate: at no fan-out do the viewers bring enough relay slots for "
                + "\(inputs.scenario.audience) viewers.\n"
        }
    }

    /// How sure the recommendation is: what its limits rest on, and which candidates were
    /// as good.
    private static func certainty(_ index: Int, inputs: PlanInputs, candidates: [PlanCandidate]) -> String {
        guard let figures = candidates[index].figures, figures.replicates > 1 else { return "" }
        let limits =
            inputs.constraints.isEmpty
            ? "" : "within every limit at the pessimistic end of its 95 % interval; "
        let others = PlanDecision.equallyGood(candidates, constraints: inputs.constraints).filter { $0 != index }
        let within = candidates.indices.filter { other in
            candidates[other].figures.map { inputs.constraints.excess(of: $0) == 0 } ?? false
        }
        let comparison =
            within == [index]
            ? "the only candidate within the limits"
            : others.isEmpty
                ? "measurably fewer interruptions, by more than 10 %, than every other candidate within the limits"
                : "as few interruptions as \(others.count) other candidate\(others.count == 1 ? "" : "s") (not "
                    + "measurably more than 10 % above the fewest; marked 'as good'), and the simplest of them"
        return "  Sure at 95 % over \(figures.replicates) replicates: \(limits)\(comparison).\n"
    }

    /// The table's heading: how the candidates ran.
    private static func runs(_ inputs: PlanInputs, replicates: Int, cap: Int) -> String {
        let seeds =
            replicates > 1
            ? "\(replicates) replicates each, up to \(cap) where a limit fell inside the interval, to compare the "
                + "candidates within the limits on the same seeds, or while a comparison was open; seed "
                + "\(inputs.scenario.seed) and seeds derived from it; ± is the 95 % confidence interval"
            : "seed \(inputs.scenario.seed)"
        return "Candidates (\(NumberFormat.shortest(inputs.scenario.duration)) simulated seconds per run, \(seeds)):\n"
    }

    /// The figures to expect from a candidate, a line each.
    private static func expectations(_ candidate: PlanCandidate, inputs: PlanInputs) -> String {
        guard let figures = candidate.figures else { return "" }
        func text(_ estimate: Estimate, places: Int) -> String {
            SimulationReport.FigureValue.estimate(estimate, places: places).text
        }
        let depthPlaces = figures.replicates > 1 ? 2 : 0
        let depthAndInterruptions = [
            ("tree height (levels)", text(figures.height, places: depthPlaces)),
            ("deepest viewer's depth", text(figures.deepestDepth, places: depthPlaces)),
            ("p99 depth", text(figures.p99Depth, places: depthPlaces)),
            ("interruptions per viewer-hour", text(figures.interruptionsPerViewerHour, places: 3)),
        ]
        var media: [(String, String)] = []
        if let seconds = figures.interruptedSecondsPerViewerHour {
            media.append(("interrupted seconds per viewer-hour", text(seconds, places: 2)))
        }
        if let continuity = figures.continuityIndex { media.append(("continuity index", text(continuity, places: 5))) }
        let upload = [
            (
                "broadcaster upload",
                "\(candidate.broadcasterFanout) stream\(candidate.broadcasterFanout == 1 ? "" : "s"), "
                    + bitrateText(inputs.streamBitsPerSecond * Double(candidate.broadcasterFanout))
            ),
            ("viewers that can relay", percent(inputs.uplinks.relayingShare)),
        ]
        let lines = depthAndInterruptions + media + upload
        let width = lines.map(\.0.count).max() ?? 0
        return lines.map { "  " + $0.0 + String(repeating: " ", count: width - $0.0.count + 2) + $0.1 + "\n" }
            .joined()
    }

    // MARK: JSON

    private static func json(
        _ inputs: PlanInputs, rows: [[Column]], decision: PlanDecision, replicates: Int, cap: Int
    ) -> JSONValue {
        func number(_ value: Double) -> JSONValue { .number(NumberFormat.shortest(value)) }
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
            JSONValue.object(row.map { column in .init(column.name, column.value?.jsonValue ?? .null) })
        }
        let chosen: (recommended: Int?, closest: Int?) =
            switch decision {
            case .recommended(let index): (index, nil)
            case .unmet(let closest): (nil, closest)
            }
        return .object([
            .init(
                "inputs",
                .object(
                    [
                        .init("audience", .int(inputs.scenario.audience)),
                        .init("streamBitsPerSecond", number(inputs.streamBitsPerSecond)),
                        .init("headroom", number(inputs.headroom)), .init("uplinks", .array(classes)),
                        .init("relayingShare", .number(NumberFormat.fixed(uplinks.relayingShare, places: 4))),
                        .init("maxDepth", optional(inputs.constraints.maxDepth.map(JSONValue.int))),
                        .init(
                            "maxInterruptionsPerViewerHour",
                            optional(inputs.constraints.maxInterruptionsPerViewerHour.map(number))),
                        .init("durationSeconds", number(inputs.scenario.duration)),
                        .init("seed", .number(String(inputs.scenario.seed))),
                        .init("replicates", .int(replicates)), .init("maxReplicates", .int(cap)),
                    ] + (inputs.model == .tree ? [.init("model", .string(inputs.model.rawValue))] : []) + [
                        .init("scenario", inputs.scenario.json),
                        .init("toolVersion", .string(ToolVersion.current)),
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
        NumberFormat.shortest((share * 1_000).rounded() / 10) + " %"
    }

    /// `2.5Mbps`, `800kbps`, `1200bps`, as the options read them.
    static func bitrateText(_ bitsPerSecond: Double) -> String {
        for (unit, scale) in [("Gbps", 1e9), ("Mbps", 1e6), ("kbps", 1e3)] where bitsPerSecond >= scale {
            return NumberFormat.shortest((bitsPerSecond / scale * 1_000).rounded() / 1_000) + unit
        }
        return NumberFormat.shortest(bitsPerSecond) + "bps"
    }
}
