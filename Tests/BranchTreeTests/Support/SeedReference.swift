import BranchTree

/// A deliberately naive transliteration of seed 003's add-branch and migrate-branch, as
/// as the original `skyway_peerjs_stream_relay` code runs it. Every viewer is relayable at the full fan-out.
///
/// It keeps the seed's own state — one insertion-ordered list of records per depth — and
/// finds everything by linear scans, so that it is obviously right rather than fast. The
/// differential tests hold ``BranchTree`` with ``Policy/skyway`` to it after every step.
///
/// `broadcasterFanout` is 1 in the seed ("the broadcaster itself never gets a second
/// child"); a larger value only lets the scan stop at the broadcaster more often.
struct SeedReference {
    struct Record: Equatable {
        var id: ViewerID
        var parent: ViewerID
        var depth: Int
        var children: [ViewerID]
    }

    let broadcaster: ViewerID
    let fanout: Int
    let broadcasterFanout: Int
    /// The broadcaster's children (the first viewers), in order.
    private(set) var firstViewers: [ViewerID] = []
    /// `levels[d]` holds the records at depth `d` in insertion order.
    private(set) var levels: [[Record]] = []

    init(broadcaster: ViewerID = "root", fanout: Int, broadcasterFanout: Int = 1) {
        self.broadcaster = broadcaster
        self.fanout = fanout
        self.broadcasterFanout = broadcasterFanout
    }

    var count: Int { levels.reduce(0) { $0 + $1.count } }

    /// Where `id`'s record is: its depth and index in that level.
    func locate(_ id: ViewerID) -> (depth: Int, index: Int)? {
        for (depth, level) in levels.enumerated() {
            if let index = level.firstIndex(where: { $0.id == id }) { return (depth, index) }
        }
        return nil
    }

    func record(_ id: ViewerID) -> Record? {
        locate(id).map { levels[$0.depth][$0.index] }
    }

    func contains(_ id: ViewerID) -> Bool { locate(id) != nil }

    // MARK: add-branch

    /// The joiner goes under the first node with a free slot: the broadcaster, then depth
    /// 0, 1, 2 … each level in its order; it is appended to that node's children and to
    /// the end of the next level.
    mutating func join(_ id: ViewerID) {
        precondition(!contains(id), "the reference only models joins of new viewers")
        if firstViewers.count < broadcasterFanout {
            firstViewers.append(id)
            append(Record(id: id, parent: broadcaster, depth: 0, children: []), toLevel: 0)
            return
        }
        for depth in levels.indices {
            for index in levels[depth].indices where levels[depth][index].children.count < fanout {
                levels[depth][index].children.append(id)
                let parent = levels[depth][index].id
                append(Record(id: id, parent: parent, depth: depth + 1, children: []), toLevel: depth + 1)
                return
            }
        }
        preconditionFailure("a tree of relayable viewers always has a free slot")
    }

    // MARK: migrate-branch

    mutating func leave(_ id: ViewerID) {
        guard let leaving = record(id) else { preconditionFailure("unknown viewer \(id)") }
        let last = levels.count - 1
        if leaving.depth == last {
            // On the deepest level: remove it; nobody moves.
            removeFromLevel(id)
            removeChild(id, fromParentOf: leaving)
            return
        }
        // The tail: the first entry of the deepest level.
        let tail = levels[last][0]
        removeFromLevel(tail.id)
        removeChild(tail.id, fromParentOf: tail)

        // T takes over X's record (read now: T may have been one of X's children).
        let leaver = record(id)!
        replaceChild(id, with: tail.id, inParentOf: leaver)
        let takeover = Record(id: tail.id, parent: leaver.parent, depth: leaver.depth, children: leaver.children)
        levels[leaver.depth].removeAll { $0.id == id }
        levels[leaver.depth].append(takeover)
        for child in leaver.children { setParent(of: child, to: tail.id) }
    }

    // MARK: Record keeping, by scans

    private mutating func append(_ record: Record, toLevel depth: Int) {
        if depth == levels.count { levels.append([]) }
        levels[depth].append(record)
    }

    /// Removes `id` from its level, popping the level when it becomes empty.
    private mutating func removeFromLevel(_ id: ViewerID) {
        let (depth, index) = locate(id)!
        levels[depth].remove(at: index)
        if levels[depth].isEmpty {
            precondition(depth == levels.count - 1, "only the deepest level can empty")
            levels.removeLast()
        }
    }

    private mutating func removeChild(_ child: ViewerID, fromParentOf record: Record) {
        if record.parent == broadcaster {
            firstViewers.removeAll { $0 == child }
        } else {
            let (depth, index) = locate(record.parent)!
            levels[depth][index].children.removeAll { $0 == child }
        }
    }

    /// In the parent's children: `old` removed, `new` appended at the end.
    private mutating func replaceChild(_ old: ViewerID, with new: ViewerID, inParentOf record: Record) {
        removeChild(old, fromParentOf: record)
        if record.parent == broadcaster {
            firstViewers.append(new)
        } else {
            let (depth, index) = locate(record.parent)!
            levels[depth][index].children.append(new)
        }
    }

    private mutating func setParent(of id: ViewerID, to parent: ViewerID) {
        let (depth, index) = locate(id)!
        levels[depth][index].parent = parent
    }
}

extension SeedReference {
    /// The first difference between `tree` and the reference — levels, then every node's
    /// parent, depth and children in order — or nil when they agree exactly.
    func difference(from tree: BranchTree) -> String? {
        let expectedLevels = levels.map { $0.map(\.id) }
        if tree.levels != expectedLevels {
            return "levels: expected \(expectedLevels), got \(tree.levels)"
        }
        let actualFirst = (try? tree.children(of: tree.broadcaster)) ?? []
        if actualFirst != firstViewers {
            return "first viewers: expected \(firstViewers), got \(actualFirst)"
        }
        for level in levels {
            for record in level {
                guard let viewer = tree[record.id] else { return "\(record.id) is missing" }
                if viewer.parentUUID != record.parent {
                    return "\(record.id)'s parent: expected \(record.parent), got \(viewer.parentUUID)"
                }
                if viewer.depth != record.depth {
                    return "\(record.id)'s depth: expected \(record.depth), got \(viewer.depth)"
                }
                if viewer.children != record.children {
                    return "\(record.id)'s children: expected \(record.children), got \(viewer.children)"
                }
            }
        }
        if tree.count != count { return "count: expected \(count), got \(tree.count)" }
        return nil
    }
}
