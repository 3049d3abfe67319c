// Leaf migration: the repair of skyway_peerjs_stream_relay (seed 003), exact.

extension BranchTree {
    /// A leaver on the deepest level is removed and nobody moves. Any other leaver X is
    /// replaced by the tail T: T leaves its own place (and its parent's children), then
    /// takes over X's record — appended at the end of X's parent's children and at the
    /// end of X's level, adopting X's remaining children in their order.
    ///
    /// The tail is the first entry of the deepest level, exactly as in the seed, whenever
    /// that viewer can hold the slot. BranchTree's one extension: a candidate that cannot
    /// relay, or whose capacity is below the slot's remaining children, is passed over
    /// for the next leaf deeper than X — deepest level first, each level in its order. A
    /// non-relayable viewer is therefore never moved. When no candidate exists, a
    /// childless leaver is simply removed and the orphans of any other leaver rejoin by
    /// add-branch (as in ``Policy/rejoin``).
    mutating func leaveByLeafMigration<Recorder: _RepairRecorder>(_ slot: Int32, change: inout Recorder) {
        let leaver = slots[node: Int(slot)]
        removeFromHeaps(slot)  // so that the leaver is never its own tail
        if Int(leaver.depth) < height - 1, let tail = tailCandidate(replacing: slot) {
            migrate(tail, into: slot, change: &change)
        } else if leaver.isLeaf {  // every viewer on the deepest level is a leaf
            recordDeparture(of: slot, change: &change)
            removeLeaf(slot)
        } else {
            leaveByOrphanRejoin(slot, change: &change)
        }
    }

    /// The viewer that takes over the slot of `leaver`, or nil when none can: the top
    /// candidate of the tail heaps (in a ``Policy/stable`` tree, the oldest leaf).
    func tailCandidate(replacing leaver: Int32) -> Int32? {
        let leaverNode = slots[node: Int(leaver)]
        guard tracksTails else {
            // Every viewer relays at the full fan-out, so every leaf qualifies, and the
            // deepest level (all leaves) comes first in tail order.
            let head = levelLists[height - 1].head
            return slots[node: Int(head)].depth > leaverNode.depth ? head : nil
        }
        let needed = Int(leaverNode.childCount)
        var best: _NodeHeap<_TailHeapField>.Entry?
        func consider(_ entry: _NodeHeap<_TailHeapField>.Entry) {
            if best.map({ entry.key < $0.key }) ?? true { best = entry }
        }
        // The top of each class with enough room for all of the leaver's children…
        for capacity in Swift.max(needed, 1)..<tailHeaps.count {
            if let top = tailHeaps[capacity].first { consider(top) }
        }
        // …and the leaver's own leaf children, which need room for one fewer.
        if needed > 0 {
            for child in childSlots(of: leaver) {
                let node = slots[node: Int(child)]
                if node.isLeaf, node.capacity > 0, Int(node.capacity) >= needed - 1 {
                    consider(.init(key: tailCandidateKey(child, node), node: child))
                }
            }
        }
        guard let best, slots[node: Int(best.node)].depth > leaverNode.depth else { return nil }
        return best.node
    }

    mutating func migrate<Recorder: _RepairRecorder>(_ tail: Int32, into slot: Int32, change: inout Recorder) {
        recordDeparture(of: slot, tail: tail, change: &change)
        let leaver = slots[node: Int(slot)]
        let tailNode = slots[node: Int(tail)]
        let oldParent = tailNode.parent

        // T leaves its place: its level (dropped if now empty) and its parent's children.
        removeFromHeaps(tail)
        removeFromLevel(tail)
        unlinkFromParent(tail)
        if oldParent != slot { refreshHeapMembership(of: oldParent) }

        // T takes over X's record: parent, depth, children.
        let grandparent = leaver.parent
        removeFromLevel(slot)
        unlinkFromParent(slot)
        appendChild(tail, to: grandparent)
        appendToLevel(tail, depth: leaver.depth)
        let orphanCount = Int(slots[node: Int(slot)].childCount)
        change.reserve(links: 1 + orphanCount)
        change.recordLink(
            to: tail, under: grandparent, depth: Int(leaver.depth), movedFrom: (oldParent, Int(tailNode.depth)),
            slots: slots)
        // X's children move to T's block in order; releasing X's slot then clears its record.
        let leaverBlock = childBlockStart(slot)
        let orphanDepth = Int(leaver.depth) + 1
        for index in 0..<orphanCount {
            let orphan = childBlocks[leaverBlock + index]
            appendChild(orphan, to: tail)
            change.recordLink(to: orphan, under: tail, depth: orphanDepth, movedFrom: (slot, orphanDepth), slots: slots)
        }
        refreshHeapMembership(of: tail)
        releaseSlot(slot)
    }
}
