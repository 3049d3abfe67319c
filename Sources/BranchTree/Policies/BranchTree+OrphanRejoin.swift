// Orphan rejoin: the repair of the spls-exp family (seed 000), made atomic and
// capacity-checked.

extension BranchTree {
    /// The leaver is removed; each of its children (in their order) re-attaches by
    /// add-branch with its own subtree intact. All orphan subtrees are detached before
    /// any re-attaches, so an orphan never lands under its own subtree (nor under a
    /// sibling that has not been placed yet). A re-attached subtree keeps its shape and
    /// joins the end of each of its new levels, breadth-first. An orphan for which no
    /// relay slot is left is evicted with its subtree.
    mutating func leaveByOrphanRejoin(_ slot: Int32, change: inout TreeChange) {
        let subtree = recordDeparture(of: slot, change: &change)
        let leaver = nodes[Int(slot)]
        let leaverID = ids[Int(slot)]
        let orphans = Array(childSlots(of: slot))

        removeFromHeaps(slot)
        detach(subtree)
        removeFromLevel(slot)
        let parent = leaver.parent
        unlinkFromParent(slot)
        refreshHeapMembership(of: parent)
        for orphan in orphans { unlinkFromParent(orphan) }
        releaseSlot(slot)

        change.moves.reserveCapacity(orphans.count)
        change.linksCreated.reserveCapacity(orphans.count)
        for orphan in orphans {
            let orphanID = ids[Int(orphan)]
            guard let newParent = placementParent() else {
                evict(orphan, change: &change)
                continue
            }
            attachSubtree(orphan, under: newParent)
            let newParentID = ids[Int(newParent)]
            change.moves.append(
                .init(viewer: orphanID, fromParent: leaverID, toParent: newParentID,
                      fromDepth: Int(leaver.depth) + 1, toDepth: Int(nodes[Int(orphan)].depth)))
            change.linksCreated.append(Link(parent: newParentID, child: orphanID))
        }
    }

    /// Drops a detached orphan and its subtree from the tree.
    private mutating func evict(_ orphan: Int32, change: inout TreeChange) {
        let evicted = [orphan] + descendantSlots(of: orphan)
        for slot in evicted {
            let id = ids[Int(slot)]
            change.evicted.append(id)
            change.reconnecting.removeAll { $0 == id }
            change.keepingLink.removeAll { $0 == id }
        }
        for slot in evicted { releaseSlot(slot) }
    }
}
