// The low-level moves every algorithm is made of: slots, child lists, level lists and
// the heap indexes (free slots, non-relayable viewers, tail candidates). Each keeps its own bookkeeping exact; the algorithms combine them.

extension BranchTree {
    // MARK: Slots

    /// Id → slot lookups for code off the hot paths; `slotsByID[id] = nil` unindexes.
    var slotsByID: _SlotLookup {
        get { _SlotLookup(index: idIndex, slots: slots) }
        set { idIndex = newValue.index }
    }

    /// The slot of viewer `id` and its bucket in the id index, from `hash`
    /// (`_IDIndex.hash(id)`); the bucket is −1 for a viewer that joined without an id.
    @inline(__always)
    func findSlot(of id: ViewerID, hash: UInt32) -> (bucket: Int, slot: Int32)? {
        if let found = idIndex.find(id, hash: hash, in: slots) { return found }
        return anonymousSlot(named: id).map { (-1, $0) }
    }

    mutating func allocateSlot(for id: ViewerID, capacity: Int) -> Int32 {
        allocateSlot(for: id, hash: _IDIndex.hash(id), capacity: capacity)
    }

    /// Takes a slot for `id`, which must not be in the tree, and indexes it under `hash`.
    mutating func allocateSlot(for id: ViewerID, hash: UInt32, capacity: Int) -> Int32 {
        let slot = takeSlot(capacity: capacity)
        slots[id: Int(slot)] = id
        idIndex.insert(slot: slot, hash: hash)
        if id.rawValue.utf8.first == UInt8(ascii: "#") { mayIndexSlotFormIDs = true }
        return slot
    }

    /// Takes a slot for a viewer, with the empty id: a vacant one if any, else a new one.
    mutating func takeSlot(capacity: Int) -> Int32 {
        if capacity < configuration.fanout, !tracksTails, configuration.policy == .skyway { startTrackingTails() }
        let node = _Node(capacity: capacity, depth: _Node.none)
        let slot: Int32
        if let reused = vacantSlots.popLast() {
            // A vacant slot's id is already empty (`releaseSlot(_:)`).
            slot = reused
            let records = slots.uniqueRecords()
            records[node: Int(slot)] = node
            records[epoch: Int(slot)] = 0
        } else {
            precondition(slots.count < Int32.max, "BranchTree holds at most \(Int32.max - 1) viewers")
            slot = Int32(slots.count)
            slots.append(node, id: "", linkEpoch: 0)
            // One by one: the generic `append(contentsOf:)` costs more than the loop.
            for _ in 0..<childStride { childBlocks.appendAdvisingHugePages(_Node.none) }
            childCounts.append(0)
        }
        if ordersByAge { assignJoinRank(to: slot) }
        return slot
    }

    /// Frees a slot that is out of every list and heap, and whose id is already out of
    /// the index (a leave unindexes its leaver as soon as it has found it).
    mutating func releaseSlot(_ slot: Int32) {
        slots[node: Int(slot)] = _Node(capacity: 0, depth: _Node.vacant)
        childCounts[Int(slot)] = 0
        if !slots[id: Int(slot)].rawValue.isEmpty { slots[id: Int(slot)] = "" }
        vacantSlots.append(slot)
    }

    /// Takes the viewer at `slot` out of the id index, or out of the count of viewers
    /// without an id.
    mutating func unindex(_ slot: Int32) {
        let id = slots[id: Int(slot)]
        if id.rawValue.isEmpty {
            anonymousViewers -= 1
        } else {
            idIndex.remove(id, in: slots)
        }
    }

    /// Unindexes and frees the slot of a viewer dropped during a repair (an evicted one).
    mutating func dropSlot(_ slot: Int32) {
        unindex(slot)
        releaseSlot(slot)
    }

    func slot(of id: ViewerID) throws(BranchTreeError) -> Int32 {
        if id == broadcaster { return 0 }
        guard let found = findSlot(of: id, hash: _IDIndex.hash(id)) else { throw .unknownViewer(id) }
        return found.slot
    }

    // MARK: Child lists

    /// Where `slot`'s block of children starts in `childBlocks`.
    @inline(__always)
    func childBlockStart(_ slot: Int32) -> Int { Int(slot) &* childStride }

    /// Appends `child` at the end of `parent`'s children: a new link, stamped with the
    /// current version as its epoch.
    mutating func appendChild(_ child: Int32, to parent: Int32) {
        let records = slots.uniqueRecords()
        let count = Int(records[node: Int(parent)].childCount)
        childBlocks[childBlockStart(parent) + count] = child
        records[node: Int(parent)].childCount += 1
        childCounts[Int(parent)] &+= 1
        records[node: Int(child)].parent = parent
        records[epoch: Int(child)] = version
    }

    /// Takes `child` out of its parent's children, keeping the others' order.
    mutating func unlinkFromParent(_ child: Int32) {
        let records = slots.uniqueRecords()
        let parent = records[node: Int(child)].parent
        let start = childBlockStart(parent)
        let end = start + Int(records[node: Int(parent)].childCount)
        // On the blocks' buffer: through the array, each write checked its uniqueness.
        childBlocks.withUnsafeMutableBufferPointer { blocks in
            var index = start
            while blocks[index] != child {
                index += 1
                precondition(index < end, "a child is missing from its parent's block")
            }
            while index + 1 < end {
                blocks[index] = blocks[index + 1]
                index += 1
            }
        }
        records[node: Int(parent)].childCount -= 1
        childCounts[Int(parent)] &-= 1
        records[node: Int(child)].parent = _Node.none
    }

    /// `slot`'s children in order.
    func childSlots(of slot: Int32) -> ArraySlice<Int32> {
        let start = childBlockStart(slot)
        return childBlocks[start..<(start + Int(slots[node: Int(slot)].childCount))]
    }

    /// The subtree below `slot` (itself excluded) in breadth-first order.
    func descendantSlots(of slot: Int32) -> [Int32] {
        var result: [Int32] = []
        appendDescendants(of: slot, to: &result)
        return result
    }

    /// Appends the subtree below `slot` (itself excluded) to `result`, breadth-first.
    ///
    /// Pass `leafDepth` only when every node at that depth is known to be a leaf (the
    /// deepest level of a tree whose levels are intact): the walk then lists that level's
    /// nodes without reading them. They are most of a subtree, and at 10⁶ viewers each
    /// read was a cache miss.
    func appendDescendants(of slot: Int32, to result: inout [Int32], leafDepth: Int32 = .max) {
        let childCount = Int(slots[node: Int(slot)].childCount)
        guard childCount > 0 else { return }
        // Room for two levels below `slot` avoids most regrowth on deep subtrees.
        result.reserveCapacity(result.count + childCount * (configuration.fanout + 1))
        let stride = childStride
        // Element by element from the blocks' buffer: appending slices of `childBlocks`
        // went through the generic `append(contentsOf:)`, ten times the cost.
        childBlocks.withUnsafeBufferPointer { blocks in
            childCounts.withUnsafeBufferPointer { childCounts in
                var parent = slot
                var count = childCount
                var index = result.count
                // `result[index..<levelEnd]` are the rest of the level at `depth`; when the
                // walk reaches `levelEnd` every node of that level has listed its children.
                var depth = slots[node: Int(slot)].depth
                var levelEnd = index
                while true {
                    let start = Int(parent) &* stride
                    for offset in 0..<count { result.append(blocks[start &+ offset]) }
                    repeat {
                        guard index < result.count else { return }
                        if index == levelEnd {
                            depth += 1
                            levelEnd = result.count
                            if depth >= leafDepth { return }
                        }
                        parent = result[index]
                        count = Int(childCounts[Int(parent)])
                        index += 1
                    } while count == 0
                }
            }
        }
    }

    // MARK: Level lists

    /// Appends `slot` at the end of level `depth` (creating the level when needed).
    mutating func appendToLevel(_ slot: Int32, depth: Int32) {
        let level = Int(depth)
        if level == levelLists.count { levelLists.append(_LevelList()) }
        if levelLists[level].nextSequence == .max { renumberLevel(level) }
        // Changed in a copy and written back once: one uniqueness check, not one per field.
        var list = levelLists[level]
        let records = slots.uniqueRecords()
        records[node: Int(slot)].depth = depth
        records[node: Int(slot)].levelSequence = list.nextSequence
        records[node: Int(slot)].previousInLevel = list.tail
        records[node: Int(slot)].nextInLevel = _Node.none
        if list.tail == _Node.none {
            list.head = slot
        } else {
            records[node: Int(list.tail)].nextInLevel = slot
        }
        list.tail = slot
        list.count += 1
        list.nextSequence += 1
        levelLists[level] = list
    }

    /// Takes `slot` out of its level, dropping trailing levels that become empty.
    mutating func removeFromLevel(_ slot: Int32) {
        let records = slots.uniqueRecords()
        let node = records[node: Int(slot)]
        let level = Int(node.depth)
        var list = levelLists[level]
        if node.previousInLevel == _Node.none {
            list.head = node.nextInLevel
        } else {
            records[node: Int(node.previousInLevel)].nextInLevel = node.nextInLevel
        }
        if node.nextInLevel == _Node.none {
            list.tail = node.previousInLevel
        } else {
            records[node: Int(node.nextInLevel)].previousInLevel = node.previousInLevel
        }
        list.count -= 1
        levelLists[level] = list
        records[node: Int(slot)].previousInLevel = _Node.none
        records[node: Int(slot)].nextInLevel = _Node.none
        // Only a suffix of levels can empty (every node has its parent one level up), but
        // while a subtree is being detached a middle level may be empty for a moment.
        while let last = levelLists.last, last.count == 0 { levelLists.removeLast() }
    }

    /// Hands out fresh sequence numbers 0, 1, 2 … along a level whose counter ran out.
    /// Order within the level is kept, and keys of other levels differ in their depth
    /// bits, so heap order is kept too.
    mutating func renumberLevel(_ level: Int) {
        var sequence: UInt32 = 0
        var slot = levelLists[level].head
        while slot != _Node.none {
            slots[node: Int(slot)].levelSequence = sequence
            refreshHeapMembership(of: slot)
            sequence += 1
            slot = slots[node: Int(slot)].nextInLevel
        }
        levelLists[level].nextSequence = sequence
    }

    func levelSlots(_ level: Int) -> [Int32] {
        var result: [Int32] = []
        result.reserveCapacity(Int(levelLists[level].count))
        var slot = levelLists[level].head
        while slot != _Node.none {
            result.append(slot)
            slot = slots[node: Int(slot)].nextInLevel
        }
        return result
    }

    // MARK: Heap indexes

    /// Level order: shallowest level first, then the level's order. The broadcaster
    /// (depth −1) comes before everyone.
    static func freeKey(_ node: _Node) -> UInt64 {
        UInt64(UInt32(bitPattern: node.depth &+ 1)) << 32 | UInt64(node.levelSequence)
    }

    /// Tail order: deepest level first, then the level's order.
    static func tailKey(_ node: _Node) -> UInt64 {
        UInt64(UInt32.max - UInt32(node.depth)) << 32 | UInt64(node.levelSequence)
    }

    /// The free-slot heap's key for `slot`: level order, except that a
    /// ``Policy/stable`` tree orders each level by age (oldest first) instead.
    @inline(__always)
    func freeSlotKey(_ slot: Int32, _ node: _Node) -> UInt64 {
        guard ordersByAge, slot != 0 else { return Self.freeKey(node) }
        return UInt64(UInt32(bitPattern: node.depth &+ 1)) << 32 | slots[joinRank: Int(slot)]
    }

    /// The tail heaps' key for `slot`: tail order, except that a ``Policy/stable`` tree
    /// promotes the oldest leaf wherever it is.
    @inline(__always)
    func tailCandidateKey(_ slot: Int32, _ node: _Node) -> UInt64 {
        ordersByAge ? slots[joinRank: Int(slot)] : Self.tailKey(node)
    }

    /// Puts `slot` into, moves it within, or takes it out of the heaps, to match its
    /// current depth, sequence and child count. Call after any of them changes.
    mutating func refreshHeapMembership(of slot: Int32) {
        let node = slots[node: Int(slot)]
        freeHeap.set(slot, member: node.hasFreeSlot, key: freeSlotKey(slot, node), slots: &slots)
        guard slot != 0 else { return }
        if node.capacity == 0 {
            nonRelayableHeap.set(slot, member: true, key: Self.freeKey(node), slots: &slots)
        } else if tracksTails {
            tailHeaps[Int(node.capacity)].set(
                slot, member: node.isLeaf, key: tailCandidateKey(slot, node), slots: &slots)
        }
    }

    /// Starts keeping the tail heaps, with every relayable leaf placed so far (none while
    /// a snapshot is being restored: it refreshes every slot once all are placed).
    mutating func startTrackingTails() {
        tracksTails = true
        for slot in 1..<Int32(slots.count) where slots[node: Int(slot)].depth >= 0 {
            refreshHeapMembership(of: slot)
        }
    }

    /// Takes `slot` out of every heap (it is leaving, or being detached).
    mutating func removeFromHeaps(_ slot: Int32) {
        if slots[node: Int(slot)].freeHeapPosition != _Node.none {
            freeHeap.remove(slot, slots: &slots)
        }
        if slots[node: Int(slot)].tailHeapPosition != _Node.none {
            let capacity = Int(slots[node: Int(slot)].capacity)
            if capacity == 0 {
                nonRelayableHeap.remove(slot, slots: &slots)
            } else {
                tailHeaps[capacity].remove(slot, slots: &slots)
            }
        }
    }

    // MARK: Attaching

    /// Links a detached `slot` as the last child of `parent`, one level below it, and
    /// re-attaches the subtree still linked below `slot`, level by level in
    /// breadth-first order (each node appended at the end of its new level).
    mutating func attachSubtree(_ slot: Int32, under parent: Int32) {
        appendChild(slot, to: parent)
        appendToLevel(slot, depth: slots[node: Int(parent)].depth + 1)
        refreshHeapMembership(of: parent)
        refreshHeapMembership(of: slot)
        for descendant in descendantSlots(of: slot) {
            appendToLevel(descendant, depth: slots[node: Int(slots[node: Int(descendant)].parent)].depth + 1)
            refreshHeapMembership(of: descendant)
        }
    }

    /// Takes `slots` (a subtree in breadth-first order) out of levels and heaps; their
    /// links among themselves stay.
    mutating func detach(_ slots: [Int32]) {
        for slot in slots {
            removeFromHeaps(slot)
            removeFromLevel(slot)
        }
    }
}
