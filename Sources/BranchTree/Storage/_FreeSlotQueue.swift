import _BranchTreePrefetch

/// The nodes with a free relay slot, the one with the smallest key first: a run of
/// entries appended in increasing key order, and an indexed heap for the others.
///
/// Add-branch fills the first free node in level order, and a new viewer joins at the
/// end of the deepest level, which makes most insertions the largest key so far and most
/// removals the smallest. The run takes those in O(1): an entry whose key is above every
/// key the run has taken joins its end, the front leaves when its node fills, and a
/// removal elsewhere leaves a tombstone that the front skips (the run drops its
/// tombstones once they outnumber its live entries). Only the nodes that regain a free
/// slot out of order (a leaver's parent, a migrating tail's old parent) go to the heap,
/// which holds the holes of the upper levels rather than every leaf. In a single heap
/// every join that filled a node sifted the whole heap's depth, writing a position into
/// a node at each level.
///
/// A node that regains a free slot with a key below the heap's top (a migrating tail's
/// old parent, near the front of its level) goes to a short sorted *front* instead: the
/// next join fills it at once, and in the heap it would have sifted up through every
/// level and back down, writing a position into a node at each (at 10⁶ viewers, a cache
/// miss each).
///
/// Each node records where it is in `freeHeapPosition`: a heap index (0 or more), `-2 - i`
/// for index `i` of the run, or `Int32.min + j` for index `j` of the front. Keys must be
/// distinct.
struct _FreeSlotQueue {
    typealias Entry = _NodeHeap<_FreeHeapField>.Entry

    /// The entries inserted out of key order.
    private(set) var heap = _NodeHeap<_FreeHeapField>()
    /// Entries in increasing key order; those before `runStart` and the removed ones
    /// (node `_Node.none`) are tombstones. The entry at `runStart` is live unless the
    /// run is empty.
    private(set) var run: [Entry] = []
    private(set) var runStart = 0
    /// The live entries of the run.
    private(set) var runCount = 0
    /// Entries that were below the heap's top when inserted, in decreasing key order (the
    /// smallest last); at most ``frontCapacity``.
    private(set) var front: [Entry] = []

    /// The most entries the front holds: beyond it, its largest goes to the heap.
    static var frontCapacity: Int { 8 }

    var isEmpty: Bool { runCount == 0 && heap.isEmpty && front.isEmpty }
    var count: Int { runCount + heap.count + front.count }

    /// The entry with the smallest key.
    /// - Complexity: O(1)
    var first: Entry? {
        var best = front.last
        if runCount > 0, best.map({ run[runStart].key < $0.key }) ?? true { best = run[runStart] }
        if let top = heap.first, best.map({ top.key < $0.key }) ?? true { best = top }
        return best
    }

    @inline(__always)
    private static func runPosition(_ index: Int) -> Int32 { Int32(truncatingIfNeeded: -2 &- index) }

    @inline(__always)
    private static func runIndex(_ position: Int32) -> Int { -2 &- Int(position) }

    @inline(__always)
    private static func frontPosition(_ index: Int) -> Int32 { Int32.min &+ Int32(truncatingIfNeeded: index) }

    /// The front index `position` names, or nil when it names a heap or run entry.
    @inline(__always)
    private static func frontIndex(_ position: Int32) -> Int? {
        position < Int32.min &+ Int32(frontCapacity) ? Int(position) &- Int(Int32.min) : nil
    }

    /// The key of the entry at `position` (a node's `freeHeapPosition`).
    func key(at position: Int32) -> UInt64 {
        if position >= 0 { return heap.entries[Int(position)].key }
        if let index = Self.frontIndex(position) { return front[index].key }
        return run[Self.runIndex(position)].key
    }

    /// Starts loading the entry at `position` (a node's `freeHeapPosition`) into the
    /// cache, if there is one: a hint. (The front stays in the cache anyway.)
    @inline(__always)
    func prefetchEntry(at position: Int32) {
        if position >= 0 { return heap.prefetchEntry(Int(position)) }
        guard position != _Node.none, Self.frontIndex(position) == nil else { return }
        let index = Self.runIndex(position)
        run.withUnsafeBufferPointer { run in
            if index < run.count { _branchtree_prefetch(run.baseAddress! + index) }
        }
    }

    /// Puts `node`, which must not be in the queue, in it with `key`.
    /// - Complexity: O(1) when `key` is above every key the run holds, O(log n) otherwise.
    mutating func insert(_ node: Int32, key: UInt64, slots: inout _SlotStorage) {
        if runCount == 0, !run.isEmpty {
            run.removeAll(keepingCapacity: true)
            runStart = 0
        }
        guard run.last.map({ key > $0.key }) ?? true, run.count < Int(Int32.max) - 2 - Self.frontCapacity else {
            let belowHeap = heap.first.map { key < $0.key } ?? true
            let roomInFront = front.count < Self.frontCapacity || key < front[0].key
            guard belowHeap, roomInFront else { return heap.insert(node, key: key, slots: &slots) }
            return insertInFront(node, key: key, slots: &slots)
        }
        slots[node: Int(node)].freeHeapPosition = Self.runPosition(run.count)
        run.appendAdvisingHugePages(Entry(key: key, node: node))
        runCount += 1
    }

    /// Removes `node`, which must be in the queue.
    /// - Complexity: O(log n) from the heap; O(1) amortized from the run.
    mutating func remove(_ node: Int32, slots: inout _SlotStorage) {
        let position = slots[node: Int(node)].freeHeapPosition
        guard position < 0 else { return heap.remove(node, slots: &slots) }
        slots[node: Int(node)].freeHeapPosition = _Node.none
        if let index = Self.frontIndex(position) { return removeFromFront(at: index, slots: &slots) }
        let index = Self.runIndex(position)
        run[index].node = _Node.none
        runCount -= 1
        if runCount == 0 {
            run.removeAll(keepingCapacity: true)
            runStart = 0
            return
        }
        if index == runStart {
            run.withUnsafeBufferPointer { run in
                repeat { runStart += 1 } while run[runStart].node == _Node.none
            }
        }
        // While holes in upper levels take the joins, the front may stay put for long
        // and removals behind it leave tombstones: they go (with those before the front)
        // once they outnumber the live entries.
        if run.count >= 1_024, runCount < run.count / 2 { compactRun(slots: &slots) }
    }

    /// Puts `node` in the queue with `key` when `member` holds, and takes it out otherwise.
    @inline(__always)
    mutating func set(_ node: Int32, member: Bool, key: UInt64, slots: inout _SlotStorage) {
        let position = slots[node: Int(node)].freeHeapPosition
        switch (member, position != _Node.none) {
        case (true, true):
            // Most refreshes leave the key as it was (a parent gained a child but still
            // has room).
            if self.key(at: position) != key {
                remove(node, slots: &slots)
                insert(node, key: key, slots: &slots)
            }
        case (true, false): insert(node, key: key, slots: &slots)
        case (false, true): remove(node, slots: &slots)
        case (false, false): break
        }
    }

    /// Puts `node` in the front, in key order; a full front first passes its largest
    /// entry (above `key`) to the heap.
    private mutating func insertInFront(_ node: Int32, key: UInt64, slots: inout _SlotStorage) {
        let nodes = slots.uniqueRecords()
        if front.count == Self.frontCapacity {
            let largest = front.removeFirst()
            nodes[node: Int(largest.node)].freeHeapPosition = _Node.none
            heap.insert(largest.node, key: largest.key, slots: &slots)
            renumberFront(from: 0, nodes: slots.uniqueRecords())
        }
        var index = front.count
        while index > 0, front[index - 1].key < key { index -= 1 }
        front.insert(Entry(key: key, node: node), at: index)
        renumberFront(from: index, nodes: slots.uniqueRecords())
    }

    private mutating func removeFromFront(at index: Int, slots: inout _SlotStorage) {
        front.remove(at: index)
        renumberFront(from: index, nodes: slots.uniqueRecords())
    }

    /// Writes the front positions of the entries from `index` on into their nodes.
    private func renumberFront(from index: Int, nodes: _SlotStorage.UniqueRecords) {
        for position in index..<front.count {
            nodes[node: Int(front[position].node)].freeHeapPosition = Self.frontPosition(position)
        }
    }

    /// Drops the removed entries, renumbering the live ones' positions: at most once per
    /// as many removals as there are live entries left, so O(1) amortized.
    private mutating func compactRun(slots: inout _SlotStorage) {
        let nodes = slots.uniqueRecords()
        var kept = 0
        run.withUnsafeMutableBufferPointer { run in
            for index in runStart..<run.count where run[index].node != _Node.none {
                run[kept] = run[index]
                nodes[node: Int(run[kept].node)].freeHeapPosition = Self.runPosition(kept)
                kept += 1
            }
        }
        run.removeSubrange(kept...)
        runStart = 0
    }

    /// Checks the heap, the run's order and count, and every node's recorded position.
    func check(slots: _SlotStorage) -> String? {
        if let problem = heap.check(slots: slots) { return problem }
        if front.count > Self.frontCapacity { return "the front holds \(front.count) entries" }
        for (index, entry) in front.enumerated() {
            if index > 0, front[index - 1].key <= entry.key { return "front order broken at entry \(index)" }
            if slots[node: Int(entry.node)].freeHeapPosition != Self.frontPosition(index) {
                return "front entry \(index) names slot \(entry.node), which records another position"
            }
        }
        var live = 0
        var previous: UInt64?
        for index in runStart..<run.count {
            let entry = run[index]
            if let previous, entry.key <= previous { return "run order broken at entry \(index)" }
            previous = entry.key
            guard entry.node != _Node.none else { continue }
            live += 1
            if slots[node: Int(entry.node)].freeHeapPosition != Self.runPosition(index) {
                return "run entry \(index) names slot \(entry.node), which records another position"
            }
        }
        if live != runCount { return "the run counts \(runCount) entries but holds \(live)" }
        if runCount > 0, run[runStart].node == _Node.none { return "the run starts with a removed entry" }
        return nil
    }
}
