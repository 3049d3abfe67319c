import BranchTree

extension ArrivalProcess {
    /// From `start` on (until the next segment's start), viewers arrive at `ratePerSecond`.
    ///
    ///     // 100 joins/s for ten minutes, then 400/s.
    ///     let segments: [ArrivalProcess.RateSegment] = [
    ///         .init(start: .zero, ratePerSecond: 100),
    ///         .init(start: .seconds(600), ratePerSecond: 400),
    ///     ]
    package struct RateSegment: Sendable, Hashable, Codable {
        /// When the rate takes effect.
        package var start: Timestamp
        /// Expected arrivals per second; zero pauses arrivals.
        package var ratePerSecond: Double

        package init(start: Timestamp, ratePerSecond: Double) {
            self.start = start
            self.ratePerSecond = ratePerSecond
        }
    }
}
