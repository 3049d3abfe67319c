import _BranchTreePrefetch

// The package's path into the tree for simulators: viewers addressed by their slot, and
// changes recorded in slot numbers into a log the caller reuses.

extension BranchTree {
    /// Joins a viewer as ``join(_:relayable:capacity:)`` does, recording the change into
    /// `log` instead of returning a ``TreeChange``, and returns the viewer's slot: its
    /// handle for ``leave(slot:recordingInto:)`` while it stays in the tree.
    ///
    /// A viewer already in the tree changes nothing: its slot is returned and `log` is
    /// left empty.
    ///
    /// - Throws: As ``join(_:relayable:capacity:)``; the tree and `log` are then unchanged.
    /// - Complexity: O(log n)
    @discardableResult
    package mutating func join(
        _ id: ViewerID, relayable: Bool, capacity: Int?, recordingInto log: inout SlotChangeLog
    ) throws(BranchTreeError) -> Int32 {
        guard !id.rawValue.isEmpty else { throw .emptyID }
        guard id != broadcaster else { throw .reservedID(id) }
        let hash = _IDIndex.hash(id)
        if let existing = findSlot(of: id, hash: hash)?.slot {
            log.removeAll()
            return existing
        }
        let capacity = try placeableCapacity(for: id, relayable: relayable, capacity: capacity)
        log.removeAll()
        return insert(id, hash: hash, capacity: capacity, recordingInto: &log)
    }

    /// Removes the viewer at `slot` as ``leave(_:)`` does, recording the change into `log`.
    ///
    /// - Parameter slot: A viewer's slot from ``join(_:relayable:capacity:recordingInto:)``,
    ///   while that viewer is in the tree (not since left or evicted).
    /// - Precondition: `slot` holds a viewer.
    /// - Complexity: O(log n + k), where k is the number of interrupted viewers.
    package mutating func leave(slot: Int32, recordingInto log: inout SlotChangeLog) {
        precondition(
            slot > 0 && Int(slot) < slots.count && !slots[node: Int(slot)].isVacant, "slot \(slot) holds no viewer")
        unindex(slot)
        log.removeAll()
        repair(afterRemoving: slot, recordingInto: &log)
    }

    /// The number of children of the viewer (or broadcaster, slot 0) at `slot`.
    /// - Precondition: `slot` holds a viewer or is 0.
    /// - Complexity: O(1)
    package func childCount(ofSlot slot: Int32) -> Int {
        precondition(slot >= 0 && Int(slot) < slots.count && !slots[node: Int(slot)].isVacant, "slot \(slot) is vacant")
        return Int(slots[node: Int(slot)].childCount)
    }
}

extension BranchTree {
    /// Starts loading the record of `slot` into the cache, for a leave soon to come.
    @inline(__always)
    package func prefetchRecord(ofSlot slot: Int32) {
        slots.prefetch(Int(slot))
    }

    /// Starts loading what a leave of `slot` reads through its record (which should be in
    /// the cache by now: see ``prefetchRecord(ofSlot:)``): its parent's and level
    /// neighbours' records, its own and its parent's child blocks, the tail's record, and
    /// its entry in the free-slot queue.
    package func prefetchLeave(ofSlot slot: Int32) {
        guard slot > 0, Int(slot) < slots.count else { return }
        let node = slots[node: Int(slot)]
        slots.prefetch(Int(node.parent))
        slots.prefetch(Int(node.previousInLevel))
        slots.prefetch(Int(node.nextInLevel))
        prefetchChildBlock(of: node.parent)
        if node.childCount > 0 { prefetchChildBlock(of: slot) }
        if let deepest = levelLists.last { slots.prefetch(Int(deepest.head)) }
        freeHeap.prefetchEntry(at: node.freeHeapPosition)
    }

    /// Starts loading what a leave of `slot` reads through the lines
    /// ``prefetchLeave(ofSlot:)`` asked for (which should be in the cache by now): its
    /// children's records and child blocks, the tail's level neighbour and parent, the
    /// last record of its level (where a migrating tail is appended), and the free-slot
    /// queue's entries of its parent and the tail.
    package func prefetchRepair(ofSlot slot: Int32) {
        guard slot > 0, Int(slot) < slots.count else { return }
        let node = slots[node: Int(slot)]
        let first = childBlockStart(slot)
        for index in first..<(first &+ Int(node.childCount)) {
            let child = childBlocks[index]
            slots.prefetch(Int(child))
            prefetchChildBlock(of: child)
        }
        if let deepest = levelLists.last, deepest.head >= 0 {
            let tail = slots[node: Int(deepest.head)]
            slots.prefetch(Int(tail.nextInLevel))
            slots.prefetch(Int(tail.parent))
            prefetchChildBlock(of: tail.parent)
            freeHeap.prefetchEntry(at: tail.freeHeapPosition)
        }
        if node.parent >= 0 { freeHeap.prefetchEntry(at: slots[node: Int(node.parent)].freeHeapPosition) }
        if node.depth >= 0, Int(node.depth) < levelLists.count { slots.prefetch(Int(levelLists[Int(node.depth)].tail)) }
    }

    /// Starts loading the start of `slot`'s child block (if `slot` is one): a hint.
    @inline(__always)
    private func prefetchChildBlock(of slot: Int32) {
        guard slot >= 0, Int(slot) < slots.count else { return }
        childBlocks.withUnsafeBufferPointer { _branchtree_prefetch($0.baseAddress! + childBlockStart(slot)) }
    }
}
