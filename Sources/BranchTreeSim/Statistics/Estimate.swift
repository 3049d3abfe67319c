/// A figure measured over independent replicates: their mean and its 95 % confidence
/// interval (Student t), the form in which `run`, `sweep` and `plan` report every metric
/// when they run more than one seed.
///
///     let estimate = Estimate(samples: [39.1, 41.3, 40.2, 38.8, 40.6])
///     estimate.mean         // 40.0
///     estimate.halfWidth    // 1.29: t₀.₉₇₅(4) 2.7764 × s 1.0416 ÷ √5
///     estimate.upper        // 41.29, what plan compares with an upper limit
///
/// The interval says where the figure's expectation (over seeds) lies, not where one
/// broadcast's figure will fall: one night is one draw, and varies more. One sample gives
/// a zero-width interval at that value (nothing to say about spread).
package struct Estimate: Sendable, Hashable {
    /// The mean of the samples.
    package var mean: Double
    /// Half the width of the 95 % interval: t₀.₉₇₅(n − 1) × s ÷ √n.
    package var halfWidth: Double
    /// How many samples (replicates) it rests on.
    package var count: Int

    package init(mean: Double, halfWidth: Double, count: Int) {
        self.mean = mean
        self.halfWidth = halfWidth
        self.count = count
    }

    /// The estimate from `samples`, summed in order (so the same samples give the same bits).
    ///
    /// - Precondition: `samples` is not empty.
    /// - Complexity: O(samples)
    package init(samples: [Double]) {
        precondition(!samples.isEmpty, "an estimate needs a sample")
        let n = Double(samples.count)
        let mean = samples.reduce(0, +) / n
        guard samples.count > 1 else {
            self.init(mean: mean, halfWidth: 0, count: 1)
            return
        }
        let squares = samples.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        let standardError = (squares / (n - 1)).squareRoot() / n.squareRoot()
        self.init(
            mean: mean, halfWidth: StudentT.twoSided95(degreesOfFreedom: samples.count - 1) * standardError,
            count: samples.count)
    }

    /// The low end of the interval.
    package var lower: Double { mean - halfWidth }
    /// The high end of the interval.
    package var upper: Double { mean + halfWidth }

    /// Whether `value` lies strictly inside the interval: more replicates could put the
    /// expectation on either side of it.
    package func straddles(_ value: Double) -> Bool { lower < value && value < upper }
}
