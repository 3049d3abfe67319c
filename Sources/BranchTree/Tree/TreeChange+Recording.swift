/// Builds the ``TreeChange`` a public join or leave returns, turning the slots a repair
/// records into viewer ids as it goes.
struct _TreeChangeRecorder: _RepairRecorder {
    var change: TreeChange
    /// The leaver's slot (`_Node.none` for a join): freed during the repair while links
    /// recorded later still name it, so its id comes from ``TreeChange/subject``.
    let leaver: Int32

    init(subject: ViewerID, outcome: TreeChange.Outcome, leaver: Int32 = _Node.none) {
        change = TreeChange(subject: subject, outcome: outcome)
        self.leaver = leaver
    }

    @inline(__always)
    private func id(_ slot: Int32, _ slots: _SlotStorage) -> ViewerID {
        slot == leaver ? change.subject : BranchTree.viewerID(ofSlot: slot, in: slots)
    }

    mutating func recordCut(parent: Int32, child: Int32, slots: _SlotStorage) {
        change.linksCut.append(Link(parent: id(parent, slots), child: id(child, slots)))
    }

    mutating func recordLink(
        to viewer: Int32, under parent: Int32, depth: Int, movedFrom origin: (parent: Int32, depth: Int)?,
        slots: _SlotStorage
    ) {
        let viewerID = id(viewer, slots)
        let parentID = id(parent, slots)
        change.linksCreated.append(Link(parent: parentID, child: viewerID))
        if let origin {
            change.moves.append(
                TreeChange.Move(
                    viewer: viewerID, fromParent: id(origin.parent, slots), toParent: parentID,
                    fromDepth: origin.depth, toDepth: depth))
        }
    }

    mutating func recordReconnecting(_ viewer: Int32, slots: _SlotStorage) {
        change.reconnecting.append(id(viewer, slots))
    }

    mutating func recordKeepingLink(_ viewer: Int32, slots: _SlotStorage) {
        change.keepingLink.append(id(viewer, slots))
    }

    mutating func recordEviction(_ viewer: Int32, slots: _SlotStorage) {
        change.evicted.append(id(viewer, slots))
    }

    mutating func reserve(cuts: Int, reconnecting: Int, keepingLink: Int) {
        // Exactly what will be listed: a plain removal allocates one array.
        change.linksCut.reserveCapacity(cuts)
        if reconnecting > 0 { change.reconnecting.reserveCapacity(reconnecting) }
        if keepingLink > 0 { change.keepingLink.reserveCapacity(keepingLink) }
    }

    mutating func reserve(links count: Int) {
        change.moves.reserveCapacity(change.moves.count + count)
        change.linksCreated.reserveCapacity(change.linksCreated.count + count)
    }

    func depthShift(ofMoved viewer: Int32, slots: _SlotStorage) -> Int? {
        let viewerID = id(viewer, slots)
        return change.moves.first { $0.viewer == viewerID }.map { $0.toDepth - $0.fromDepth }
    }

    mutating func withdrawLink(parent: Int32, child: Int32, slots: _SlotStorage) -> Bool {
        let link = Link(parent: id(parent, slots), child: id(child, slots))
        guard let index = change.linksCreated.firstIndex(of: link) else { return false }
        change.linksCreated.remove(at: index)
        return true
    }

    mutating func withdrawMove(of viewer: Int32, slots: _SlotStorage) {
        let viewerID = id(viewer, slots)
        if let index = change.moves.firstIndex(where: { $0.viewer == viewerID }) { change.moves.remove(at: index) }
    }

    mutating func withdrawReconnecting(_ viewer: Int32, slots: _SlotStorage) {
        let viewerID = id(viewer, slots)
        change.reconnecting.removeAll { $0 == viewerID }
    }

    mutating func withdrawKeepingLink(_ viewer: Int32, slots: _SlotStorage) {
        let viewerID = id(viewer, slots)
        change.keepingLink.removeAll { $0 == viewerID }
    }

    func isReconnecting(_ viewer: Int32, slots: _SlotStorage) -> Bool {
        change.reconnecting.contains(id(viewer, slots))
    }

    mutating func recordRelink(
        to viewer: Int32, under parent: Int32, depth: Int, movedFrom origin: (parent: Int32, depth: Int),
        slots: _SlotStorage
    ) {
        let viewerID = id(viewer, slots)
        guard let earlier = change.moves.firstIndex(where: { $0.viewer == viewerID }) else {
            return recordLink(to: viewer, under: parent, depth: depth, movedFrom: origin, slots: slots)
        }
        let first = change.moves.remove(at: earlier)
        let parentID = id(parent, slots)
        change.linksCreated.append(Link(parent: parentID, child: viewerID))
        change.moves.append(
            TreeChange.Move(
                viewer: viewerID, fromParent: first.fromParent, toParent: parentID, fromDepth: first.fromDepth,
                toDepth: depth))
    }
}
