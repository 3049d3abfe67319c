extension BranchTree {
    /// A tree's complete state as plain values: what a broadcaster persists so that a
    /// restart can restore its tree, and the `levels` / `nodes` JSON of
    /// `branchtree-sim replay`.
    ///
    ///     let data = try JSONEncoder().encode(tree.snapshot())
    ///     let restored = try BranchTree(snapshot: JSONDecoder().decode(
    ///         BranchTree.Snapshot.self, from: data))
    ///     // restored == tree
    ///
    /// Level order and children order are part of the state: the seed's placement and
    /// repair depend on both.
    public struct Snapshot: Sendable, Hashable, Codable {
        /// The format this version of BranchTree writes. Format 2 added ``joinOrder``.
        public static let currentFormatVersion = 2
        /// The formats this version of BranchTree reads.
        public static let readableFormatVersions: ClosedRange<Int> = 1...2

        /// The largest ``version`` a snapshot may carry: 2⁶² below `UInt64.max`, so that
        /// a restored tree can count 2⁶² more changes (a century at a billion a second)
        /// before its version would wrap, and 2⁶² above the largest restart time in
        /// nanoseconds (`Int64.max`), to which a restarted broadcaster raises its
        /// numbering: its tree can still be saved and restored.
        public static let maximumVersion: UInt64 = .max - (1 << 62)

        /// The snapshot format, ``currentFormatVersion`` when written by this version.
        public var formatVersion: Int
        /// The broadcaster's id, the root of the tree.
        public var broadcaster: ViewerID
        /// The fan-outs and policy of the tree.
        public var configuration: Configuration
        /// The broadcaster's children in order.
        public var firstViewers: [ViewerID]
        /// Viewer ids per depth, each level in its order.
        public var levels: [[ViewerID]]
        /// Every viewer, in level order.
        public var nodes: [Viewer]
        /// The tree's ``BranchTree/version``, at most ``maximumVersion``. Optional in JSON
        /// (0 when absent).
        public var version: UInt64
        /// Each viewer's ``BranchTree/linkEpoch(of:)``, in the order of ``nodes``.
        /// Optional in JSON (all 0 when absent); when present, one per node.
        public var linkEpochs: [UInt64]
        /// Each viewer's place in the order of arrival, in the order of ``nodes``: a
        /// smaller value joined earlier. Only the ``Policy/stable`` policy reads it (it
        /// ranks viewers by age); the values themselves carry no meaning beyond their
        /// order (ties are broken by level order). Optional in JSON (when absent, as in
        /// format 1, the link epochs stand in: a viewer's link is never older than its
        /// arrival); when present, one per node.
        public var joinOrder: [UInt64]

        /// A snapshot from its parts; ``BranchTree/init(snapshot:)`` checks that they
        /// describe a valid tree. `linkEpochs` defaults to 0 for every node.
        public init(
            formatVersion: Int = Self.currentFormatVersion, broadcaster: ViewerID,
            configuration: Configuration, firstViewers: [ViewerID], levels: [[ViewerID]], nodes: [Viewer],
            version: UInt64 = 0, linkEpochs: [UInt64]? = nil, joinOrder: [UInt64]? = nil
        ) {
            self.formatVersion = formatVersion
            self.broadcaster = broadcaster
            self.configuration = configuration
            self.firstViewers = firstViewers
            self.levels = levels
            self.nodes = nodes
            self.version = version
            self.linkEpochs = linkEpochs ?? Array(repeating: 0, count: nodes.count)
            self.joinOrder = joinOrder ?? self.linkEpochs
        }

        private enum CodingKeys: String, CodingKey {
            case formatVersion, broadcaster, configuration, firstViewers, levels, nodes, version, linkEpochs
            case joinOrder
        }

        /// Reads a snapshot from JSON; `version` and `linkEpochs` are optional.
        ///
        /// Prefer ``init(jsonData:)``, which throws a typed ``BranchTreeError``.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                formatVersion: try container.decode(Int.self, forKey: .formatVersion),
                broadcaster: try container.decode(ViewerID.self, forKey: .broadcaster),
                configuration: try container.decode(Configuration.self, forKey: .configuration),
                firstViewers: try container.decode([ViewerID].self, forKey: .firstViewers),
                levels: try container.decode([[ViewerID]].self, forKey: .levels),
                nodes: try container.decode([Viewer].self, forKey: .nodes),
                version: try container.decodeIfPresent(UInt64.self, forKey: .version) ?? 0,
                linkEpochs: try container.decodeIfPresent([UInt64].self, forKey: .linkEpochs),
                joinOrder: try container.decodeIfPresent([UInt64].self, forKey: .joinOrder))
        }
    }

    /// The tree's state as a ``Snapshot``. A ``Policy/stable`` tree writes its order of
    /// arrival as 0, 1, 2 …, as a restored tree numbers it, so that a restored tree's
    /// snapshot is the saved one.
    /// - Complexity: O(n), or O(n log n) for a ``Policy/stable`` tree.
    public func snapshot() -> Snapshot {
        let order = levelOrderSlots()
        let ranks = order.map { slots[joinRank: Int($0)] }
        return Snapshot(
            broadcaster: broadcaster, configuration: configuration,
            firstViewers: childSlots(of: 0).map { viewerID(ofSlot: $0) },
            levels: levels, nodes: order.map(viewer(at:)), version: version,
            linkEpochs: order.map { slots[epoch: Int($0)] },
            joinOrder: ordersByAge ? Self.arrivalRanks(ranks) : ranks)
    }

    /// Restores a tree from a snapshot, checking every part of it.
    ///
    /// - Throws: ``BranchTreeError/malformedSnapshot(_:)`` naming the first problem: an
    ///   unknown format version, a `version` above ``Snapshot/maximumVersion`` or a link
    ///   epoch above the `version`, duplicate or unknown ids, links that disagree, a
    ///   cycle, an unreachable viewer, a capacity or fan-out exceeded, a depth or level
    ///   that does not match the links.
    /// - Complexity: O(n log n)
    public init(snapshot: Snapshot) throws(BranchTreeError) {
        guard Snapshot.readableFormatVersions.contains(snapshot.formatVersion) else {
            throw .malformedSnapshot(
                "formatVersion \(snapshot.formatVersion) is not supported (expected \(Snapshot.readableFormatVersions.lowerBound) to \(Snapshot.currentFormatVersion))"
            )
        }
        guard snapshot.version <= Snapshot.maximumVersion else {
            throw .malformedSnapshot(
                "version: \(snapshot.version) is above \(Snapshot.maximumVersion), the most a restored tree may start from"
            )
        }
        let configuration = snapshot.configuration
        do {
            try self.init(broadcaster: snapshot.broadcaster, configuration: configuration)
        } catch {
            throw .malformedSnapshot("broadcaster: \(error)")
        }

        // Records by id; each viewer once, with a valid capacity.
        var records: [ViewerID: Viewer] = [:]
        records.reserveCapacity(snapshot.nodes.count)
        for (index, viewer) in snapshot.nodes.enumerated() {
            let field = "nodes[\(index)]"
            guard !viewer.uuid.rawValue.isEmpty else { throw .malformedSnapshot("\(field): empty id") }
            guard viewer.uuid != snapshot.broadcaster else {
                throw .malformedSnapshot("\(field): \"\(viewer.uuid)\" is the broadcaster's id")
            }
            guard (0...configuration.fanout).contains(viewer.capacity) else {
                throw .malformedSnapshot(
                    "\(field): capacity \(viewer.capacity) is outside 0...\(configuration.fanout)")
            }
            guard viewer.children.count <= viewer.capacity else {
                throw .malformedSnapshot(
                    "\(field): \"\(viewer.uuid)\" has \(viewer.children.count) children but capacity \(viewer.capacity)"
                )
            }
            guard records.updateValue(viewer, forKey: viewer.uuid) == nil else {
                throw .malformedSnapshot("\(field): duplicate id \"\(viewer.uuid)\"")
            }
        }
        guard snapshot.linkEpochs.count == snapshot.nodes.count else {
            throw .malformedSnapshot(
                "linkEpochs: \(snapshot.linkEpochs.count) epochs for \(snapshot.nodes.count) nodes")
        }
        guard snapshot.joinOrder.count == snapshot.nodes.count else {
            throw .malformedSnapshot(
                "joinOrder: \(snapshot.joinOrder.count) entries for \(snapshot.nodes.count) nodes")
        }
        if let stale = snapshot.linkEpochs.firstIndex(where: { $0 > snapshot.version }) {
            throw .malformedSnapshot(
                "linkEpochs[\(stale)]: epoch \(snapshot.linkEpochs[stale]) is newer than version \(snapshot.version)")
        }
        guard snapshot.firstViewers.count <= configuration.broadcasterFanout else {
            throw .malformedSnapshot(
                "firstViewers: \(snapshot.firstViewers.count) first viewers exceed the broadcaster fan-out \(configuration.broadcasterFanout)"
            )
        }

        // Walk down from the broadcaster: every child must name its parent back, appear
        // once, and sit one level down. This rules out cycles and unreachable viewers.
        var depthByID: [ViewerID: Int] = [:]
        depthByID.reserveCapacity(records.count)
        var frontier: [(parent: ViewerID, children: [ViewerID], depth: Int)] = [
            (snapshot.broadcaster, snapshot.firstViewers, 0)
        ]
        var placedOrder: [(id: ViewerID, parent: ViewerID)] = []
        placedOrder.reserveCapacity(records.count)
        var next = 0
        while next < frontier.count {
            let (parent, children, depth) = frontier[next]
            next += 1
            for child in children {
                guard let record = records[child] else {
                    throw .malformedSnapshot("\"\(parent)\" lists unknown child \"\(child)\"")
                }
                guard record.parentUUID == parent else {
                    throw .malformedSnapshot(
                        "\"\(parent)\" lists \"\(child)\" as a child, but its parent is \"\(record.parentUUID)\"")
                }
                guard depthByID.updateValue(depth, forKey: child) == nil else {
                    throw .malformedSnapshot("\"\(child)\" is listed as a child more than once")
                }
                guard record.depth == depth else {
                    throw .malformedSnapshot("\"\(child)\" has depth \(record.depth) but sits at depth \(depth)")
                }
                placedOrder.append((child, parent))
                frontier.append((child, record.children, depth + 1))
            }
        }
        if depthByID.count != records.count {
            let stray = snapshot.nodes.first { depthByID[$0.uuid] == nil }!
            throw .malformedSnapshot(
                "\"\(stray.uuid)\" is not reachable from the broadcaster (its parent \"\(stray.parentUUID)\" does not list it, or it is in a cycle)"
            )
        }

        // Levels must hold exactly the viewers of each depth.
        var listed = 0
        for (depth, level) in snapshot.levels.enumerated() {
            guard !level.isEmpty else { throw .malformedSnapshot("levels[\(depth)] is empty") }
            for id in level {
                guard let actual = depthByID[id] else {
                    throw .malformedSnapshot("levels[\(depth)] names unknown viewer \"\(id)\"")
                }
                guard actual == depth else {
                    throw .malformedSnapshot("levels[\(depth)] lists \"\(id)\", which is at depth \(actual)")
                }
            }
            listed += level.count
        }
        guard listed == records.count, Set(snapshot.levels.joined()).count == listed else {
            throw .malformedSnapshot("levels do not list every viewer exactly once")
        }

        // Build: slots in placement order (parents first), then level lists in the
        // snapshot's order, then the heaps.
        for (id, parent) in placedOrder {
            let slot = allocateSlot(for: id, capacity: records[id]!.capacity)
            appendChild(slot, to: parent == snapshot.broadcaster ? 0 : slotsByID[parent]!)
        }
        for (depth, level) in snapshot.levels.enumerated() {
            for id in level { appendToLevel(slotsByID[id]!, depth: Int32(depth)) }
        }
        for (index, viewer) in snapshot.nodes.enumerated() {
            let slot = Int(slotsByID[viewer.uuid]!)
            slots[epoch: slot] = snapshot.linkEpochs[index]
            slots[joinRank: slot] = ordersByAge ? snapshot.joinOrder[index] : 0
        }
        version = snapshot.version
        if ordersByAge { rerankByAge() }
        for slot in 0..<Int32(slots.count) { refreshHeapMembership(of: slot) }
        keepsSeedShape =
            configuration.policy == .skyway
            && records.values.allSatisfy { $0.capacity == configuration.fanout }
            && seedShapeViolation() == nil
        _checkInvariants()
    }
}

extension BranchTree: Equatable {
    /// Two trees are equal when they have the same configuration, broadcaster, viewers,
    /// links, capacities, children order and level order — everything that decides where
    /// viewers go next, and for a ``Policy/stable`` tree the viewers' order of arrival
    /// (not the join order values themselves). The ``version`` and link epochs record the
    /// tree's history and are not compared; compare ``snapshot()`` values to include them.
    /// - Complexity: O(n)
    public static func == (lhs: BranchTree, rhs: BranchTree) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var left = lhs.snapshot()
        var right = rhs.snapshot()
        (left.version, left.linkEpochs, right.version, right.linkEpochs) = (0, [], 0, [])
        // The order of arrival decides a stable tree's moves, and nothing in the others'.
        (left.joinOrder, right.joinOrder) =
            lhs.configuration.policy == .stable
            ? (arrivalRanks(left.joinOrder), arrivalRanks(right.joinOrder)) : ([], [])
        return left == right
    }

    /// Each entry's position in ascending order, ties by index.
    private static func arrivalRanks(_ order: [UInt64]) -> [UInt64] {
        var ranks = [UInt64](repeating: 0, count: order.count)
        for (rank, index) in order.indices.sorted(by: { (order[$0], $0) < (order[$1], $1) }).enumerated() {
            ranks[index] = UInt64(rank)
        }
        return ranks
    }
}
