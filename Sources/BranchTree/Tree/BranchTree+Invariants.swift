extension BranchTree {
    /// Checks every invariant of the tree and throws on the first one broken.
    ///
    /// Checked: parent and child links agree both ways and children lists are well
    /// formed; every viewer is reachable from the broadcaster exactly once (so there is
    /// no cycle) at its parent's depth plus one; fan-out and each viewer's capacity are
    /// respected (so non-relayable viewers are leaves); levels hold exactly the viewers of
    /// their depth, in a consistent order, and none is empty; the internal indexes agree
    /// with the tree. When ``promisesSeedShape`` holds, also the seed's shape: holes
    /// only in the last two levels and minimal height.
    ///
    /// With the package trait `InternalChecks` enabled, every mutation ends by running this
    /// (this package's own tests enable it; packages that depend on BranchTree opt in).
    /// Call it in your own tests too.
    ///
    /// - Throws: ``BranchTreeError/invariantViolation(_:)`` saying what is wrong.
    /// - Complexity: O(n)
    public func validate() throws(BranchTreeError) {
        if let violation = structuralViolation() ?? indexViolation() ?? (keepsSeedShape ? seedShapeViolation() : nil) {
            throw .invariantViolation(violation)
        }
    }

    /// Runs ``validate()`` and stops on a violation when the `InternalChecks` trait is
    /// enabled; compiled out otherwise.
    @inline(__always)
    func _checkInvariants() {
        #if BRANCHTREE_INTERNAL_CHECKS
        do {
            try validate()
        } catch {
            preconditionFailure("BranchTree: \(error)")
        }
        #endif
    }

    private func structuralViolation() -> String? {
        let root = slots[node: 0]
        guard root.depth == -1, root.parent == _Node.none,
            Int(root.capacity) == configuration.broadcasterFanout
        else { return "the broadcaster's record is damaged" }

        // Walk from the broadcaster, checking each child list on the way.
        var seen = 1
        var queue: [Int32] = [0]
        var visited = [Bool](repeating: false, count: slots.count)
        visited[0] = true
        var index = 0
        while index < queue.count {
            let slot = queue[index]
            index += 1
            let node = slots[node: Int(slot)]
            let name = "\"\(viewerID(ofSlot: slot))\""
            if slot != 0 {
                guard Int(node.capacity) <= configuration.fanout else {
                    return "\(name) has capacity \(node.capacity) above the fan-out \(configuration.fanout)"
                }
            }
            guard node.childCount <= node.capacity else {
                return "\(name) relays to \(node.childCount) viewers but its capacity is \(node.capacity)"
            }
            for child in childSlots(of: slot) {
                guard child > 0, Int(child) < slots.count, !visited[Int(child)] else {
                    return "\(name)'s children reach a node twice (a cycle or a shared child)"
                }
                let childNode = slots[node: Int(child)]
                guard !childNode.isVacant else { return "\(name) lists a vacant slot as a child" }
                guard childNode.parent == slot else {
                    return "\(name) lists \"\(viewerID(ofSlot: child))\", whose parent is another node"
                }
                guard childNode.depth == node.depth + 1 else {
                    return
                        "\"\(viewerID(ofSlot: child))\" is at depth \(childNode.depth) below \(name) at depth \(node.depth)"
                }
                visited[Int(child)] = true
                queue.append(child)
                seen += 1
            }
        }
        guard seen - 1 == count else {
            return "\(count - (seen - 1)) viewers are not reachable from the broadcaster"
        }

        // Levels: exactly the viewers of each depth, in increasing sequence.
        var leveled = 0
        for level in 0..<height {
            guard levelLists[level].count > 0 else { return "level \(level) is empty" }
            var listed: Int32 = 0
            var previous = _Node.none
            var slot = levelLists[level].head
            while slot != _Node.none {
                let node = slots[node: Int(slot)]
                guard !node.isVacant, Int(node.depth) == level else {
                    return "level \(level) lists a node of another depth"
                }
                guard node.previousInLevel == previous else { return "level \(level)'s list is broken" }
                if previous != _Node.none, slots[node: Int(previous)].levelSequence >= node.levelSequence {
                    return "level \(level)'s order numbers are out of order"
                }
                guard node.levelSequence < levelLists[level].nextSequence else {
                    return "level \(level)'s next order number is behind its entries"
                }
                listed += 1
                previous = slot
                slot = node.nextInLevel
                guard listed <= levelLists[level].count else { return "level \(level)'s list loops" }
            }
            guard listed == levelLists[level].count, levelLists[level].tail == previous else {
                return "level \(level)'s count or tail is wrong"
            }
            leveled += Int(listed)
        }
        guard leveled == count else { return "levels list \(leveled) viewers, the tree has \(count)" }
        return nil
    }

    private func indexViolation() -> String? {
        var live = 0
        var anonymous = 0
        for slot in 1..<slots.count where !slots[node: slot].isVacant {
            live += 1
            let id = viewerID(ofSlot: Int32(slot))
            if slots[id: slot].rawValue.isEmpty {
                // An anonymous viewer's id must name it and nobody else.
                anonymous += 1
                guard slotsByID[id] == nil else { return "\"\(id)\" names two viewers" }
            } else {
                guard slotsByID[id] == Int32(slot) else { return "the id index misses \"\(id)\"" }
                if id.rawValue.utf8.first == UInt8(ascii: "#"), !mayIndexSlotFormIDs {
                    return "\"\(id)\" is indexed but the tree believes no id begins with #"
                }
            }
        }
        guard anonymous == anonymousViewers else {
            return "the tree counts \(anonymousViewers) viewers without an id but holds \(anonymous)"
        }
        guard live == slotsByID.count + anonymous else {
            return "the id index has \(slotsByID.count) ids for \(live - anonymous) viewers"
        }
        if let problem = idIndex.check(slots: slots) { return problem }
        guard childBlocks.count == slots.count * childStride else { return "the child blocks are missized" }
        guard childCounts.count == slots.count,
            childCounts.indices.allSatisfy({ Int(childCounts[$0]) == Int(slots[node: $0].childCount) })
        else { return "the dense child counts disagree with the nodes" }
        for slot in 1..<slots.count where !slots[node: slot].isVacant && slots[epoch: slot] > version {
            return
                "\"\(viewerID(ofSlot: Int32(slot)))\" has link epoch \(slots[epoch: slot]), newer than the tree's version \(version)"
        }
        guard live + vacantSlots.count + 1 == slots.count,
            vacantSlots.allSatisfy({ slots[node: Int($0)].isVacant })
        else { return "the vacant-slot list is wrong" }

        if let problem = freeHeap.check(slots: slots) { return "free-slot index: \(problem)" }
        if let problem = nonRelayableHeap.check(slots: slots) { return "non-relayable index: \(problem)" }
        for entry in nonRelayableHeap.entries where slots[node: Int(entry.node)].capacity != 0 {
            return "the non-relayable index holds \"\(viewerID(ofSlot: entry.node))\", which can relay"
        }
        for (capacity, heap) in tailHeaps.enumerated() {
            if let problem = heap.check(slots: slots) { return "tail index \(capacity): \(problem)" }
            for entry in heap.entries where Int(slots[node: Int(entry.node)].capacity) != capacity {
                return "tail index \(capacity) holds a viewer of capacity \(slots[node: Int(entry.node)].capacity)"
            }
        }
        for slot in 0..<slots.count where !slots[node: slot].isVacant {
            let node = slots[node: slot]
            let inFree = node.freeHeapPosition != _Node.none
            guard inFree == node.hasFreeSlot else {
                return "the free-slot index is wrong about \"\(viewerID(ofSlot: Int32(slot)))\""
            }
            if inFree, freeHeap.key(at: node.freeHeapPosition) != freeSlotKey(Int32(slot), node) {
                return "the free-slot index has a stale key for \"\(viewerID(ofSlot: Int32(slot)))\""
            }
            if slot != 0, !tracksTails, configuration.policy == .skyway, Int(node.capacity) < configuration.fanout {
                return
                    "the tail index is off, but \"\(viewerID(ofSlot: Int32(slot)))\" relays to fewer than the fan-out"
            }
            if slot != 0, node.capacity == 0 {
                guard node.tailHeapPosition != _Node.none,
                    nonRelayableHeap.entries[Int(node.tailHeapPosition)].key == Self.freeKey(node)
                else { return "the non-relayable index is wrong about \"\(viewerID(ofSlot: Int32(slot)))\"" }
                continue
            }
            let tracked = tracksTails && slot != 0 && node.capacity > 0 && node.isLeaf
            guard (node.tailHeapPosition != _Node.none) == tracked else {
                return "the tail index is wrong about \"\(viewerID(ofSlot: Int32(slot)))\""
            }
            if tracked,
                tailHeaps[Int(node.capacity)].entries[Int(node.tailHeapPosition)].key
                    != tailCandidateKey(Int32(slot), node)
            {
                return "the tail index has a stale key for \"\(viewerID(ofSlot: Int32(slot)))\""
            }
        }
        return nil
    }

    /// The seed's shape: every node more than one level above the deepest relays to its
    /// full fan-out, and the height is the least that holds `count` viewers.
    func seedShapeViolation() -> String? {
        guard height >= 2 else { return nil }
        if Int(slots[node: 0].childCount) != configuration.broadcasterFanout {
            return "seed shape: the broadcaster has a free slot above the last two levels"
        }
        for level in 0..<(height - 2) {
            for slot in levelSlots(level) where Int(slots[node: Int(slot)].childCount) != configuration.fanout {
                return
                    "seed shape: \"\(viewerID(ofSlot: slot))\" at depth \(level) has a hole above the last two levels"
            }
        }
        let minimal = Self.minimalHeight(
            viewers: count, fanout: configuration.fanout, broadcasterFanout: configuration.broadcasterFanout)
        if height != minimal { return "seed shape: height \(height) is above the minimum \(minimal)" }
        return nil
    }

    /// The least number of levels that holds `viewers` viewers.
    static func minimalHeight(viewers: Int, fanout: Int, broadcasterFanout: Int) -> Int {
        var height = 0
        var room = 0
        var levelSize = broadcasterFanout
        while room < viewers {
            room += levelSize
            levelSize = levelSize.multipliedReportingOverflow(by: fanout).overflow ? .max / 2 : levelSize * fanout
            height += 1
        }
        return height
    }
}
