import Foundation

/// The end-of-run check of `GET /api/rooms/{room}/tree` against the viewers the client holds.
struct TreeCheck: Sendable {
    var treeViewers = 0
    var waiting = 0
    var clientConnected = 0
    var fanout = 0
    var height = 0
    var live = false
    /// Client-held viewers absent from the tree (neither placed nor waiting).
    var missing: [String] = []
    /// Client-held viewers in `waiting` after the settle time.
    var waitingHeld: [String] = []
    /// Tree viewers the client does not hold (left, dropped, or never known).
    var extra: [String] = []
    var duplicates: [String] = []
    /// Viewers whose parent is neither the broadcaster nor a viewer of the tree.
    var orphans: [String] = []
    /// Viewers not reaching the broadcaster by their parents (a cycle).
    var cycles: [String] = []
    /// Peers with more children than their limit (fanout, or a smaller `capacity`).
    var overFanout: [String] = []
    /// Viewers whose `children` field disagrees with the parent pointers of the tree.
    var childrenFieldMismatch: [String] = []
    var depthMismatch: [String] = []
    /// Viewers the tree shows with `connected` false after the settle time.
    var notConnected: [String] = []
    /// Viewers whose parent in the tree is not the last `placed` the client received.
    var parentMismatch: [String] = []
    var maxChildren = 0
    var problems: [String] = []

    var passed: Bool { problems.isEmpty }

    /// `held`: the client's connected viewers, id → the parent of the last `placed` it received.
    init(tree: [String: Any], held: [String: String?], fanoutFallback: Int) {
        clientConnected = held.count
        let broadcaster = (tree["broadcaster"] as? String) ?? "broadcaster"
        fanout = intValue(tree["fanout"]) ?? fanoutFallback
        live = (tree["live"] as? Bool) ?? ((tree["live"] as? NSNumber)?.boolValue ?? false)
        let viewers = (tree["viewers"] as? [[String: Any]]) ?? []
        let waitingIDs = ((tree["waiting"] as? [Any]) ?? []).compactMap {
            ($0 as? String) ?? ($0 as? [String: Any])?["id"] as? String
        }
        treeViewers = viewers.count
        waiting = waitingIDs.count

        var byID: [String: [String: Any]] = [:]
        var order: [String] = []
        for viewer in viewers {
            guard let id = viewer["id"] as? String else {
                problems.append("a tree viewer without an id")
                continue
            }
            if byID[id] != nil { duplicates.append(id) }
            byID[id] = viewer
            order.append(id)
        }
        let waitingSet = Set(waitingIDs)
        for id in held.keys.sorted() where byID[id] == nil {
            if waitingSet.contains(id) { waitingHeld.append(id) } else { missing.append(id) }
        }
        for id in order where held[id] == nil { extra.append(id) }

        var childCount: [String: Int] = [broadcaster: 0]
        for id in order {
            let viewer = byID[id]!
            guard let parent = viewer["parent"] as? String else {
                orphans.append(id)
                continue
            }
            if parent != broadcaster, byID[parent] == nil { orphans.append(id) }
            childCount[parent, default: 0] += 1
            if let expected = held[id], let expected, expected != parent { parentMismatch.append(id) }
            if let connected = viewer["connected"] {
                let isConnected = (connected as? Bool) ?? ((connected as? NSNumber)?.boolValue ?? true)
                if !isConnected { notConnected.append(id) }
            }
        }
        maxChildren = childCount.values.max() ?? 0
        if (childCount[broadcaster] ?? 0) > fanout { overFanout.append(broadcaster) }
        for id in order {
            let viewer = byID[id]!
            let derived = childCount[id] ?? 0
            var limit = fanout
            if let capacity = intValue(viewer["capacity"]) { limit = min(limit, capacity) }
            if (viewer["relayable"] as? Bool) == false { limit = 0 }
            var field: Int?
            if let list = viewer["children"] as? [Any] {
                field = list.count
            } else {
                field = intValue(viewer["children"])
            }
            if derived > limit || (field ?? 0) > limit { overFanout.append(id) }
            if let field, field != derived { childrenFieldMismatch.append(id) }
        }

        // Depths: children of the broadcaster all share one depth; below, parent + 1.
        var firstLevelDepth: Int?
        var depthOf: [String: Int] = [:]
        for id in order { if let depth = intValue(byID[id]!["depth"]) { depthOf[id] = depth } }
        for id in order {
            guard let depth = depthOf[id], let parent = byID[id]!["parent"] as? String else { continue }
            if parent == broadcaster {
                if firstLevelDepth == nil { firstLevelDepth = depth }
                if depth != firstLevelDepth { depthMismatch.append(id) }
            } else if let parentDepth = depthOf[parent], depth != parentDepth + 1 {
                depthMismatch.append(id)
            }
        }
        // Every viewer must reach the broadcaster by its parents within the tree's size.
        for id in order {
            var current = id
            var steps = 0
            var reached = false
            while steps <= order.count {
                guard let parent = byID[current]?["parent"] as? String else { break }
                if parent == broadcaster {
                    reached = true
                    break
                }
                current = parent
                steps += 1
            }
            if !reached, byID[current]?["parent"] is String { cycles.append(id) }
            height = max(height, reached ? steps + 1 : 0)
        }

        if !live { problems.append("the room is not live (the broadcaster is not in it)") }
        if treeViewers != clientConnected {
            problems.append("the tree has \(treeViewers) viewers, the client holds \(clientConnected) connected")
        }
        func note(_ list: [String], _ what: String) {
            guard !list.isEmpty else { return }
            let sample = list.prefix(5).joined(separator: ", ")
            problems.append("\(list.count) \(what) (\(sample)\(list.count > 5 ? ", ..." : ""))")
        }
        note(missing, "connected viewers missing from the tree")
        note(waitingHeld, "connected viewers still waiting after the settle time")
        note(extra, "tree viewers the client does not hold")
        note(duplicates, "viewers listed twice")
        note(orphans, "viewers whose parent is not in the tree")
        note(cycles, "viewers not reaching the broadcaster")
        note(overFanout, "peers with more children than fanout \(fanout) (or their capacity)")
        note(childrenFieldMismatch, "viewers whose `children` disagrees with the parents in the tree")
        note(depthMismatch, "viewers whose depth is not their parent's + 1")
        note(notConnected, "viewers not connected after the settle time")
        note(parentMismatch, "viewers whose tree parent is not their last `placed` parent")
    }

    var json: [String: Any] {
        [
            "passed": passed, "problems": problems, "treeViewers": treeViewers, "waiting": waiting,
            "clientConnected": clientConnected, "fanout": fanout, "height": height, "maxChildren": maxChildren,
            "live": live, "missing": missing.count, "waitingHeld": waitingHeld.count, "extra": extra.count,
            "duplicates": duplicates.count, "orphans": orphans.count, "cycles": cycles.count,
            "overFanout": overFanout.count, "childrenFieldMismatch": childrenFieldMismatch.count,
            "depthMismatch": depthMismatch.count, "notConnected": notConnected.count,
            "parentMismatch": parentMismatch.count,
        ]
    }
}
