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
                outcome: .alreadyPresent(parent: viewerID(ofSlot: node.parent), depth: Int(node.depth)))
        }
        let capacity = try placeableCapacity(for: id, relayable: relayable, capacity: capacity)
        var recorder = _TreeChangeRecorder(subject: id, outcome: .left)
        let slot = insert(id, hash: hash, capacity: capacity, recordingInto: &recorder)
        recorder.change.outcome = .joined(
            parent: viewerID(ofSlot: slots[node: Int(slot)].parent), depth: Int(slots[node: Int(slot)].depth))
        return recorder.change
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
        guard let found = findSlot(of: id, hash: _IDIndex.hash(id)) else { throw .unknownViewer(id) }
        var recorder = _TreeChangeRecorder(subject: id, outcome: .left, leaver: found.slot)
        remove(found, recordingInto: &recorder)
        return recorder.change
    }

    /// The capacity a joiner not in the tree takes, once it is known to have a place.
    /// - Throws: ``BranchTreeError/invalidCapacity(_:fanout:)`` or
    ///   ``BranchTreeError/noRelaySlot(_:)``, as ``join(_:relayable:capacity:)``.
    func placeableCapacity(for id: ViewerID, relayable: Bool, capacity: Int?) throws(BranchTreeError) -> Int {
        let capacity = try configuration.capacity(relayable: relayable, override: capacity)
        guard hasPlacement(forCapacity: capacity) else { throw .noRelaySlot(id) }
        return capacity
    }

    /// Removes the viewer its lookup `found` (from `findSlot(of:hash:)`), repairs the tree
    /// by the policy's rule and records the change.
    mutating func remove<Recorder: _RepairRecorder>(
        _ found: (bucket: Int, slot: Int32), recordingInto recorder: inout Recorder
    ) {
        // The leaver leaves the index while its entry is at hand.
        if found.bucket < 0 { anonymousViewers -= 1 } else { idIndex.remove(at: found.bucket) }
        repair(afterRemoving: found.slot, recordingInto: &recorder)
    }

    /// Takes a slot for a viewer that is not in the tree and for which there is a place
    /// (`hasPlacement(forCapacity:)`), places it by add-branch and records the change.
    /// Returns the slot.
    mutating func insert<Recorder: _RepairRecorder>(
        _ id: ViewerID, hash: UInt32, capacity: Int, recordingInto recorder: inout Recorder
    ) -> Int32 {
        if capacity != configuration.fanout { keepsSeedShape = false }
        version &+= 1
        let slot = allocateSlot(for: id, hash: hash, capacity: capacity)
        guard placeDetachedSubtree(slot, change: &recorder) != nil else {
            preconditionFailure("hasPlacement(forCapacity:) promised a place")
        }
        _checkInvariants()
        return slot
    }

    /// Repairs the tree by the policy's rule after the viewer at `slot`, already out of
    /// the id index, leaves, and records the change.
    mutating func repair<Recorder: _RepairRecorder>(
        afterRemoving slot: Int32, recordingInto recorder: inout Recorder
    ) {
        version &+= 1
        switch configuration.policy {
        case .skyway: leaveByLeafMigration(slot, change: &recorder)
        case .rejoin: leaveByOrphanRejoin(slot, change: &recorder)
        case .stable: leaveByOldestLeafPromotion(slot, change: &recorder)
        }
        _checkInvariants()
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
    mutating func recordDeparture<Recorder: _RepairRecorder>(
        of slot: Int32, tail: Int32? = nil, change: inout Recorder
    ) -> [Int32] {
        let node = slots[node: Int(slot)]
        // The walk fills the tree's reused buffer, so that a leave allocates nothing.
        var subtree: [Int32] = []
        if node.childCount > 0 {
            swap(&subtree, &subtreeBuffer)
            subtree.removeAll(keepingCapacity: true)
            // Repairs record the departure first, while the levels are intact.
            appendDescendants(of: slot, to: &subtree, leafDepth: Int32(height - 1))
        }
        defer { if !subtree.isEmpty { subtreeBuffer = subtree } }
        let childCount = Int(node.childCount)
        let tailCount = tail == nil ? 0 : 1
        change.reserve(
            cuts: 1 + childCount + tailCount, reconnecting: childCount + tailCount,
            keepingLink: subtree.count - childCount)
        change.recordCut(parent: node.parent, child: slot, slots: slots)
        for (index, descendant) in subtree.enumerated() {
            if index < childCount {
                change.recordCut(parent: slot, child: descendant, slots: slots)
                change.recordReconnecting(descendant, slots: slots)
            } else if descendant != tail {
                change.recordKeepingLink(descendant, slots: slots)
            }
        }
        if let tail, slots[node: Int(tail)].parent != slot {
            change.recordCut(parent: slots[node: Int(tail)].parent, child: tail, slots: slots)
            change.recordReconnecting(tail, slots: slots)
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
