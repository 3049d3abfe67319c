/// How `run` and `sweep` print their results.
package enum ReportFormat: String, Sendable, Hashable, CaseIterable {
    /// Aligned text for people.
    case table
    /// One JSON object (one per point for a sweep, in an array).
    case json
    /// A header line and one row per run.
    case csv
}
