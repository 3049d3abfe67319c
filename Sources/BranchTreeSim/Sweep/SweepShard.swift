/// `--shard I/N`: the share of a sweep's points one machine runs, so that a cluster's
/// scheduler (a Slurm job array, a Kubernetes Indexed Job) can run a sweep as N jobs.
///
///     let shard = SweepShard(index: 2, count: 4)
///     shard.contains(point: 5)   // true: points 1, 5, 9, … are shard 2's
///
/// Points are dealt round-robin in grid order — shard I takes the points whose index is
/// I − 1 modulo N — so that the big and small points of a grid spread evenly.
package struct SweepShard: Sendable, Hashable {
    /// Which shard, from 1.
    package var index: Int
    /// How many shards.
    package var count: Int

    /// - Precondition: 1 ≤ `index` ≤ `count`.
    package init(index: Int, count: Int) {
        precondition(1 <= index && index <= count, "a shard is one of 1...count")
        self.index = index
        self.count = count
    }

    /// Whether the point with this index (in grid order, from 0) is this shard's.
    /// - Complexity: O(1)
    package func contains(point: Int) -> Bool {
        point % count == index - 1
    }

    /// `2/4`.
    package var text: String { "\(index)/\(count)" }
}

extension ValueParser where Value == SweepShard {
    /// `I/N` with 1 ≤ I ≤ N ≤ 100,000.
    package static var shard: ValueParser<SweepShard> {
        ValueParser(expectation: "I/N with 1 <= I <= N <= 100000, e.g. 2/4") { text in
            let parts = text.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]),
                1 <= index, index <= count, count <= 100_000
            else { return nil }
            return SweepShard(index: index, count: count)
        }
    }
}
