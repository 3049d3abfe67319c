// What the relay protocol needs from the tree beyond its public API: a viewer's record
// as `branch_data`, and link epochs that survive a restart correctly.

extension BranchTree {
    /// The `branch_data` record of `id` as of the current version, or nil when `id` is
    /// not a viewer in the tree.
    func branchData(for id: ViewerID) -> RelayMessage.BranchData? {
        findSlot(of: id, hash: _IDIndex.hash(id)).map { branchData(ofSlot: $0.slot) }
    }

    /// The `branch_data` record of the viewer at `slot` as of the current version.
    func branchData(ofSlot slot: Int32) -> RelayMessage.BranchData {
        let node = slots[node: Int(slot)]
        return RelayMessage.BranchData(
            parent: slots[id: Int(node.parent)], epoch: slots[epoch: Int(slot)], depth: Int(node.depth),
            children: childLinks(of: slot), sequence: version)
    }

    /// The hash the tree's index takes for `id`, for a caller that keeps it, computed
    /// once per id, and hands it back (``BroadcasterStateMachine/knownIDHash``,
    /// ``contains(_:hash:)``): hashing a string id costs a couple of hundred instructions.
    package static func indexHash(of id: ViewerID) -> UInt32 { _IDIndex.hash(id) }

    /// Whether `id`, whose ``indexHash(of:)`` is `hash`, is a viewer in the tree.
    package func contains(_ id: ViewerID, hash: UInt32) -> Bool {
        findSlot(of: id, hash: hash) != nil
    }

    /// The parent of `id` and the epoch of the link from it, with where `id` was found
    /// (for `leave(_:found:keepingIDs:recordingInto:)`), in one lookup; nil when `id` is not a viewer
    /// in the tree.
    func upstreamLink(of id: ViewerID) -> (parent: ViewerID, epoch: UInt64, found: (bucket: Int, slot: Int32))? {
        guard let found = findSlot(of: id, hash: _IDIndex.hash(id)) else { return nil }
        return (slots[id: Int(slots[node: Int(found.slot)].parent)], slots[epoch: Int(found.slot)], found)
    }

    /// Every viewer's id, level by level, each level in its order.
    func levelOrderIDs() -> [ViewerID] {
        levelOrderSlots().map { slots[id: Int($0)] }
    }

    /// The children of `slot` in order, with their links' epochs.
    func childLinks(of slot: Int32) -> [RelayMessage.ChildLink] {
        childSlots(of: slot).map { RelayMessage.ChildLink(id: slots[id: Int($0)], epoch: slots[epoch: Int($0)]) }
    }

    /// Raises the version to at least `floor`, so that what is numbered from now on is
    /// newer than anything numbered before (a restart from a possibly stale save).
    ///
    /// A restart's floor is a time in nanoseconds, at most `Int64.max`: 2⁶² below
    /// ``Snapshot/maximumVersion``, so the tree still counts on without wrapping and its
    /// snapshots still restore, whatever the restart time.
    mutating func advanceVersion(to floor: UInt64) {
        version = Swift.max(version, floor)
    }

    /// Gives every first viewer a new link epoch: the broadcaster's links died with it,
    /// so the ones it opens after a restart are new links.
    mutating func renewFirstViewerLinks() {
        // Never near the top: restored versions and restart floors stay 2⁶² below it.
        version += 1
        for child in childSlots(of: 0) { slots[epoch: Int(child)] = version }
        _checkInvariants()
    }
}
