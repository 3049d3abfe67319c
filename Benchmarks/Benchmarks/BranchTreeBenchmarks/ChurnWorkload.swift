import Benchmark
import BranchTree

/// A tree of `size` viewers and a deterministic stream of joins and leaves that keeps it
/// near that size.
///
/// Every batch of operations is generated *before* the timed region: fresh ids come from
/// a ``ViewerIDSource``, and a leaver is drawn uniformly from the viewers present, with
/// ``Xoshiro256StarStar`` (never the standard library's generator, never a `Dictionary`'s
/// or `Set`'s iteration order). The workload mirrors who is present in its own array, so
/// generating a batch never asks the tree anything.
///
/// A class because the benchmark's setup, measured closure and teardown share it; the
/// tree is moved out of it for the timed loop, so the loop mutates a local value with no
/// class-property access and no copy-on-write.
final class ChurnWorkload {
    let policy: Policy
    let size: Int
    private var tree: BranchTree?
    /// The viewers in the tree, in an order only this workload decides.
    private var present: [ViewerID]
    private var random: Xoshiro256StarStar
    private var idSource: ViewerIDSource
    /// The current batch, generated untimed.
    private var joins: [ViewerID] = []
    private var leaves: [ViewerID] = []
    private var operations: [TreeOperation] = []

    /// Builds a tree of `size` viewers (fan-out 3), then churns it with `size` mixed
    /// operations so that the measured operations start from a tree shaped by departures
    /// and repairs, not from the perfect shape of a join-only build.
    init(policy: Policy, size: Int, idStyle: ViewerIDSource.Style = .short, seed: UInt64 = 0xB7A1_C4EE)
        throws(BranchTreeError)
    {
        self.policy = policy
        self.size = size
        self.random = Xoshiro256StarStar(seed: seed)
        self.idSource = ViewerIDSource(style: idStyle, seed: seed &+ 1)
        var tree = try BranchTree(fanout: 3, policy: policy)
        present = []
        present.reserveCapacity(size + 1)
        for _ in 0..<size {
            let id = idSource.next()
            try tree.join(id)
            present.append(id)
        }
        self.tree = tree
        try churn(operations: size)
    }

    /// The viewers in the tree now (the tree's own count, as a cross-check).
    var viewerCount: Int { tree?.count ?? 0 }

    // MARK: Generating batches (untimed)

    /// `count` fresh ids to join, recorded as present.
    func prepareJoins(_ count: Int) {
        joins.removeAll(keepingCapacity: true)
        for _ in 0..<count {
            let id = idSource.next()
            joins.append(id)
            present.append(id)
        }
    }

    /// `count` leavers, each drawn uniformly from the viewers present at its turn.
    func prepareLeaves(_ count: Int) {
        leaves.removeAll(keepingCapacity: true)
        for _ in 0..<count { leaves.append(drawLeaver()) }
    }

    /// `count` operations alternating leave (a uniformly random present viewer) and join
    /// (a fresh id), so the size stays within one of `size`.
    func prepareMix(_ count: Int) {
        operations.removeAll(keepingCapacity: true)
        for index in 0..<count {
            if index.isMultiple(of: 2) {
                operations.append(.leave(drawLeaver()))
            } else {
                let id = idSource.next()
                present.append(id)
                operations.append(.join(id))
            }
        }
    }

    private func drawLeaver() -> ViewerID {
        let index = random.next(below: present.count)
        present.swapAt(index, present.count - 1)
        return present.removeLast()
    }

    // MARK: Applying batches

    /// Joins the prepared batch; times exactly the joins when given a benchmark.
    func applyJoins(measuring benchmark: Benchmark? = nil) throws(BranchTreeError) {
        let joins = self.joins
        var tree = self.tree.take()!
        defer { self.tree = tree }
        benchmark?.startMeasurement()
        for id in joins { try tree.join(id) }
        benchmark?.stopMeasurement()
    }

    /// Removes the prepared leavers; times exactly the leaves when given a benchmark.
    func applyLeaves(measuring benchmark: Benchmark? = nil) throws(BranchTreeError) {
        let leaves = self.leaves
        var tree = self.tree.take()!
        defer { self.tree = tree }
        benchmark?.startMeasurement()
        for id in leaves { try tree.leave(id) }
        benchmark?.stopMeasurement()
    }

    /// Applies the prepared mix; times exactly the operations when given a benchmark.
    func applyMix(measuring benchmark: Benchmark? = nil) throws(BranchTreeError) {
        let operations = self.operations
        var tree = self.tree.take()!
        defer { self.tree = tree }
        benchmark?.startMeasurement()
        for operation in operations { try tree.apply(operation) }
        benchmark?.stopMeasurement()
    }

    /// Untimed mixed churn, in batches.
    func churn(operations count: Int) throws(BranchTreeError) {
        var remaining = count
        while remaining > 0 {
            let batch = Swift.min(remaining, 10_000)
            prepareMix(batch)
            try applyMix()
            remaining -= batch
        }
    }
}
