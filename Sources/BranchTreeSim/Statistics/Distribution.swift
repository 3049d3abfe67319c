/// A per-event figure as reported: its mean and three points of its distribution. From one
/// run the mean is exact; over replicates it is the replicates' mean with its 95 %
/// interval, and p50, p99 and max are of every event of every replicate pooled.
///
///     let one = Distribution(summary)                         // mean.count == 1
///     let pooled = Distribution(pooling: [summaryA, summaryB])  // mean ± t × s ÷ √2
package struct Distribution: Sendable, Hashable {
    package var mean: Estimate
    package var p50: Double
    package var p99: Double
    package var max: Double

    package init(mean: Estimate, p50: Double, p99: Double, max: Double) {
        self.mean = mean
        self.p50 = p50
        self.p99 = p99
        self.max = max
    }

    /// One run's distribution.
    /// - Complexity: O(buckets)
    package init(_ summary: QuantileSummary) {
        self.init(pooling: [summary])
    }

    /// Replicates' distributions: the interval from each replicate's mean, the percentiles
    /// and maximum from all their values together.
    ///
    /// - Precondition: `summaries` is not empty and shares one resolution.
    /// - Complexity: O(summaries × buckets)
    package init(pooling summaries: [QuantileSummary]) {
        precondition(!summaries.isEmpty, "a distribution needs a run")
        var pooled = QuantileSummary(resolution: summaries[0].resolution)
        for summary in summaries { pooled.merge(summary) }
        self.init(
            mean: Estimate(samples: summaries.map(\.mean)), p50: pooled.percentile(0.5), p99: pooled.percentile(0.99),
            max: pooled.max)
    }
}
