/// What one simulated candidate of `plan` is expected to give: the figures the
/// recommendation quotes, read from its ``SimulationReport`` as printed (decimals rounded
/// to the report's places, so decisions use exactly the numbers shown).
///
///     let figures = try PlanFigures(report: report)
///     figures.deepestDepth     // height − 1: relaying viewers above the deepest viewer
package struct PlanFigures: Sendable, Hashable {
    /// The tree's levels at the end of the run.
    package var height: Int
    /// The depth 99 % of viewers are at or above (first viewers: depth 0).
    package var p99Depth: Int
    package var interruptionsPerViewerHour: Double
    package var interruptedSecondsPerViewerHour: Double
    /// Seconds with media ÷ seconds present (the wait for the first frame counts as
    /// without).
    package var continuityIndex: Double
    package var broadcasterUploadStreams: Int
    /// Viewers without a stream at the end (protocol health: must be 0).
    package var strandedViewers: Int

    package init(
        height: Int, p99Depth: Int, interruptionsPerViewerHour: Double, interruptedSecondsPerViewerHour: Double,
        continuityIndex: Double, broadcasterUploadStreams: Int, strandedViewers: Int = 0
    ) {
        self.height = height
        self.p99Depth = p99Depth
        self.interruptionsPerViewerHour = interruptionsPerViewerHour
        self.interruptedSecondsPerViewerHour = interruptedSecondsPerViewerHour
        self.continuityIndex = continuityIndex
        self.broadcasterUploadStreams = broadcasterUploadStreams
        self.strandedViewers = strandedViewers
    }

    /// The figures of a report.
    /// - Precondition: the report has every figure (every ``Simulation`` report does).
    package init(report: SimulationReport) {
        // Exactly the printed digits.
        func number(_ section: String, _ name: String) -> Double {
            guard let text = report.figure(section, name)?.text, let value = Double(text) else {
                preconditionFailure("the report has no number \(section).\(name)")
            }
            return value
        }
        self.init(
            height: Int(number("tree", "height")), p99Depth: Int(number("tree", "p99Depth")),
            interruptionsPerViewerHour: number("perViewer", "interruptionsPerViewerHour"),
            interruptedSecondsPerViewerHour: number("perViewer", "interruptedViewerSecondsPerViewerHour"),
            continuityIndex: number("perViewer", "continuityIndex"),
            broadcasterUploadStreams: Int(number("tree", "broadcasterUploadStreams")),
            strandedViewers: Int(number("protocol", "strandedViewers")))
    }

    /// The depth of the deepest viewer: the number of relaying viewers above it.
    package var deepestDepth: Int { max(0, height - 1) }
}
