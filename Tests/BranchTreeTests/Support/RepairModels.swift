import BranchTree

// The two repairs restated by plain scans over a copy of a tree's public records, for
// trees with any mix of capacities (the seed reference covers only relayable viewers).

/// Orphan rejoin by plain scans over a copy of a tree's records: remove the leaver,
/// detach every orphan's subtree, then place each orphan in order under the first node
/// in level order with a free slot, re-appending its subtree breadth-first.
struct NaiveRejoin {
    let broadcaster: ViewerID
    let broadcasterFanout: Int
    var levels: [[ViewerID]]
    var children: [ViewerID: [ViewerID]]
    var capacity: [ViewerID: Int]

    init(_ tree: BranchTree) {
        let snapshot = tree.snapshot()
        broadcaster = snapshot.broadcaster
        broadcasterFanout = snapshot.configuration.broadcasterFanout
        levels = snapshot.levels
        children = [snapshot.broadcaster: snapshot.firstViewers]
        capacity = [:]
        for viewer in snapshot.nodes {
            children[viewer.uuid] = viewer.children
            capacity[viewer.uuid] = viewer.capacity
        }
    }

    func subtree(of id: ViewerID) -> [ViewerID] {
        var result = children[id] ?? []
        var index = 0
        while index < result.count {
            result += children[result[index]] ?? []
            index += 1
        }
        return result
    }

    /// Returns the evicted viewers.
    mutating func leave(_ leaver: ViewerID) -> [ViewerID] {
        let orphans = children[leaver] ?? []
        let detached = Set(subtree(of: leaver) + [leaver])
        for key in Array(children.keys) where children[key]!.contains(leaver) {
            children[key]!.removeAll { $0 == leaver }
        }
        levels = levels.map { $0.filter { !detached.contains($0) } }
        while levels.last?.isEmpty == true { levels.removeLast() }
        children[leaver] = nil

        var evicted: [ViewerID] = []
        for orphan in orphans {
            guard let (parent, depth) = firstFit() else {
                for gone in [orphan] + subtree(of: orphan) {
                    evicted.append(gone)
                    children[gone] = nil
                }
                continue
            }
            children[parent]!.append(orphan)
            var placing: [(ViewerID, Int)] = [(orphan, depth)]
            var index = 0
            while index < placing.count {
                let (id, level) = placing[index]
                if level == levels.count { levels.append([]) }
                levels[level].append(id)
                placing += (children[id] ?? []).map { ($0, level + 1) }
                index += 1
            }
        }
        return evicted
    }

    /// The first node with a free slot — the broadcaster, then each level in order — and
    /// the depth a child of it sits at.
    func firstFit() -> (ViewerID, Int)? {
        if children[broadcaster]!.count < broadcasterFanout { return (broadcaster, 0) }
        for (depth, level) in levels.enumerated() {
            for id in level where children[id]!.count < capacity[id]! { return (id, depth + 1) }
        }
        return nil
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
