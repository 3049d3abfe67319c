import BranchTree

// The repairs restated by plain scans over a copy of a tree's public records, for trees
// with any mix of capacities (the seed reference covers only relayable viewers).

/// Add-branch by plain scans over a copy of a tree's public records — joins, and the
/// orphan rejoin built on it — writing the ``TreeChange`` the tree must report.
///
/// A detached subtree (a joiner, or an orphan with its subtree) goes under the first node
/// in level order with a free slot, as its last child. When no node has one and the
/// subtree's root can relay, the root takes the place of the first non-relayable viewer
/// in level order — shallowest depth first, then the level's order: that viewer D leaves
/// its level and its parent P's children, the root is appended to P's children and to
/// the level, and D rejoins by add-branch (normally under the root), or is evicted when
/// no slot exists even then. In an orphan rejoin, an orphan with no place (one that
/// cannot relay) waits for its siblings and is evicted only if there is still none.
struct NaiveAddBranch {
    let broadcaster: ViewerID
    let broadcasterFanout: Int
    var levels: [[ViewerID]]
    var children: [ViewerID: [ViewerID]]
    var capacity: [ViewerID: Int]
    /// Each viewer's depth in the tree the model was made from: a move's `fromDepth`.
    let depthBefore: [ViewerID: Int]
    /// The change of the operation being modelled.
    var change: TreeChange
    /// For a ``Policy/stable`` tree, each viewer's order of arrival: a level's free slots
    /// are then taken oldest first. Nil for the other policies (level order).
    var arrival: [ViewerID: UInt64]?

    init(_ tree: BranchTree) {
        let snapshot = tree.snapshot()
        broadcaster = snapshot.broadcaster
        broadcasterFanout = snapshot.configuration.broadcasterFanout
        levels = snapshot.levels
        children = [snapshot.broadcaster: snapshot.firstViewers]
        capacity = [:]
        var depths: [ViewerID: Int] = [:]
        for viewer in snapshot.nodes {
            children[viewer.uuid] = viewer.children
            capacity[viewer.uuid] = viewer.capacity
            depths[viewer.uuid] = viewer.depth
        }
        depthBefore = depths
        change = TreeChange(subject: broadcaster, outcome: .left)
        if snapshot.configuration.policy == .stable {
            arrival = Dictionary(uniqueKeysWithValues: zip(snapshot.nodes.map(\.uuid), snapshot.joinOrder))
        }
    }

    // MARK: Scans

    func subtree(of id: ViewerID) -> [ViewerID] {
        var result = children[id] ?? []
        var index = 0
        while index < result.count {
            result += children[result[index]] ?? []
            index += 1
        }
        return result
    }

    /// The depth of a placed viewer; −1 for the broadcaster.
    func depth(of id: ViewerID) -> Int {
        id == broadcaster ? -1 : levels.firstIndex { $0.contains(id) }!
    }

    /// The parent of a placed viewer.
    func parent(of id: ViewerID) -> ViewerID {
        if children[broadcaster]!.contains(id) { return broadcaster }
        return levels.joined().first { children[$0]!.contains(id) }!
    }

    /// The first node with a free slot: the broadcaster, then each level in order (in a
    /// stable tree, the level's oldest viewer with a free slot).
    func firstFit() -> ViewerID? {
        if children[broadcaster]!.count < broadcasterFanout { return broadcaster }
        guard let arrival else { return levels.joined().first { children[$0]!.count < capacity[$0]! } }
        for level in levels {
            let free = level.filter { children[$0]!.count < capacity[$0]! }
            if let oldest = free.min(by: { arrival[$0]! < arrival[$1]! }) { return oldest }
        }
        return nil
    }

    /// The first viewer that cannot relay: the shallowest level first, each in order.
    func firstNonRelayable() -> ViewerID? {
        levels.joined().first { capacity[$0]! == 0 }
    }

    // MARK: Operations

    /// Joins a new viewer; nil when there is no place for it (the model is then unchanged).
    mutating func join(_ id: ViewerID, capacity joinerCapacity: Int) -> TreeChange? {
        precondition(children[id] == nil, "the model only joins new viewers")
        change = TreeChange(subject: id, outcome: .left)
        children[id] = []
        capacity[id] = joinerCapacity
        if let order = arrival { arrival![id] = (order.values.max() ?? 0) + 1 }
        guard let parent = place(id) else {
            children[id] = nil
            capacity[id] = nil
            return nil
        }
        change.outcome = .joined(parent: parent, depth: depth(of: id))
        return change
    }

    /// Orphan rejoin: removes the leaver, detaches every orphan's subtree, then places
    /// each orphan in order. An orphan with no place waits until its siblings are placed
    /// (their subtrees may bring free slots); the waiting ones are then placed in order,
    /// and one with no place even then is evicted.
    mutating func leave(_ leaver: ViewerID) -> TreeChange {
        change = TreeChange(subject: leaver, outcome: .left)
        let leaverParent = parent(of: leaver)
        let leaverDepth = depth(of: leaver)
        let orphans = children[leaver]!
        let descendants = subtree(of: leaver)
        change.linksCut =
            [Link(parent: leaverParent, child: leaver)]
            + orphans.map { Link(parent: leaver, child: $0) }
        change.reconnecting = orphans
        change.keepingLink = Array(descendants.dropFirst(orphans.count))

        let detached = Set(descendants + [leaver])
        children[leaverParent]!.removeAll { $0 == leaver }
        levels = levels.map { $0.filter { !detached.contains($0) } }
        while levels.last?.isEmpty == true { levels.removeLast() }
        children[leaver] = nil
        capacity[leaver] = nil

        func rejoin(_ orphan: ViewerID) -> Bool {
            place(orphan, from: (leaver, leaverDepth + 1)) != nil
        }
        var waiting: [ViewerID] = []
        for orphan in orphans {
            if !rejoin(orphan) { waiting.append(orphan) }
        }
        for orphan in waiting {
            if rejoin(orphan) { continue }
            for gone in [orphan] + subtree(of: orphan) {
                change.evicted.append(gone)
                change.reconnecting.removeAll { $0 == gone }
                change.keepingLink.removeAll { $0 == gone }
                children[gone] = nil
                capacity[gone] = nil
            }
        }
        return change
    }

    // MARK: Placement

    /// Places the detached subtree of `root` by add-branch and records it in `change`
    /// (its link, and its move when it comes from `origin`, before anything the
    /// placement displaces); returns its new parent, or nil when it has no place
    /// (nothing changed).
    mutating func place(_ root: ViewerID, from origin: (parent: ViewerID, depth: Int)? = nil) -> ViewerID? {
        func recordMove(under parent: ViewerID) {
            guard let origin else { return }
            change.moves.append(
                TreeChange.Move(
                    viewer: root, fromParent: origin.parent, toParent: parent,
                    fromDepth: origin.depth, toDepth: depth(of: root)))
        }
        if let parent = firstFit() {
            attach(root, under: parent)
            recordMove(under: parent)
            return parent
        }
        guard capacity[root]! > 0, let displaced = firstNonRelayable() else { return nil }
        let parent = parent(of: displaced)
        let displacedDepth = depth(of: displaced)
        children[parent]!.removeAll { $0 == displaced }
        levels[displacedDepth].removeAll { $0 == displaced }
        attach(root, under: parent)
        recordMove(under: parent)

        // The displaced viewer rejoins; the change is merged with what it already says.
        let oldLink = Link(parent: parent, child: displaced)
        if let created = change.linksCreated.firstIndex(of: oldLink) {
            change.linksCreated.remove(at: created)
        } else {
            change.linksCut.append(oldLink)
        }
        change.keepingLink.removeAll { $0 == displaced }
        let earlierMove = change.moves.firstIndex { $0.viewer == displaced }
        guard let newParent = firstFit() else {
            if let earlierMove { change.moves.remove(at: earlierMove) }
            change.reconnecting.removeAll { $0 == displaced }
            change.evicted.append(displaced)
            children[displaced] = nil
            capacity[displaced] = nil
            return parent
        }
        attach(displaced, under: newParent)
        if !change.reconnecting.contains(displaced) { change.reconnecting.append(displaced) }
        // One move per viewer, from where it was before the change to where it ends up,
        // listed after the move of the viewer that displaced it.
        let origin = earlierMove.map { change.moves.remove(at: $0) }
        change.moves.append(
            TreeChange.Move(
                viewer: displaced, fromParent: origin?.fromParent ?? parent, toParent: newParent,
                fromDepth: origin?.fromDepth ?? depthBefore[displaced]!, toDepth: depth(of: displaced)))
        return parent
    }

    /// Appends `root` to `parent`'s children and its subtree, breadth-first, to the end of
    /// each of its new levels; records the new link.
    private mutating func attach(_ root: ViewerID, under parent: ViewerID) {
        children[parent]!.append(root)
        change.linksCreated.append(Link(parent: parent, child: root))
        var placing = [(root, depth(of: parent) + 1)]
        var index = 0
        while index < placing.count {
            let (id, level) = placing[index]
            if level == levels.count { levels.append([]) }
            levels[level].append(id)
            placing += children[id]!.map { ($0, level + 1) }
            index += 1
        }
    }

    // MARK: Comparing

    /// The first difference between `tree` and the model — levels, then every node's
    /// children in order and capacity, then the count — or nil when they agree.
    func difference(from tree: BranchTree) -> String? {
        if tree.levels != levels { return "levels: expected \(levels), got \(tree.levels)" }
        for id in [broadcaster] + levels.joined() {
            let actual = (try? tree.children(of: id)) ?? []
            if actual != children[id] { return "\(id)'s children: expected \(children[id]!), got \(actual)" }
            if id != broadcaster, tree[id]?.capacity != capacity[id] {
                return "\(id)'s capacity: expected \(capacity[id]!), got \(String(describing: tree[id]?.capacity))"
            }
        }
        let count = levels.reduce(0) { $0 + $1.count }
        if tree.count != count { return "count: expected \(count), got \(tree.count)" }
        return nil
    }

    /// The first difference between `actual` and the change the model wrote, field by
    /// field and in order, or nil when they agree.
    func difference(from actual: TreeChange) -> String? {
        let expected = change
        if actual.subject != expected.subject { return "subject: expected \(expected.subject), got \(actual.subject)" }
        if actual.outcome != expected.outcome { return "outcome: expected \(expected.outcome), got \(actual.outcome)" }
        if actual.moves != expected.moves { return "moves: expected \(expected.moves), got \(actual.moves)" }
        if actual.linksCut != expected.linksCut {
            return "linksCut: expected \(expected.linksCut), got \(actual.linksCut)"
        }
        if actual.linksCreated != expected.linksCreated {
            return "linksCreated: expected \(expected.linksCreated), got \(actual.linksCreated)"
        }
        if actual.reconnecting != expected.reconnecting {
            return "reconnecting: expected \(expected.reconnecting), got \(actual.reconnecting)"
        }
        if actual.keepingLink != expected.keepingLink {
            return "keepingLink: expected \(expected.keepingLink), got \(actual.keepingLink)"
        }
        if actual.evicted != expected.evicted { return "evicted: expected \(expected.evicted), got \(actual.evicted)" }
        return nil
    }

}

/// Leaf migration with a given tail, restated: T leaves its level (dropped if empty) and
/// its parent's children; then T replaces the leaver at the end of the leaver's parent's
/// children and of the leaver's level, adopting the leaver's remaining children in order.
struct NaiveMigration {
    var levels: [[ViewerID]]
    var children: [ViewerID: [ViewerID]]
    let broadcaster: ViewerID

    init(_ tree: BranchTree) {
        let snapshot = tree.snapshot()
        broadcaster = snapshot.broadcaster
        levels = snapshot.levels
        children = [snapshot.broadcaster: snapshot.firstViewers]
        for viewer in snapshot.nodes { children[viewer.uuid] = viewer.children }
    }

    func parent(of id: ViewerID) -> ViewerID {
        children.first { $0.value.contains(id) }!.key
    }

    mutating func migrate(_ tail: ViewerID, into leaver: ViewerID) {
        let tailParent = parent(of: tail)
        children[tailParent]!.removeAll { $0 == tail }
        let tailDepth = levels.firstIndex { $0.contains(tail) }!
        levels[tailDepth].removeAll { $0 == tail }
        if levels[tailDepth].isEmpty { levels.remove(at: tailDepth) }

        let leaverParent = parent(of: leaver)
        children[leaverParent]!.removeAll { $0 == leaver }
        children[leaverParent]!.append(tail)
        let leaverDepth = levels.firstIndex { $0.contains(leaver) }!
        levels[leaverDepth].removeAll { $0 == leaver }
        levels[leaverDepth].append(tail)
        children[tail] = children.removeValue(forKey: leaver)!
    }

    func difference(from tree: BranchTree) -> String? {
        if tree.levels != levels { return "levels: expected \(levels), got \(tree.levels)" }
        for id in [broadcaster] + levels.joined() {
            let actual = (try? tree.children(of: id)) ?? []
            if actual != children[id] { return "\(id)'s children: expected \(children[id]!), got \(actual)" }
        }
        return nil
    }
}
