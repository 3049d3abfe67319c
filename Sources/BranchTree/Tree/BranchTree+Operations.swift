extension BranchTree {
    /// Places a viewer by add-branch: under the first node, in level order, that has a
    /// free relay slot, as that node's last child.
    ///
    /// When no node has a free slot (every leaf is a viewer that cannot relay) and the
    /// joiner can relay, it takes the place of the first non-relayable viewer in level
    /// order, which moves below it; the change lists that move. So a relayable joiner is
    /// always placed, and a non-relayable one that arrives first never locks out those
    /// that could relay.
    ///
    /// A `join` for a viewer already in the tree changes nothing and returns its current
    /// place (viewers re-send `join` every few seconds until they are answered).
    ///
    /// - Parameters:
    ///   - id: The viewer's session id.
    ///   - relayable: Whether the viewer relays the stream at all. A viewer that does not
    ///     has capacity 0: it is only ever a leaf, and repairs never move it into a slot
    ///     with children.
    ///   - capacity: How many children the viewer may relay to, when less than the
    ///     fan-out (a weaker uplink). `nil` means the fan-out (0 when not relayable).
    /// - Returns: The new link and the viewer's place.
    /// - Throws: ``BranchTreeError/emptyID``, ``BranchTreeError/reservedID(_:)``,
    ///   ``BranchTreeError/invalidCapacity(_:fanout:)``, or
    ///   ``BranchTreeError/noRelaySlot(_:)`` when the joiner cannot relay and no node can
    ///   take another child. The tree is unchanged when it throws.
    /// - Complexity: O(log n)
    @discardableResult
    public mutating func join(_ id: ViewerID, relayable: Bool = true, capacity: Int? = nil)
        throws(BranchTreeError) -> TreeChange
    {
        guard !id.rawValue.isEmpty else { throw .emptyID }
        guard id != broadcaster else { throw .reservedID(id) }
        let hash = _IDIndex.hash(id)
        if let existing = findSlot(of: id, hash: hash)?.slot {
            let node = slots[node: Int(existing)]
            return TreeChange(
                subject: id,
                outcome: .alreadyPresent(parent: slots[id: Int(node.parent)], depth: Int(node.depth)))
        }
        let capacity = try configuration.capacity(relayable: relayable, override: capacity)
        guard hasPlacement(forCapacity: capacity) else { throw .noRelaySlot(id) }

        if capacity != configuration.fanout { keepsSeedShape = false }
        version &+= 1
        let slot = allocateSlot(for: id, hash: hash, capacity: capacity)
        var change = TreeChange(subject: id, outcome: .left)
        guard let parent = placeDetachedSubtree(slot, change: &change) else {
            preconditionFailure("hasPlacement(forCapacity:) promised a place")
        }
        change.outcome = .joined(parent: slots[id: Int(parent)], depth: Int(slots[node: Int(slot)].depth))
        _checkInvariants()
        return change
    }

    /// Removes a viewer and repairs the tree by the policy's rule.
    ///
    /// - Returns: Who moved, the links to cut and to create, and every viewer whose
    ///   stream is interrupted (the leaver's whole subtree plus any moved viewer).
    /// - Throws: ``BranchTreeError/unknownViewer(_:)`` or
    ///   ``BranchTreeError/cannotRemoveBroadcaster(_:)``; the tree is then unchanged.
    /// - Complexity: O(log n + k), where k is the number of interrupted viewers. For a
    ///   viewer chosen uniformly at random, k averages the tree's mean depth.
    @discardableResult
    public mutating func leave(_ id: ViewerID) throws(BranchTreeError) -> TreeChange {
        guard id != broadcaster else { throw .cannotRemoveBroadcaster(id) }
        guard let (bucket, slot) = findSlot(of: id, hash: _IDIndex.hash(id)) else { throw .unknownViewer(id) }
        // Committed: the leaver leaves the index now, while its entry is at hand.
        idIndex.remove(at: bucket)
        var change = TreeChange(subject: id, outcome: .left)
        version &+= 1
        switch configuration.policy {
        case .skyway: leaveByLeafMigration(slot, change: &change)
        case .rejoin: leaveByOrphanRejoin(slot, change: &change)
        case .stable: leaveByOldestLeafPromotion(slot, change: &change)
        }
        _checkInvariants()
        return change
    }

    /// Applies one operation.
    ///
    /// - Complexity: As ``join(_:relayable:capacity:)`` or ``leave(_:)``.
    @discardableResult
    public mutating func apply(_ operation: TreeOperation) throws(BranchTreeError) -> TreeChange {
        switch operation {
        case .join(let id, let relayable, let capacity):
            try join(id, relayable: relayable, capacity: capacity)
        case .leave(let id):
            try leave(id)
        }
    }

    /// Records in `change` that the leaver at `slot` is gone and that its subtree is
    /// interrupted: its children will need new upstream links, everyone deeper keeps
    /// theirs — except `tail`, the viewer that will move into the slot, which is listed
    /// last among the reconnecting (with its old link cut) wherever it sits. Returns the
    /// subtree (the leaver excluded), breadth-first.
    @discardableResult
    func recordDeparture(of slot: Int32, tail: Int32? = nil, change: inout TreeChange) -> [Int32] {
        let node = slots[node: Int(slot)]
        let subtree = descendantSlots(of: slot)
        let childCount = Int(node.childCount)
        // Reserve exactly what will be listed: a plain removal allocates one array.
        let tailCount = tail == nil ? 0 : 1
        change.linksCut.reserveCapacity(1 + childCount + tailCount)
        if childCount + tailCount > 0 { change.reconnecting.reserveCapacity(childCount + tailCount) }
        if subtree.count > childCount { change.keepingLink.reserveCapacity(subtree.count - childCount) }
        let leaverID = slots[id: Int(slot)]
        change.linksCut.append(Link(parent: slots[id: Int(node.parent)], child: leaverID))
        for (index, descendant) in subtree.enumerated() {
            let id = slots[id: Int(descendant)]
            if index < childCount {
                change.linksCut.append(Link(parent: leaverID, child: id))
                change.reconnecting.append(id)
            } else if descendant != tail {
                change.keepingLink.append(id)
            }
        }
        if let tail, slots[node: Int(tail)].parent != slot {
            let tailNode = slots[node: Int(tail)]
            change.linksCut.append(Link(parent: slots[id: Int(tailNode.parent)], child: slots[id: Int(tail)]))
            change.reconnecting.append(slots[id: Int(tail)])
        }
        return subtree
    }

    /// Removes a childless viewer from its level, its parent's children and the heaps,
    /// and frees its slot.
    mutating func removeLeaf(_ slot: Int32) {
        let parent = slots[node: Int(slot)].parent
        removeFromHeaps(slot)
        removeFromLevel(slot)
        unlinkFromParent(slot)
        refreshHeapMembership(of: parent)
        releaseSlot(slot)
    }
}
