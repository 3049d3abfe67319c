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
    mutating func placeDetachedSubtree<Recorder: _RepairRecorder>(
        _ slot: Int32, from origin: (parent: Int32, depth: Int)? = nil, change: inout Recorder
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
    private func depthBeforeChange<Recorder: _RepairRecorder>(of slot: Int32, change: Recorder) -> Int {
        let depth = Int(slots[node: Int(slot)].depth)
        var ancestor = slot
        while ancestor != 0 {
            if let shift = change.depthShift(ofMoved: ancestor, slots: slots) { return depth - shift }
            ancestor = slots[node: Int(ancestor)].parent
        }
        return depth
    }

    /// Attaches a detached subtree under `parent` and records the link, and the move
    /// when the subtree's root comes from `origin`.
    private mutating func attach<Recorder: _RepairRecorder>(
        _ slot: Int32, under parent: Int32, from origin: (parent: Int32, depth: Int)?, change: inout Recorder
    ) {
        attachSubtree(slot, under: parent)
        change.recordLink(
            to: slot, under: parent, depth: Int(slots[node: Int(slot)].depth), movedFrom: origin, slots: slots)
    }

    /// Re-places a displaced non-relayable viewer, merging what this change already says
    /// about it (it may have been moved, or kept its link, earlier in the same repair).
    private mutating func replace<Recorder: _RepairRecorder>(
        _ displaced: Int32, takenFrom parent: Int32, fromDepth: Int, change: inout Recorder
    ) {
        if !change.withdrawLink(parent: parent, child: displaced, slots: slots) {
            change.recordCut(parent: parent, child: displaced, slots: slots)
        }
        change.withdrawKeepingLink(displaced, slots: slots)

        guard let newParent = freeHeap.first?.node else {
            change.withdrawMove(of: displaced, slots: slots)
            change.withdrawReconnecting(displaced, slots: slots)
            change.recordEviction(displaced, slots: slots)
            dropSlot(displaced)
            return
        }
        attachSubtree(displaced, under: newParent)
        change.recordRelink(
            to: displaced, under: newParent, depth: Int(slots[node: Int(displaced)].depth),
            movedFrom: (parent, fromDepth), slots: slots)
        if !change.isReconnecting(displaced, slots: slots) { change.recordReconnecting(displaced, slots: slots) }
    }
}
