import BranchTree

extension ArrivalProcess {
    /// A rush at the start of a broadcast: the arrival rate is multiplied by `multiplier`
    /// for the first `duration` of the process (from the first segment's start).
    ///
    ///     let rush = ArrivalProcess.FlashCrowd(multiplier: 20, duration: .seconds(60))
    package struct FlashCrowd: Sendable, Hashable, Codable {
        /// The factor on the arrival rate during the rush.
        package var multiplier: Double
        /// How long the rush lasts.
        package var duration: Duration

        package init(multiplier: Double, duration: Duration) {
            self.multiplier = multiplier
            self.duration = duration
        }

        /// Ten times the rate for the first five minutes (the literature reports × 10–20
        /// for the first 1–5 min).
        // Source: Li et al., GLOBECOM 2008; 2018 World Cup vendor reports.
        package static let `default` = FlashCrowd(multiplier: 10, duration: .seconds(300))

        /// Throws unless `multiplier` is positive and finite and `duration` positive.
        ///
        /// - Complexity: O(1)
        package func validate() throws(WorkloadError) {
            try WorkloadError.requirePositive(multiplier, "flash crowd multiplier")
            guard duration > .zero else {
                throw WorkloadError(parameter: "flash crowd duration", problem: "must be positive, got \(duration)")
            }
        }

        /// `duration` in whole nanoseconds, clamped to `Int64`.
        var durationNanoseconds: Int64 { duration.nanosecondsClamped }
    }
}
