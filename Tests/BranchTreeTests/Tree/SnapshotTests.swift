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
        var profile = OperationProfile.mixed(fanout: 3, policy: policy)
        profile.length = 150...150
        let present = original.viewers.map(\.uuid)
        // Leaves of the restored viewers first, then a generated mix.
        let operations = present.enumerated().filter { $0.offset % 3 == 0 }.map { TreeOperation.leave($0.element) }
            + PropertyTesting.operations(seed: 77, profile: profile)
        for operation in operations {
            let expected = Result { () throws(BranchTreeError) in try original.apply(operation) }
            let actual = Result { () throws(BranchTreeError) in try restored.apply(operation) }
            #expect(actual == expected, "\(PropertyTesting.describe(operation))")
            #expect(restored == original, "after \(PropertyTesting.describe(operation))")
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
        let profile = OperationProfile.mixed(fanout: 4, policy: .skyway)
        let operations = PropertyTesting.operations(seed: 5, profile: profile)
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
        "firstViewers":["A"],"formatVersion":1,"levels":[["A"],["C","D"],["E","F"]],"linkEpochs":[1,3,6,6,7],"nodes":[\#
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
        if let error, case .malformedSnapshot = error {} else {
            Issue.record("expected malformedSnapshot, got \(String(describing: error))")
        }
    }

    @Test("The same damage survives JSON and is still refused", arguments: [Damage.cycle, .levelMismatch])
    func malformedThroughJSON(_ damage: Damage) throws {
        let data = try JSONEncoder().encode(Self.damaged(damage))
        let snapshot = try JSONDecoder().decode(BranchTree.Snapshot.self, from: data)
        #expect(throws: BranchTreeError.self) { try BranchTree(snapshot: snapshot) }
    }

    @Test("Bad JSON never reaches the tree: decoding a snapshot fails", arguments: [
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
        let json = #"{"formatVersion":1,"broadcaster":"root","configuration":{"fanout":2},"firstViewers":["A"],"levels":[["A"],["B"]],"nodes":[{"id":"A","parent":"root","depth":0,"children":["B"],"capacity":2},{"id":"B","parent":"A","depth":1,"children":[],"capacity":0}]}"#
        let snapshot = try JSONDecoder().decode(BranchTree.Snapshot.self, from: Data(json.utf8))
        let tree = try BranchTree(snapshot: snapshot)
        #expect(tree.picture == "root(A(B))")
        #expect(tree.configuration.policy == .skyway)
        #expect(tree.configuration.broadcasterFanout == 1)
        #expect(tree["B"]?.relayable == false)
    }
}
