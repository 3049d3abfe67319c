extension Scenario {
    /// Bytes a run holds per viewer present, fitted to `/usr/bin/time -v` (maximum
    /// resident size of release builds, 60-second runs of 10⁵–10⁶ viewers, less the
    /// process's own ``MemoryCheck/processBytes``): 1,060–1,180 at fan-outs 1 to 8 — the
    /// viewer's record and protocol machine, its place in the tree, its events and
    /// messages in flight, and the slack of arrays grown by doubling — and about 16 more
    /// per unit of fan-out above 8 (1,940–2,070 at 64). Restarts add 15–46 % (a saved
    /// copy of the tree, and every viewer's messages in flight at once), so half as much
    /// again.
    ///
    /// - Complexity: O(1)
    package var estimatedBytesPerViewer: Double {
        let steady = 1_200 + 16 * Double(Swift.max(0, fanout - 8))
        return restarts.isEmpty ? steady : steady * 1.5
    }

    /// The most viewers present at once, estimated from the workload before the run.
    ///
    /// Arrivals at the base rate keep the warm start's audience (Little's law) or, from a
    /// cold start, build up to rate × the mean stay within the duration. Each rate change
    /// above the base, and a flash crowd, adds the viewers its extra arrivals bring while
    /// it lasts (the M/G/∞ queue: extra rate × ``SessionLengthDistribution/meanStay(upTo:)``
    /// of its span) — an upper bound, since some of them leave before the next peak.
    ///
    /// - Complexity: O(r log r) for r rate changes
    package var estimatedPeakViewers: Double {
        let base = arrivalRate ?? ArrivalProcess.rate(forAudience: audience, meanSession: sessions.mean)
        var viewers = Swift.max(warmStart ? Double(audience) : 0, base * sessions.meanStay(upTo: duration))
        // Pareto inter-arrival times keep the base rate throughout (see `arrivalProcess()`).
        guard !heavyTailedArrivals else { return viewers }
        let changes = rateChanges.filter { $0.at < duration }.sorted { $0.at < $1.at }
        for (index, change) in changes.enumerated() where change.rate > base {
            let end = index + 1 < changes.count ? changes[index + 1].at : duration
            viewers += (change.rate - base) * sessions.meanStay(upTo: end - change.at)
        }
        if let flashCrowd, flashCrowd.multiplier > 1 {
            let seconds = Swift.min(flashCrowd.duration.secondsDouble, duration)
            let fastest = changes.filter { $0.at < seconds }.map(\.rate).reduce(base, Swift.max)
            viewers += (flashCrowd.multiplier - 1) * fastest * sessions.meanStay(upTo: seconds)
        }
        return viewers
    }

    /// The memory a run of this scenario holds at its peak, estimated: peak viewers ×
    /// bytes per viewer (the process itself aside).
    ///
    /// - Complexity: O(r log r) for r rate changes
    package var estimatedMemoryBytes: Double {
        estimatedPeakViewers * estimatedBytesPerViewer
    }
}
