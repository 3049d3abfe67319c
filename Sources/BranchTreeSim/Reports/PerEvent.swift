/// A per-event figure in a report (per departure, per session): one run's events, or
/// over replicates the distribution pooled from all of theirs. Printed with two places.
///
///     let figure = PerEvent.run(summaryOfOneRun)
///     PerEvent.combining([figure, another]).distribution.mean   // the replicates' mean ± interval
package enum PerEvent: Sendable, Hashable {
    /// One run's events.
    case run(QuantileSummary)
    /// Over replicates: the interval of their means, percentiles pooled over all events.
    case replicates(Distribution)

    /// The decimal places every per-event figure is printed with.
    package static let places = 2

    /// Its mean (with the interval over replicates), median, 99th percentile and maximum.
    ///
    /// - Complexity: O(buckets) for one run, O(1) over replicates
    package var distribution: Distribution {
        switch self {
        case .run(let summary): Distribution(summary)
        case .replicates(let distribution): distribution
        }
    }

    /// One figure over replicates, in replicate order: the runs' events pooled.
    ///
    /// - Precondition: `figures` is not empty and each is of one run.
    /// - Complexity: O(figures × buckets)
    package static func combining(_ figures: [PerEvent]) -> PerEvent {
        .replicates(
            Distribution(
                pooling: figures.map { figure in
                    guard case .run(let summary) = figure else { preconditionFailure("combining combined figures") }
                    return summary
                }))
    }
}
