import BranchTreeTesting
import Foundation
import Testing

@testable import BranchTree

@Suite("Snapshots")
struct SnapshotTests {
    /// A tree with history: moves, a low-capacity and a non-relayable viewer.
    static func historyTree(policy: Policy) throws -> BranchTree {
        var tree = try BranchTree(broadcaster: "studio", fanout: 3, policy: policy)
        for index in 1...30 {
            let id = ViewerID("v\(index)")
            switch index % 7 {
            case 3: try tree.join(id, relayable: false)
            case 5: try tree.join(id, capacity: 1)
            default: try tree.join(id)
            }
            if index % 4 == 0 { try tree.leave(ViewerID("v\(index / 2)")) }
        }
        return tree
    }

    static func jsonRoundTrip(_ tree: BranchTree) throws -> BranchTree {
        let data = try JSONEncoder().encode(tree.snapshot())
        return try BranchTree(snapshot: JSONDecoder().decode(BranchTree.Snapshot.self, from: data))
    }

    @Test("A snapshot restores an equal, valid tree through JSON", arguments: Policy.allCases)
    func roundTrip(policy: Policy) throws {
        let tree = try Self.historyTree(policy: policy)
        let restored = try Self.jsonRoundTrip(tree)
        #expect(restored == tree)
        #expect(restored.snapshot() == tree.snapshot())
        #expect(restored.configuration == tree.configuration)
        #expect(restored.broadcaster == "studio")
        try restored.validate()
    }

    @Test("A restored tree behaves exactly like the original from then on", arguments: Policy.allCases)
    func equalFutureBehaviour(policy: Policy) throws {
        var original = try Self.historyTree(policy: policy)
        var restored = try Self.jsonRoundTrip(original)
        var profile = try OperationProfile.mixed(fanout: 3, policy: policy)
        profile.length = 150...150
        let present = original.viewers.map(\.uuid)
        // Leaves of the restored viewers first, then a generated mix.
        let operations =
            present.enumerated().filter { $0.offset % 3 == 0 }.map { TreeOperation.leave($0.element) }
            + profile.operations(seed: 77)
        for operation in operations {
            let expected = Result { () throws(BranchTreeError) in try original.apply(operation) }
            let actual = Result { () throws(BranchTreeError) in try restored.apply(operation) }
            #expect(actual == expected, "\(operation)")
            #expect(restored == original, "after \(operation)")
            if restored != original { return }
        }
    }

    @Test("An empty tree round-trips")
    func emptyRoundTrip() throws {
        let tree = try BranchTree(fanout: 5, broadcasterFanout: 2, policy: .rejoin)
        let restored = try Self.jsonRoundTrip(tree)
        #expect(restored == tree)
        #expect(restored.isEmpty)
        #expect(restored.configuration.broadcasterFanout == 2)
    }

    @Test("A restored seed-shaped skyway tree promises the seed's shape again")
    func restoredShapePromise() throws {
        let tree = try BranchTree.numbered(20, fanout: 3)
        #expect(try Self.jsonRoundTrip(tree).promisesSeedShape)
        #expect(try !Self.jsonRoundTrip(Self.historyTree(policy: .skyway)).promisesSeedShape)
    }

    /// Foundation's JSONEncoder on Linux writes keyed containers in hash order, which
    /// changes from one encode to the next; byte-stable output needs `.sortedKeys`.
    static func stableJSON(_ tree: BranchTree) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(tree.snapshot())
    }

    @Test("The same operations give byte-identical snapshot JSON")
    func deterministicJSON() throws {
        let profile = try OperationProfile.mixed(fanout: 4, policy: .skyway)
        let operations = profile.operations(seed: 5)
        func run() throws -> BranchTree {
            var tree = try BranchTree(configuration: profile.configuration)
            for operation in operations { _ = try? tree.apply(operation) }
            return tree
        }
        let first = try run()
        let second = try run()
        #expect(first.snapshot() == second.snapshot())
        #expect(try Self.stableJSON(first) == Self.stableJSON(second))
    }

    @Test("Snapshot JSON is pinned: no hash order leaks into it from run to run")
    func pinnedJSON() throws {
        var tree = try BranchTree.joining("ABCDE", fanout: 2)
        try tree.leave("B")
        try tree.join("F", capacity: 1)
        #expect(tree.picture == "root(A(C(F) D(E)))")
        let json = String(decoding: try Self.stableJSON(tree), as: UTF8.self)
        #expect(json == Self.pinnedSnapshotJSON)
    }

    static let pinnedSnapshotJSON = #"""
        {"broadcaster":"root","configuration":{"broadcasterFanout":1,"fanout":2,"policy":"skyway"},\#
        "firstViewers":["A"],"formatVersion":2,"joinOrder":[0,0,0,0,0],"levels":[["A"],["C","D"],["E","F"]],"linkEpochs":[1,3,6,6,7],"nodes":[\#
        {"capacity":2,"children":["C","D"],"depth":0,"id":"A","parent":"root","relayable":true},\#
        {"capacity":2,"children":["F"],"depth":1,"id":"C","parent":"A","relayable":true},\#
        {"capacity":2,"children":["E"],"depth":1,"id":"D","parent":"A","relayable":true},\#
        {"capacity":2,"children":[],"depth":2,"id":"E","parent":"D","relayable":true},\#
        {"capacity":1,"children":[],"depth":2,"id":"F","parent":"C","relayable":true}],"version":7}
        """#

    // MARK: Malformed snapshots

    /// Ways to spoil a valid snapshot of root(A(B(D(H) E) C(F G))).
    enum Damage: String, CaseIterable, CustomTestStringConvertible {
        case wrongVersion, duplicateID, unknownChild, cycle, unreachableNode, capacityExceeded
        case capacityAboveFanout, tooManyFirstViewers, wrongDepth, levelMismatch, emptyLevel
        case levelMissesViewer, levelNamesUnknownViewer, parentMismatch, emptyID, broadcasterAsViewer
        case emptyBroadcaster

        var testDescription: String { rawValue }
    }

    static func damaged(_ damage: Damage) throws -> BranchTree.Snapshot {
        var snapshot = try BranchTree.joining("ABCDEFGH", fanout: 2).snapshot()
        func index(_ id: ViewerID) -> Int { snapshot.nodes.firstIndex { $0.uuid == id }! }
        switch damage {
        case .wrongVersion:
            snapshot.formatVersion = BranchTree.Snapshot.currentFormatVersion + 1
        case .duplicateID:
            snapshot.nodes.append(snapshot.nodes[index("H")])
        case .unknownChild:
            snapshot.nodes[index("D")].children.append("ghost")
        case .cycle:
            // X and Y feed each other and nobody feeds them.
            snapshot.nodes += [
                Viewer(uuid: "X", parentUUID: "Y", children: ["Y"], capacity: 2, depth: 4),
                Viewer(uuid: "Y", parentUUID: "X", children: ["X"], capacity: 2, depth: 4),
            ]
            snapshot.levels.append(["X", "Y"])
        case .unreachableNode:
            // Z names H as its parent, but H does not list it.
            snapshot.nodes.append(Viewer(uuid: "Z", parentUUID: "H", children: [], capacity: 2, depth: 4))
            snapshot.levels.append(["Z"])
        case .capacityExceeded:
            snapshot.nodes[index("B")].capacity = 1
        case .capacityAboveFanout:
            snapshot.nodes[index("H")].capacity = 3
        case .tooManyFirstViewers:
            snapshot.firstViewers.append("B")
        case .wrongDepth:
            snapshot.nodes[index("H")].depth = 2
        case .levelMismatch:
            snapshot.levels[2] = ["D", "E", "F", "H"]
            snapshot.levels[3] = ["G"]
        case .emptyLevel:
            snapshot.levels.append([])
        case .levelMissesViewer:
            snapshot.levels[2].removeLast()
        case .levelNamesUnknownViewer:
            snapshot.levels[3].append("ghost")
        case .parentMismatch:
            snapshot.nodes[index("H")].parentUUID = "E"
        case .emptyID:
            snapshot.nodes[index("H")].uuid = ""
        case .broadcasterAsViewer:
            snapshot.nodes[index("H")].uuid = "root"
        case .emptyBroadcaster:
            snapshot.broadcaster = ""
        }
        return snapshot
    }

    @Test("A valid snapshot restores")
    func undamagedRestores() throws {
        let snapshot = try BranchTree.joining("ABCDEFGH", fanout: 2).snapshot()
        #expect(try BranchTree(snapshot: snapshot).picture == "root(A(B(D(H) E) C(F G)))")
    }

    @Test("Each malformed snapshot throws malformedSnapshot", arguments: Damage.allCases)
    func malformed(_ damage: Damage) throws {
        let snapshot = try Self.damaged(damage)
        let error = #expect(throws: BranchTreeError.self) { try BranchTree(snapshot: snapshot) }
        if let error, case .malformedSnapshot = error {
        } else {
            Issue.record("expected malformedSnapshot, got \(String(describing: error))")
        }
    }

    @Test("The same damage survives JSON and is still refused", arguments: [Damage.cycle, .levelMismatch])
    func malformedThroughJSON(_ damage: Damage) throws {
        let data = try JSONEncoder().encode(Self.damaged(damage))
        let snapshot = try JSONDecoder().decode(BranchTree.Snapshot.self, from: data)
        #expect(throws: BranchTreeError.self) { try BranchTree(snapshot: snapshot) }
    }

    @Test(
        "Bad JSON never reaches the tree: decoding a snapshot fails",
        arguments: [
            "", "{", "[]", #"{"formatVersion": 1}"#,
            // Valid JSON, invalid values: a fan-out of 0, a relayable flag that contradicts capacity.
            #"{"formatVersion":1,"broadcaster":"root","configuration":{"fanout":0},"firstViewers":[],"levels":[],"nodes":[]}"#,
            #"{"formatVersion":1,"broadcaster":"root","configuration":{"fanout":2},"firstViewers":["A"],"levels":[["A"]],"nodes":[{"id":"A","parent":"root","depth":0,"children":[],"relayable":false,"capacity":2}]}"#,
        ])
    func badJSON(_ json: String) {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(BranchTree.Snapshot.self, from: Data(json.utf8))
        }
    }

    @Test("Hand-written JSON with optional fields left out restores")
    func minimalJSON() throws {
        let json =
            #"{"formatVersion":1,"broadcaster":"root","configuration":{"fanout":2},"firstViewers":["A"],"levels":[["A"],["B"]],"nodes":[{"id":"A","parent":"root","depth":0,"children":["B"],"capacity":2},{"id":"B","parent":"A","depth":1,"children":[],"capacity":0}]}"#
        let snapshot = try JSONDecoder().decode(BranchTree.Snapshot.self, from: Data(json.utf8))
        let tree = try BranchTree(snapshot: snapshot)
        #expect(tree.picture == "root(A(B))")
        #expect(tree.configuration.policy == .skyway)
        #expect(tree.configuration.broadcasterFanout == 1)
        #expect(tree["B"]?.relayable == false)
    }

    // MARK: Extremes

    @Test(
        "A version above maximumVersion is refused, naming the field; one at it restores and counts on",
        arguments: [BranchTree.Snapshot.maximumVersion + 1, .max - 1, .max])
    func versionNearTheTop(version: UInt64) throws {
        var snapshot = try BranchTree.joining("ABCDEFGH", fanout: 2).snapshot()
        snapshot.version = version
        let error = #expect(throws: BranchTreeError.self) { try BranchTree(snapshot: snapshot) }
        guard case .malformedSnapshot(let why) = error else {
            Issue.record("expected malformedSnapshot, got \(String(describing: error))")
            return
        }
        #expect(why.hasPrefix("version:"), "\(why)")

        snapshot.version = BranchTree.Snapshot.maximumVersion
        var tree = try BranchTree(snapshot: snapshot)
        try tree.join("I")
        try tree.leave("B")
        try tree.validate()
        #expect(tree.version == BranchTree.Snapshot.maximumVersion + 2)
        #expect(try tree.linkEpoch(of: "I") == BranchTree.Snapshot.maximumVersion + 1)
    }

    /// One edit of a snapshot field to an extreme value; `pick` chooses the value and
    /// `at` the node, level or entry, both resolved against the snapshot when applied.
    struct Edit: Hashable, CustomStringConvertible {
        enum Field: CaseIterable {
            case formatVersion, broadcaster, configuration, firstViewers, levels, nodes
            case nodeID, nodeParent, nodeChildren, nodeCapacity, nodeDepth, version, linkEpochs
        }

        var field: Field
        var pick: Int
        var at: Int

        var description: String { "\(field) pick \(pick) at \(at)" }
    }

    static let extremeInts = [Int.min, .min + 1, -1, 0, 1, 2, 3, 63, 64, 65, .max - 1, .max]
    static let extremeVersions: [UInt64] = [
        0, 1, 1 << 62, UInt64(Int64.max), BranchTree.Snapshot.maximumVersion - 1, BranchTree.Snapshot.maximumVersion,
        BranchTree.Snapshot.maximumVersion + 1, .max - 1, .max,
    ]
    /// Ids beyond the snapshot's own: empty, huge, odd.
    static let strangeIDs: [ViewerID] = ["", ViewerID(String(repeating: "x", count: 100_000)), "stranger", "é\u{0}"]
    /// How long a huge array is.
    static let huge = 20_000

    /// An id for `pick`: one of the snapshot's viewers, its broadcaster or a strange one.
    static func id(_ pick: Int, in snapshot: BranchTree.Snapshot) -> ViewerID {
        let known = snapshot.nodes.map(\.uuid) + [snapshot.broadcaster]
        let all = known + strangeIDs
        return all[pick % all.count]
    }

    /// Applies one of the ways to spoil an id list: empty it, repeat or add an entry,
    /// blow it up, reorder it.
    static func spoil(_ list: inout [ViewerID], _ pick: Int, in snapshot: BranchTree.Snapshot) {
        switch pick % 7 {
        case 0: list = []
        case 1: if let first = list.first { list.append(first) }
        case 2: list.append(id(pick / 7, in: snapshot))
        case 3: list += Array(repeating: id(pick / 7, in: snapshot), count: huge)
        case 4: list.reverse()
        case 5: if !list.isEmpty { list.removeFirst() }
        default: list.insert(id(pick / 7, in: snapshot), at: 0)
        }
    }

    static func apply(_ edit: Edit, to snapshot: inout BranchTree.Snapshot) {
        let ints = extremeInts
        let node = snapshot.nodes.isEmpty ? nil : edit.at % snapshot.nodes.count
        switch edit.field {
        case .formatVersion:
            snapshot.formatVersion = ints[edit.pick % ints.count]
        case .broadcaster:
            snapshot.broadcaster = id(edit.pick, in: snapshot)
        case .configuration:
            // Only valid configurations can be made; the extremes of the valid ranges.
            let fanouts = [1, 2, 64]
            let policies = Policy.allCases
            snapshot.configuration = try! BranchTree.Configuration(
                fanout: fanouts[edit.pick % 3], broadcasterFanout: fanouts[(edit.pick / 3) % 3],
                policy: policies[(edit.pick / 9) % policies.count])
        case .firstViewers:
            spoil(&snapshot.firstViewers, edit.pick, in: snapshot)
        case .levels:
            var levels = snapshot.levels
            let level = levels.isEmpty ? nil : edit.at % levels.count
            switch edit.pick % 8 {
            case 0: levels = []
            case 1: levels.append([])
            case 2: levels.insert([], at: 0)
            case 3: if let level { levels.append(levels[level]) }
            case 4: levels += Array(repeating: [], count: huge)
            case 5: if let level { spoil(&levels[level], edit.pick / 8, in: snapshot) }
            case 6: if levels.count >= 2 { levels.swapAt(0, levels.count - 1) }
            default:
                if let level, let moved = levels[level].popLast() { levels[(level + 1) % levels.count].append(moved) }
            }
            snapshot.levels = levels
        case .nodes:
            switch edit.pick % 5 {
            case 0: snapshot.nodes = []
            case 1: if let node { snapshot.nodes.append(snapshot.nodes[node]) }
            case 2: if let node { snapshot.nodes.remove(at: node) }
            case 3:
                // Many distinct viewers that nobody feeds.
                snapshot.nodes += (0..<huge).map {
                    Viewer(uuid: ViewerID("extra\($0)"), parentUUID: "nobody", children: [], capacity: 0, depth: 0)
                }
            default: snapshot.nodes.reverse()
            }
        case .nodeID:
            if let node { snapshot.nodes[node].uuid = id(edit.pick, in: snapshot) }
        case .nodeParent:
            if let node { snapshot.nodes[node].parentUUID = id(edit.pick, in: snapshot) }
        case .nodeChildren:
            if let node { spoil(&snapshot.nodes[node].children, edit.pick, in: snapshot) }
        case .nodeCapacity:
            if let node { snapshot.nodes[node].capacity = ints[edit.pick % ints.count] }
        case .nodeDepth:
            if let node { snapshot.nodes[node].depth = ints[edit.pick % ints.count] }
        case .version:
            snapshot.version = extremeVersions[edit.pick % extremeVersions.count]
        case .linkEpochs:
            let value = extremeVersions[(edit.pick / 5) % extremeVersions.count]
            switch edit.pick % 5 {
            case 0: snapshot.linkEpochs = []
            case 1: snapshot.linkEpochs.append(value)
            case 2: if !snapshot.linkEpochs.isEmpty { snapshot.linkEpochs.removeLast() }
            case 3: if !snapshot.linkEpochs.isEmpty { snapshot.linkEpochs[edit.at % snapshot.linkEpochs.count] = value }
            default: snapshot.linkEpochs = snapshot.linkEpochs.map { _ in value }
            }
        }
    }

    /// A valid snapshot of a random tree with history: fan-outs from 1, both policies,
    /// viewers that relay less or not at all; sometimes empty.
    static func baseSnapshot(seed: UInt64) -> BranchTree.Snapshot {
        var random = Xoshiro256StarStar(seed: seed)
        let policy = Policy.allCases[random.next(below: Policy.allCases.count)]
        var profile = try! OperationProfile.mixed(fanout: 1 + random.next(below: 4), policy: policy)
        profile.configuration = try! .init(
            fanout: profile.fanout, broadcasterFanout: 1 + random.next(below: 2), policy: policy)
        profile.length = 0...60
        var tree = try! BranchTree(configuration: profile.configuration)
        for operation in profile.operations(seed: random.next()) {
            _ = try? tree.apply(operation)
        }
        return tree.snapshot()
    }

    static func edits(seed: UInt64) -> [Edit] {
        var random = Xoshiro256StarStar(seed: seed ^ 0x5eed)
        return (0...random.next(below: 3)).map { _ in
            Edit(
                field: Edit.Field.allCases[random.next(below: Edit.Field.allCases.count)],
                pick: random.next(below: 1_000), at: random.next(below: 1_000))
        }
    }

    /// What is wrong with restoring `snapshot`: anything but a `malformedSnapshot` error
    /// or a tree that validates and goes on through a join and two leaves.
    static func restoreFailure(_ snapshot: BranchTree.Snapshot) -> String? {
        var tree: BranchTree
        do {
            tree = try BranchTree(snapshot: snapshot)
        } catch {
            guard case .malformedSnapshot = error else { return "threw \(error), not malformedSnapshot" }
            return nil
        }
        do {
            try tree.validate()
            let joiner: ViewerID = "fuzz-joiner"
            guard !tree.contains(joiner), tree.broadcaster != joiner else { return nil }
            let first = tree.levels.first?.first
            var version = tree.version
            for step in [TreeOperation.join(joiner), .leave(joiner)] + (first.map { [.leave($0)] } ?? []) {
                try tree.apply(step)
                try tree.validate()
                guard tree.version > version else { return "the version went from \(version) to \(tree.version)" }
                version = tree.version
            }
        } catch {
            return "the restored tree failed: \(error)"
        }
        return nil
    }

    @Test(
        "Fuzzed snapshot fields at their extremes either throw malformedSnapshot or restore a tree that works",
        arguments: 0..<4 as Range<UInt64>)
    func extremeFields(batch: UInt64) {
        var restored = 0
        for seed in (batch * 150)..<((batch + 1) * 150) {
            let base = Self.baseSnapshot(seed: seed)
            let edits = Self.edits(seed: seed)
            func edited(_ edits: [Edit]) -> BranchTree.Snapshot {
                var snapshot = base
                for edit in edits { Self.apply(edit, to: &snapshot) }
                return snapshot
            }
            if (try? BranchTree(snapshot: edited(edits))) != nil { restored += 1 }
            guard let (minimal, problem) = PropertyCheck.shrink(edits, failure: { Self.restoreFailure(edited($0)) })
            else { continue }
            Issue.record("seed \(seed): \(minimal) → \(problem)")
            return
        }
        // Not only refusals: some edits leave a valid tree (a reordering, a lower version).
        #expect(restored >= 5, "only \(restored) of 150 restored")
    }

    @Test("Every field at every extreme, one edit at a time", arguments: Edit.Field.allCases)
    func everyExtreme(field: Edit.Field) {
        let bases = [try! BranchTree.joining("ABCDEFGH", fanout: 2).snapshot(), Self.baseSnapshot(seed: 3)]
        for (index, base) in bases.enumerated() {
            for pick in 0..<60 {
                var snapshot = base
                let edit = Edit(field: field, pick: pick, at: pick)
                Self.apply(edit, to: &snapshot)
                if let problem = Self.restoreFailure(snapshot) {
                    Issue.record("base \(index), \(edit): \(problem)")
                    return
                }
            }
        }
    }
}
