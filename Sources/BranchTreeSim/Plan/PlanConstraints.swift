/// The limits `plan` must respect: on depth and on interruptions per viewer-hour, held
/// against the pessimistic end of each figure's 95 % interval.
///
///     let limits = PlanConstraints(maxDepth: 8, maxInterruptionsPerViewerHour: 2)
///     limits.violations(of: figures)   // ["depth 11 > 8"] or []
///
/// Depth counts as ``BranchTree`` does: first viewers are at depth 0, so a viewer at
/// depth d receives the stream through d relaying viewers. The limit applies to the
/// deepest viewer at the end of the simulated run.
package struct PlanConstraints: Sendable, Hashable {
    package var maxDepth: Int?
    package var maxInterruptionsPerViewerHour: Double?

    package init(maxDepth: Int? = nil, maxInterruptionsPerViewerHour: Double? = nil) {
        self.maxDepth = maxDepth
        self.maxInterruptionsPerViewerHour = maxInterruptionsPerViewerHour
    }

    /// Whether there is any limit.
    package var isEmpty: Bool { maxDepth == nil && maxInterruptionsPerViewerHour == nil }

    /// Each limit the pessimistic end of `figures` exceeds, as text: `depth 11 > 8`,
    /// `interruptions/h 2.310 > 2` (over replicates: `depth up to 11.42 > 8`).
    ///
    /// - Complexity: O(1)
    package func violations(of figures: PlanFigures) -> [String] {
        var result: [String] = []
        let bound = figures.replicates > 1 ? " up to " : " "
        if let maxDepth, figures.deepestDepth.upper > Double(maxDepth) {
            let places = figures.replicates > 1 ? 2 : 0
            result.append(
                "depth\(bound)\(NumberFormat.fixed(figures.deepestDepth.upper, places: places)) > \(maxDepth)")
        }
        if let limit = maxInterruptionsPerViewerHour, figures.interruptionsPerViewerHour.upper > limit {
            result.append(
                "interruptions/h\(bound)\(NumberFormat.fixed(figures.interruptionsPerViewerHour.upper, places: 3)) > "
                    + NumberFormat.shortest(limit))
        }
        return result
    }

    /// How far the pessimistic end of `figures` is from meeting the limits: the sum over the
    /// limits exceeded of the excess relative to the limit (a limit of 0 counts as 1 depth
    /// level or 0.001 interruptions per hour); 0 when every limit is met.
    ///
    /// - Complexity: O(1)
    package func excess(of figures: PlanFigures) -> Double {
        var total = 0.0
        if let maxDepth, figures.deepestDepth.upper > Double(maxDepth) {
            total += (figures.deepestDepth.upper - Double(maxDepth)) / Double(max(maxDepth, 1))
        }
        if let limit = maxInterruptionsPerViewerHour, figures.interruptionsPerViewerHour.upper > limit {
            total += (figures.interruptionsPerViewerHour.upper - limit) / max(limit, 0.001)
        }
        return total
    }

    /// Whether a limit lies inside one of the intervals of `figures`: more replicates could
    /// put the candidate on either side of it.
    ///
    /// - Complexity: O(1)
    package func isUndecided(_ figures: PlanFigures) -> Bool {
        if let maxDepth, figures.deepestDepth.straddles(Double(maxDepth)) { return true }
        if let limit = maxInterruptionsPerViewerHour, figures.interruptionsPerViewerHour.straddles(limit) {
            return true
        }
        return false
    }
}
