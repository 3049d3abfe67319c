// Add-branch: the seed's placement (level-order first fit), shared by joins and by
// orphans that rejoin, plus the one rule the seed lacked — a viewer that cannot relay
// never keeps one that can out of the tree.

extension BranchTree {
    /// Whether a detached subtree whose root has `capacity` has a place right now.
    func hasPlacement(forCapacity capacity: Int) -> Bool {
        !freeHeap.isEmpty || (capacity > 0 && !nonRelayableHeap.isEmpty)
    }

    /// Places a detached subtree (a joiner, or an orphan with its subtree) and records
    /// its new link — and, for an orphan (`origin` given), its move, before any move of
    /// the viewer it displaces.
    ///
    /// It goes under the first node, in level order, with a free relay slot, as that
    /// node's last child. When no node has a free slot — every leaf is a viewer that
    /// cannot relay — and the subtree's root can relay, the root takes the place of the
    /// first non-relayable viewer in level order (as the last child of that viewer's
    /// parent), and the displaced viewer rejoins by the same rule, normally under it.
    /// A relayable viewer therefore always finds a place; with every viewer relayable a
    /// free slot always exists and this is exactly the seed's add-branch.
    ///
    /// - Returns: The new parent, or nil when there is no place (the tree is unchanged).
    mutating func placeDetachedSubtree(
        _ slot: Int32, from origin: (parent: ViewerID, depth: Int)? = nil, change: inout TreeChange
    ) -> Int32? {
        if let parent = freeHeap.first?.node {
            attach(slot, under: parent, from: origin, change: &change)
            return parent
        }
        guard slots[node: Int(slot)].capacity > 0, let displaced = nonRelayableHeap.first?.node else { return nil }
        let parent = slots[node: Int(displaced)].parent
        let fromDepth = depthBeforeChange(of: displaced, change: change)
        removeFromHeaps(displaced)
        removeFromLevel(displaced)
        unlinkFromParent(displaced)
        attach(slot, under: parent, from: origin, change: &change)
        replace(displaced, takenFrom: parent, fromDepth: fromDepth, change: &change)
        return parent
    }

    /// The depth `slot` had before this change: its current depth, less the shift of the
    /// moved ancestor it travelled with (an orphan re-attached with its subtree), if any.
    /// Only the rare displacement path needs it.
    private func depthBeforeChange(of slot: Int32, change: TreeChange) -> Int {
        let depth = Int(slots[node: Int(slot)].depth)
        var ancestor = slot
        while ancestor != 0 {
            let id = slots[id: Int(ancestor)]
            if let move = change.moves.first(where: { $0.viewer == id }) {
                return depth - (move.toDepth - move.fromDepth)
            }
            ancestor = slots[node: Int(ancestor)].parent
        }
        return depth
    }

    /// Attaches a detached subtree under `parent` and records the link, and the move
    /// when the subtree's root comes from `origin`.
    private mutating func attach(
        _ slot: Int32, under parent: Int32, from origin: (parent: ViewerID, depth: Int)?,
        change: inout TreeChange
    ) {
        attachSubtree(slot, under: parent)
        change.recordLink(
            to: slots[id: Int(slot)], under: slots[id: Int(parent)], depth: Int(slots[node: Int(slot)].depth),
            movedFrom: origin)
    }

    /// Re-places a displaced non-relayable viewer, merging what this change already says
    /// about it (it may have been moved, or kept its link, earlier in the same repair).
    private mutating func replace(
        _ displaced: Int32, takenFrom parent: Int32, fromDepth: Int, change: inout TreeChange
    ) {
        let id = slots[id: Int(displaced)]
        let oldLink = Link(parent: slots[id: Int(parent)], child: id)
        if let created = change.linksCreated.firstIndex(of: oldLink) {
            change.linksCreated.remove(at: created)
        } else {
            change.linksCut.append(oldLink)
        }
        change.keepingLink.removeAll { $0 == id }
        let earlierMove = change.moves.firstIndex { $0.viewer == id }

        guard let newParent = freeHeap.first?.node else {
            if let earlierMove { change.moves.remove(at: earlierMove) }
            change.reconnecting.removeAll { $0 == id }
            change.evicted.append(id)
            dropSlot(displaced)
            return
        }
        if let earlierMove {
            let origin = change.moves.remove(at: earlierMove)
            attach(displaced, under: newParent, from: (origin.fromParent, origin.fromDepth), change: &change)
        } else {
            attach(displaced, under: newParent, from: (oldLink.parent, fromDepth), change: &change)
        }
        if !change.reconnecting.contains(id) { change.reconnecting.append(id) }
    }
}
