/// What one simulated candidate of `plan` is expected to give: the figures the
/// recommendation quotes, each the replicates' mean with its 95 % interval, read from the
/// combined ``SimulationReport``'s typed figures as printed (rounded to the report's
/// places, so decisions use exactly the numbers shown).
///
///     let figures = PlanFigures(report: SimulationReport.combining(replicates))
///     figures.interruptionsPerViewerHour.upper   // what a limit is held against
///     figures.deepestDepth.upper                 // height − 1: relaying viewers above the deepest viewer
package struct PlanFigures: Sendable, Hashable {
    /// The tree's levels at the end of the run.
    package var height: Estimate
    /// The depth 99 % of viewers are at or above (first viewers: depth 0).
    package var p99Depth: Estimate
    package var interruptionsPerViewerHour: Estimate
    /// Seconds without media per viewer-hour; nil from the tree model, which has no time
    /// without media (repairs are instant).
    package var interruptedSecondsPerViewerHour: Estimate?
    /// Seconds with media ÷ seconds present (the wait for the first frame counts as
    /// without); nil from the tree model.
    package var continuityIndex: Estimate?
    /// The broadcaster's children: its upload is this many copies of the stream.
    package var broadcasterUploadStreams: Estimate
    /// Viewers without a stream at the end (protocol health: must be 0); nil from the
    /// tree model, which has no protocol.
    package var strandedViewers: Estimate?
    /// Each replicate's interruptions per viewer-hour, in replicate order: candidates run
    /// the same seeds, so they are compared pair by pair (``PlanDecision``).
    package var interruptionSamples: [Double]

    package init(
        height: Estimate, p99Depth: Estimate, interruptionsPerViewerHour: Estimate,
        interruptedSecondsPerViewerHour: Estimate?, continuityIndex: Estimate?, broadcasterUploadStreams: Estimate,
        strandedViewers: Estimate?
    ) {
        self.height = height
        self.p99Depth = p99Depth
        self.interruptionsPerViewerHour = interruptionsPerViewerHour
        self.interruptedSecondsPerViewerHour = interruptedSecondsPerViewerHour
        self.continuityIndex = continuityIndex
        self.broadcasterUploadStreams = broadcasterUploadStreams
        self.strandedViewers = strandedViewers
        self.interruptionSamples = [interruptionsPerViewerHour.mean]
    }

    /// Figures of one run (intervals of zero width), for tests and examples.
    package init(
        height: Int, p99Depth: Int, interruptionsPerViewerHour: Double, interruptedSecondsPerViewerHour: Double,
        continuityIndex: Double, broadcasterUploadStreams: Int, strandedViewers: Int = 0
    ) {
        func exact(_ value: Double) -> Estimate { Estimate(mean: value, halfWidth: 0, count: 1) }
        self.init(
            height: exact(Double(height)), p99Depth: exact(Double(p99Depth)),
            interruptionsPerViewerHour: exact(interruptionsPerViewerHour),
            interruptedSecondsPerViewerHour: exact(interruptedSecondsPerViewerHour),
            continuityIndex: exact(continuityIndex), broadcasterUploadStreams: exact(Double(broadcasterUploadStreams)),
            strandedViewers: exact(Double(strandedViewers)))
    }

    /// The figures of replicate reports (of one scenario, in replicate order), combined.
    ///
    /// - Precondition: `replicates` is not empty; every report has every figure.
    /// - Complexity: O(replicates × figures)
    package init(replicates: [SimulationReport]) {
        self.init(report: SimulationReport.combining(replicates))
        interruptionSamples = replicates.map { PlanFigures(report: $0).interruptionsPerViewerHour.mean }
    }

    /// The figures of a report, of one run or combined over replicates (without samples
    /// of the replicates, which ``init(replicates:)`` keeps), each as printed
    /// (``Measure/shown``); those the tree model does not report are nil.
    ///
    /// - Complexity: O(1)
    package init(report: SimulationReport) {
        self.init(
            height: report.tree.height.shown, p99Depth: report.tree.p99Depth.shown,
            interruptionsPerViewerHour: report.perViewer.interruptionsPerViewerHour.shown,
            interruptedSecondsPerViewerHour: report.perViewer.interruptedViewerSecondsPerViewerHour?.shown,
            continuityIndex: report.perViewer.continuityIndex?.shown,
            broadcasterUploadStreams: report.tree.broadcasterUploadStreams.shown,
            strandedViewers: report.protocolHealth?.strandedViewers.shown)
    }

    /// The depth of the deepest viewer: the number of relaying viewers above it.
    package var deepestDepth: Estimate {
        Estimate(mean: max(0, height.mean - 1), halfWidth: height.halfWidth, count: height.count)
    }

    /// How many replicates the figures rest on.
    package var replicates: Int { interruptionsPerViewerHour.count }
}
