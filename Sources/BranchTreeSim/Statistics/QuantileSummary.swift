/// A running summary of a non-negative quantity — count, mean, maximum and percentiles —
/// in constant memory, for metrics recorded millions of times (one per departure).
///
///     var latency = QuantileSummary()
///     latency.record(1.5)
///     latency.record(3.0)
///     latency.percentile(0.5)   // 1.5 (within 1/64 relative)
///
/// Values are counted in log-linear buckets of `resolution`: multiples of it below 128
/// exactly, larger values with a relative error below 1/64. With the default resolution 1
/// p50 and p99 are exact for small counts (the number of interrupted viewers of a
/// departure); give seconds a resolution of 0.001 (milliseconds). `count`, `mean` and
/// `max` are exact.
package struct QuantileSummary: Sendable, Hashable {
    /// Buckets per power of two above the exact range.
    private static let subBuckets = 64
    private static let exactLimit = 128

    private var buckets: [UInt64] = []
    package private(set) var count: UInt64 = 0
    package private(set) var sum: Double = 0
    package private(set) var max: Double = 0
    /// The unit values are bucketed in.
    package let resolution: Double

    package init(resolution: Double = 1) {
        precondition(resolution > 0 && resolution.isFinite, "resolution must be positive")
        self.resolution = resolution
    }

    /// Records one value; negative and non-finite values are recorded as 0.
    /// - Complexity: O(1) amortized
    package mutating func record(_ value: Double) {
        let value = value.isFinite && value > 0 ? value : 0
        let bucket = Self.bucket(of: value / resolution)
        if bucket >= buckets.count { buckets.append(contentsOf: repeatElement(0, count: bucket + 1 - buckets.count)) }
        buckets[bucket] += 1
        count += 1
        sum += value
        if value > max { max = value }
    }

    /// The summary that counted `occupiedBuckets`: what ``occupiedBuckets``, ``sum``,
    /// ``max`` and ``resolution`` of a summary give back, so that it can be stored and read.
    /// Nil when they cannot be one summary's: a resolution that is not positive and finite,
    /// buckets out of order, out of range or empty, or a sum or maximum that is negative or
    /// not finite.
    ///
    /// - Complexity: O(highest bucket)
    package init?(resolution: Double, sum: Double, max: Double, occupiedBuckets: [(bucket: Int, count: UInt64)]) {
        guard resolution > 0, resolution.isFinite, sum >= 0, sum.isFinite, max >= 0, max.isFinite else { return nil }
        self.init(resolution: resolution)
        for (bucket, count) in occupiedBuckets {
            guard bucket >= buckets.count, bucket <= Self.bucket(of: .greatestFiniteMagnitude), count > 0 else {
                return nil
            }
            let (total, overflow) = self.count.addingReportingOverflow(count)
            guard !overflow else { return nil }
            buckets.append(contentsOf: repeatElement(0, count: bucket - buckets.count))
            buckets.append(count)
            self.count = total
        }
        self.sum = sum
        self.max = max
    }

    /// Every bucket that holds values, in bucket order, with how many it holds.
    ///
    /// - Complexity: O(buckets)
    package var occupiedBuckets: [(bucket: Int, count: UInt64)] {
        buckets.enumerated().filter { $0.element > 0 }.map { ($0.offset, $0.element) }
    }

    /// Adds every value recorded in `other`.
    /// - Complexity: O(buckets)
    package mutating func merge(_ other: QuantileSummary) {
        precondition(other.resolution == resolution, "merging summaries of different resolutions")
        if other.buckets.count > buckets.count {
            buckets.append(contentsOf: repeatElement(0, count: other.buckets.count - buckets.count))
        }
        for (index, value) in other.buckets.enumerated() { buckets[index] += value }
        count += other.count
        sum += other.sum
        max = Swift.max(max, other.max)
    }

    /// The mean, 0 when nothing was recorded.
    package var mean: Double { count == 0 ? 0 : sum / Double(count) }

    /// The smallest recorded value v (to the bucket's precision) such that at least a
    /// share `p` of the values are ≤ v; 0 when nothing was recorded.
    /// - Complexity: O(buckets)
    package func percentile(_ p: Double) -> Double {
        guard count > 0 else { return 0 }
        let rank = Swift.max(1, UInt64((p * Double(count)).rounded(.up)))
        var seen: UInt64 = 0
        for (bucket, n) in buckets.enumerated() where n > 0 {
            seen += n
            if seen >= rank { return Swift.min(Self.representative(of: bucket) * resolution, max) }
        }
        return max
    }

    /// Integers below `exactLimit` get a bucket each; above, each power of two is split
    /// into `subBuckets` equal parts.
    private static func bucket(of value: Double) -> Int {
        if value < Double(exactLimit) { return Int(value) }
        let exponent = Int(value.exponent)  // value in [2^e, 2^(e+1))
        let base = Double(sign: .plus, exponent: exponent, significand: 1)
        let sub = Swift.min(subBuckets - 1, Int((value - base) / base * Double(subBuckets)))
        return exactLimit + (exponent - 7) * subBuckets + sub
    }

    /// The lower bound of a bucket: the value reported for everything in it.
    private static func representative(of bucket: Int) -> Double {
        if bucket < exactLimit { return Double(bucket) }
        let offset = bucket - exactLimit
        let exponent = offset / subBuckets + 7
        let base = Double(sign: .plus, exponent: exponent, significand: 1)
        return base + base * Double(offset % subBuckets) / Double(subBuckets)
    }
}
