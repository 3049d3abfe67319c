// Orphan rejoin: the repair of the spls-exp family (seed 000), made atomic and
// capacity-checked.

extension BranchTree {
    /// The leaver is removed; each of its children (in their order) re-attaches by
    /// add-branch with its own subtree intact. All orphan subtrees are detached before
    /// any re-attaches, so an orphan never lands under its own subtree (nor under a
    /// sibling that has not been placed yet). A re-attached subtree keeps its shape and
    /// joins the end of each of its new levels, breadth-first. A relayable orphan always
    /// finds a place (see `placeDetachedSubtree`). A non-relayable one that finds no slot
    /// waits until its siblings are placed, and is evicted only if there is still none.
    mutating func leaveByOrphanRejoin<Recorder: _RepairRecorder>(_ slot: Int32, change: inout Recorder) {
        let subtree = recordDeparture(of: slot, change: &change)
        let leaver = slots[node: Int(slot)]
        let orphans = Array(childSlots(of: slot))

        removeFromHeaps(slot)
        detach(subtree)
        removeFromLevel(slot)
        let parent = leaver.parent
        unlinkFromParent(slot)
        refreshHeapMembership(of: parent)
        for orphan in orphans { unlinkFromParent(orphan) }
        releaseSlot(slot)

        change.reserve(links: orphans.count)
        // An orphan that finds no slot (one that cannot relay, while every leaf placed so
        // far cannot either) waits for its siblings: their subtrees may bring free slots.
        var waiting: [Int32] = []
        let origin = (parent: slot, depth: Int(leaver.depth) + 1)
        for orphan in orphans {
            if placeDetachedSubtree(orphan, from: origin, change: &change) == nil { waiting.append(orphan) }
        }
        for orphan in waiting {
            if placeDetachedSubtree(orphan, from: origin, change: &change) == nil { evict(orphan, change: &change) }
        }
    }

    /// Drops an orphan that found no place. Only a viewer that cannot relay — a leaf —
    /// can be without one: a relayable orphan always displaces a non-relayable viewer.
    private mutating func evict<Recorder: _RepairRecorder>(_ orphan: Int32, change: inout Recorder) {
        precondition(slots[node: Int(orphan)].isLeaf, "only a childless, non-relayable orphan can be evicted")
        change.withdrawReconnecting(orphan, slots: slots)
        change.recordEviction(orphan, slots: slots)
        dropSlot(orphan)
    }
}
