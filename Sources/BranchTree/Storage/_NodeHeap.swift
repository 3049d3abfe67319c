import _BranchTreePrefetch

/// Which position field of `_Node` a heap maintains.
protocol _HeapPositionField {
    static func position(of node: _Node) -> Int32
    static func setPosition(_ position: Int32, of node: inout _Node)
}

enum _FreeHeapField: _HeapPositionField {
    @inline(__always) static func position(of node: _Node) -> Int32 { node.freeHeapPosition }
    @inline(__always) static func setPosition(_ position: Int32, of node: inout _Node) {
        node.freeHeapPosition = position
    }
}

enum _TailHeapField: _HeapPositionField {
    @inline(__always) static func position(of node: _Node) -> Int32 { node.tailHeapPosition }
    @inline(__always) static func setPosition(_ position: Int32, of node: inout _Node) {
        node.tailHeapPosition = position
    }
}

/// An indexed 4-ary min-heap of node slots with inline 64-bit keys.
///
/// Each node records its own position (through `Field`), so a node can be removed or
/// re-keyed from anywhere in O(log n). Keys live inline so that sifting compares without
/// touching the nodes; four children per entry keep the heap shallow (10 levels for 10⁶
/// entries) and one entry's children in one cache line.
struct _NodeHeap<Field: _HeapPositionField> {
    struct Entry {
        var key: UInt64
        var node: Int32
    }

    private(set) var entries: [Entry] = []

    var isEmpty: Bool { entries.isEmpty }
    var count: Int { entries.count }
    var first: Entry? { entries.first }

    /// - Complexity: O(log n)
    mutating func insert(_ node: Int32, key: UInt64, slots: inout _SlotStorage) {
        entries.appendAdvisingHugePages(Entry(key: key, node: node))
        let nodes = slots.uniqueRecords()
        entries.withUnsafeMutableBufferPointer { Self.siftUp(from: $0.count - 1, in: $0, nodes: nodes) }
    }

    /// Removes `node`, which must be in the heap.
    /// - Complexity: O(log n)
    mutating func remove(_ node: Int32, slots: inout _SlotStorage) {
        let nodes = slots.uniqueRecords()
        let position = Int(Field.position(of: nodes[node: Int(node)]))
        Field.setPosition(_Node.none, of: &nodes[node: Int(node)])
        let last = entries.removeLast()
        guard position < entries.count else { return }
        entries.withUnsafeMutableBufferPointer { entries in
            let oldKey = entries[position].key
            entries[position] = last
            Field.setPosition(Int32(position), of: &nodes[node: Int(last.node)])
            if last.key < oldKey {
                Self.siftUp(from: position, in: entries, nodes: nodes)
            } else {
                Self.siftDown(from: position, in: entries, nodes: nodes)
            }
        }
    }

    /// Changes the key of `node`, which must be in the heap.
    /// - Complexity: O(log n)
    mutating func updateKey(of node: Int32, to key: UInt64, slots: inout _SlotStorage) {
        let nodes = slots.uniqueRecords()
        let position = Int(Field.position(of: nodes[node: Int(node)]))
        entries.withUnsafeMutableBufferPointer { entries in
            let oldKey = entries[position].key
            entries[position].key = key
            if key < oldKey {
                Self.siftUp(from: position, in: entries, nodes: nodes)
            } else {
                Self.siftDown(from: position, in: entries, nodes: nodes)
            }
        }
    }

    /// Puts `node` in the heap with `key` when `member` holds, and takes it out otherwise.
    @inline(__always)
    mutating func set(_ node: Int32, member: Bool, key: UInt64, slots: inout _SlotStorage) {
        let position = Field.position(of: slots[node: Int(node)])
        let inHeap = position != _Node.none
        switch (member, inHeap) {
        case (true, true):
            // Most refreshes leave the key as it was (a parent gained a child but still
            // has room): no sift, no reads of the entry's children.
            if entries[Int(position)].key != key { updateKey(of: node, to: key, slots: &slots) }
        case (true, false): insert(node, key: key, slots: &slots)
        case (false, true): remove(node, slots: &slots)
        case (false, false): break
        }
    }

    // The sifts work on the entries' buffer: through the array, every write would check
    // that the array is uniquely referenced.

    private static func siftUp(
        from start: Int, in entries: UnsafeMutableBufferPointer<Entry>, nodes: _SlotStorage.UniqueRecords
    ) {
        var index = start
        let moving = entries[index]
        while index > 0 {
            let parent = (index - 1) >> 2
            let parentEntry = entries[parent]
            guard moving.key < parentEntry.key else { break }
            entries[index] = parentEntry
            Field.setPosition(Int32(index), of: &nodes[node: Int(parentEntry.node)])
            index = parent
        }
        entries[index] = moving
        Field.setPosition(Int32(index), of: &nodes[node: Int(moving.node)])
    }

    private static func siftDown(
        from start: Int, in entries: UnsafeMutableBufferPointer<Entry>, nodes: _SlotStorage.UniqueRecords
    ) {
        var index = start
        let moving = entries[index]
        let count = entries.count
        while true {
            let firstChild = (index << 2) + 1
            guard firstChild < count else { break }
            var best = firstChild
            var bestKey = entries[firstChild].key
            let end = Swift.min(firstChild + 4, count)
            var child = firstChild + 1
            while child < end {
                let key = entries[child].key
                if key < bestKey {
                    best = child
                    bestKey = key
                }
                child += 1
            }
            guard bestKey < moving.key else { break }
            let promoted = entries[best]
            entries[index] = promoted
            Field.setPosition(Int32(index), of: &nodes[node: Int(promoted.node)])
            index = best
        }
        entries[index] = moving
        Field.setPosition(Int32(index), of: &nodes[node: Int(moving.node)])
    }

    /// Starts loading entry `index` into the cache, if the heap holds it: a hint.
    @inline(__always)
    func prefetchEntry(_ index: Int) {
        entries.withUnsafeBufferPointer { entries in
            if index < entries.count { _branchtree_prefetch(entries.baseAddress! + index) }
        }
    }

    /// Checks the heap order and every node's recorded position.
    func check(slots: _SlotStorage) -> String? {
        for (position, entry) in entries.enumerated() {
            if Field.position(of: slots[node: Int(entry.node)]) != Int32(position) {
                return "heap entry \(position) names slot \(entry.node), which records another position"
            }
            if position > 0, entries[(position - 1) >> 2].key > entry.key {
                return "heap order broken at entry \(position)"
            }
        }
        return nil
    }
}
