import BranchTree

extension RoomStateMachine {
    /// `GET /api/rooms/{room}/tree`: every viewer in level order, with what its page
    /// last reported, and the sessions not placed yet.
    /// - Complexity: O(n log n)
    var treeJSON: JSONValue {
        var viewers: [JSONValue] = []
        var placed: Set<ViewerID> = []
        for level in tree.levels {
            for id in level {
                guard let viewer = tree[id] else { continue }
                placed.insert(id)
                let session = sessions[id]
                viewers.append([
                    "id": .string(id.rawValue), "parent": .string(viewer.parentUUID.rawValue),
                    "depth": JSONValue(viewer.depth), "relayable": .bool(viewer.relayable),
                    "capacity": JSONValue(viewer.capacity),
                    "children": .array(viewer.children.map { .string($0.rawValue) }),
                    "receiving": .bool(session?.report.receiving ?? false),
                    "framesDecoded": JSONValue(session?.report.framesDecoded ?? 0),
                    "upstream": JSONValue(session?.report.upstream?.rawValue),
                    "connected": .bool(session?.connection != nil),
                    "phase": JSONValue(session?.machine.phase.wireName),
                ])
            }
        }
        let waiting = sessions.keys.filter { !placed.contains($0) }.sorted().map { JSONValue.string($0.rawValue) }
        return [
            "room": .string(name.rawValue), "broadcaster": .string(Self.broadcasterID.rawValue),
            "fanout": JSONValue(tree.configuration.fanout),
            "broadcasterFanout": JSONValue(tree.configuration.broadcasterFanout),
            "policy": .string(tree.configuration.policy.rawValue),
            "version": .string(String(tree.version)), "live": .bool(isLive), "viewers": .array(viewers),
            "waiting": .array(waiting),
        ]
    }

    /// `GET /api/rooms/{room}/stats`.
    /// - Complexity: O(n) for the level sizes.
    var statsJSON: JSONValue {
        let figures = statistics
        func counts<Key>(_ table: [Key: Int], _ name: (Key) -> String) -> JSONValue {
            .object(Dictionary(uniqueKeysWithValues: table.map { (name($0.key), JSONValue($0.value)) }))
        }
        return [
            "room": .string(name.rawValue), "live": .bool(isLive), "viewers": JSONValue(tree.count),
            "sessions": JSONValue(sessions.count),
            "connectedSessions": JSONValue(sessions.values.filter { $0.connection != nil }.count),
            "receiving": JSONValue(sessions.values.filter(\.report.receiving).count),
            "height": JSONValue(tree.height), "levelSizes": .array(tree.levelSizes.map(JSONValue.init)),
            "awaitingConfirmation": JSONValue(broadcaster.awaitingConfirmation.count),
            "joins": JSONValue(figures.joins), "departures": JSONValue(figures.departures),
            "repairs": JSONValue(figures.repairs), "interrupted": JSONValue(figures.interrupted),
            "linksCreated": JSONValue(figures.linksCreated), "linksCut": JSONValue(figures.linksCut),
            "restarts": JSONValue(figures.restarts), "framesIn": JSONValue(figures.framesIn),
            "framesOut": JSONValue(figures.framesOut), "signalsForwarded": JSONValue(figures.signalsForwarded),
            "heldWhileOffline": JSONValue(figures.heldWhileOffline),
            "staleLinkReports": JSONValue(figures.staleLinkReports),
            "refused": counts(figures.refused, \.rawValue), "ignored": counts(figures.ignored, { $0 }),
            "recentRepairs": .array(
                figures.recentRepairs.reversed().map { repair in
                    [
                        "at": .number(repair.at.seconds), "kind": "departure",
                        "subject": .string(repair.subject.rawValue), "interrupted": JSONValue(repair.interrupted),
                        "moves": JSONValue(repair.moves), "linksCreated": JSONValue(repair.linksCreated),
                        "linksCut": JSONValue(repair.linksCut),
                    ]
                }),
        ]
    }
}
