extension BranchTree {
    /// Whether `id` is a viewer in the tree (the broadcaster is not a viewer).
    /// - Complexity: O(1)
    public func contains(_ id: ViewerID) -> Bool {
        findSlot(of: id, hash: _IDIndex.hash(id)) != nil
    }

    /// The viewer's record, or nil when `id` is not a viewer in the tree.
    /// - Complexity: O(fan-out)
    public subscript(id: ViewerID) -> Viewer? {
        findSlot(of: id, hash: _IDIndex.hash(id)).map { viewer(at: $0.slot) }
    }

    /// The node `id` receives the stream from: the broadcaster for a first viewer, nil for
    /// the broadcaster itself.
    /// - Throws: ``BranchTreeError/unknownViewer(_:)``
    /// - Complexity: O(1)
    public func parent(of id: ViewerID) throws(BranchTreeError) -> ViewerID? {
        let parent = slots[node: Int(try slot(of: id))].parent
        return parent == _Node.none ? nil : viewerID(ofSlot: parent)
    }

    /// The nodes `id` relays to, in order. For the broadcaster: the first viewers.
    /// - Throws: ``BranchTreeError/unknownViewer(_:)``
    /// - Complexity: O(fan-out)
    public func children(of id: ViewerID) throws(BranchTreeError) -> [ViewerID] {
        childSlots(of: try slot(of: id)).map { viewerID(ofSlot: $0) }
    }

    /// The epoch of the link that feeds `id`: the ``version`` of the operation that
    /// created it. A viewer that moves gets a new link and so a new epoch; one whose
    /// link survives a repair keeps its epoch.
    /// - Throws: ``BranchTreeError/unknownViewer(_:)``, also for the broadcaster, which
    ///   has no upstream link.
    /// - Complexity: O(1)
    public func linkEpoch(of id: ViewerID) throws(BranchTreeError) -> UInt64 {
        guard let slot = findSlot(of: id, hash: _IDIndex.hash(id))?.slot else { throw .unknownViewer(id) }
        return slots[epoch: Int(slot)]
    }

    /// The viewer's depth: 0 for a first viewer, one more per relay hop. The broadcaster
    /// sits above the first level, at −1.
    /// - Throws: ``BranchTreeError/unknownViewer(_:)``
    /// - Complexity: O(1)
    public func depth(of id: ViewerID) throws(BranchTreeError) -> Int {
        Int(slots[node: Int(try slot(of: id))].depth)
    }

    /// The relay path from `id` up to the broadcaster: `id` first, the broadcaster last.
    /// - Throws: ``BranchTreeError/unknownViewer(_:)``
    /// - Complexity: O(depth)
    public func path(toBroadcasterFrom id: ViewerID) throws(BranchTreeError) -> [ViewerID] {
        var slot = try slot(of: id)
        var path: [ViewerID] = []
        path.reserveCapacity(Int(slots[node: Int(slot)].depth) + 2)
        while slot != _Node.none {
            path.append(viewerID(ofSlot: slot))
            slot = slots[node: Int(slot)].parent
        }
        return path
    }

    /// Everyone below `id`, breadth-first in the tree's order (`id` excluded). For the
    /// broadcaster: every viewer.
    /// - Throws: ``BranchTreeError/unknownViewer(_:)``
    /// - Complexity: O(result)
    public func descendants(of id: ViewerID) throws(BranchTreeError) -> [ViewerID] {
        descendantSlots(of: try slot(of: id)).map { viewerID(ofSlot: $0) }
    }

    /// The number of viewers in the subtree rooted at `id`, `id` included; for the
    /// broadcaster, the number of viewers.
    /// - Throws: ``BranchTreeError/unknownViewer(_:)``
    /// - Complexity: O(result)
    public func subtreeSize(of id: ViewerID) throws(BranchTreeError) -> Int {
        let slot = try slot(of: id)
        return slot == 0 ? count : descendantSlots(of: slot).count + 1
    }

    /// The viewer ids at one depth, in the level's order.
    /// - Precondition: `0 <= depth < height`.
    /// - Complexity: O(level size)
    public func level(_ depth: Int) -> [ViewerID] {
        precondition((0..<height).contains(depth), "depth \(depth) is outside 0..<\(height)")
        return levelSlots(depth).map { viewerID(ofSlot: $0) }
    }

    /// The viewer ids per depth, each level in the policy's order.
    /// - Complexity: O(n)
    public var levels: [[ViewerID]] {
        (0..<height).map(level)
    }

    /// The number of viewers at each depth: the depth histogram, without listing ids.
    /// - Complexity: O(height)
    public var levelSizes: [Int] {
        levelLists.map { Int($0.count) }
    }

    /// Every viewer's record in the tree's deterministic order: by depth, each level in
    /// its order.
    /// - Complexity: O(n)
    public var viewers: [Viewer] {
        levelOrderSlots().map(viewer(at:))
    }

    /// Every viewer's slot, level by level, each level in its order.
    func levelOrderSlots() -> [Int32] {
        var result: [Int32] = []
        result.reserveCapacity(count)
        for depth in 0..<height { result.append(contentsOf: levelSlots(depth)) }
        return result
    }

    func viewer(at slot: Int32) -> Viewer {
        let node = slots[node: Int(slot)]
        return Viewer(
            uuid: viewerID(ofSlot: slot),
            parentUUID: viewerID(ofSlot: node.parent),
            children: childSlots(of: slot).map { viewerID(ofSlot: $0) },
            capacity: Int(node.capacity),
            depth: Int(node.depth))
    }
}
