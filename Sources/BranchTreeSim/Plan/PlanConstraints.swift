/// The limits `plan` must respect: on depth and on interruptions per viewer-hour.
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

    /// Each limit `figures` exceed, as text: `depth 11 > 8`, `interruptions/h 2.310 > 2`.
    ///
    /// - Complexity: O(1)
    package func violations(of figures: PlanFigures) -> [String] {
        var result: [String] = []
        if let maxDepth, figures.deepestDepth > maxDepth {
            result.append("depth \(figures.deepestDepth) > \(maxDepth)")
        }
        if let limit = maxInterruptionsPerViewerHour, figures.interruptionsPerViewerHour > limit {
            result.append(
                "interruptions/h \(FixedDecimal.format(figures.interruptionsPerViewerHour, places: 3)) > "
                    + Scenario.numberText(limit))
        }
        return result
    }

    /// How far `figures` are from meeting the limits: the sum over the limits exceeded of
    /// the excess relative to the limit (a limit of 0 counts as 1 depth level or 0.001
    /// interruptions per hour); 0 when every limit is met.
    ///
    /// - Complexity: O(1)
    package func excess(of figures: PlanFigures) -> Double {
        var total = 0.0
        if let maxDepth, figures.deepestDepth > maxDepth {
            total += Double(figures.deepestDepth - maxDepth) / Double(max(maxDepth, 1))
        }
        if let limit = maxInterruptionsPerViewerHour, figures.interruptionsPerViewerHour > limit {
            total += (figures.interruptionsPerViewerHour - limit) / max(limit, 0.001)
        }
        return total
    }
}
