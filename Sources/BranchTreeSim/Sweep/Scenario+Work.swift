extension Scenario {
    /// A rough measure of a run's work, in events, for starting the biggest runs of a
    /// batch first: the warm-start tree plus an arrival and a departure per viewer that
    /// arrives during the run.
    ///
    /// - Complexity: O(1)
    package var estimatedWork: Double {
        let meanSession = sessions.mean
        let audienceRate = meanSession.isFinite && meanSession > 0 ? Double(audience) / meanSession : 0
        let warm = warmStart ? Double(audience) : 0
        return warm + 2 * (arrivalRate ?? audienceRate) * duration
    }
}
