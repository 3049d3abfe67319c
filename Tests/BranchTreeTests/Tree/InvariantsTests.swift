import BranchTreeTesting
import Testing

@testable import BranchTree

@Suite("The validator")
struct InvariantsTests {
    /// Ways to damage a tree's internal storage, each one invariant.
    enum Corruption: String, CaseIterable, CustomTestStringConvertible {
        case childPointsToAnotherParent, wrongDepth, capacityBelowChildren, cycle, unreachableViewer
        case levelCountOff, levelOrderSwapped, idIndexMissesViewer, freeSlotIndexMissesViewer
        case broadcasterDamaged, liveSlotListedVacant, seedShapeBroken, nonRelayableIndexMissesViewer

        var testDescription: String { rawValue }
    }

    /// root(A(B(D(H) E) C(F G)))
    static func healthyTree() throws -> BranchTree {
        try BranchTree.joining("ABCDEFGH", fanout: 2)
    }

    static func corrupt(_ tree: inout BranchTree, _ corruption: Corruption) {
        func slot(_ id: ViewerID) -> Int { Int(tree.slotsByID[id]!) }
        switch corruption {
        case .childPointsToAnotherParent:
            tree.slots[node: slot("H")].parent = Int32(slot("E"))
        case .wrongDepth:
            tree.slots[node: slot("H")].depth = 5
        case .capacityBelowChildren:
            tree.slots[node: slot("B")].capacity = 1
        case .cycle:
            // H lists A as its child: A would be reached twice.
            tree.childBlocks[slot("H") * tree.childStride] = Int32(slot("A"))
            tree.slots[node: slot("H")].childCount = 1
        case .unreachableViewer:
            // D forgets its child H.
            tree.slots[node: slot("D")].childCount = 0
        case .levelCountOff:
            tree.levelLists[2].count += 1
        case .levelOrderSwapped:
            let d = tree.slots[node: slot("D")].levelSequence
            tree.slots[node: slot("D")].levelSequence = tree.slots[node: slot("E")].levelSequence
            tree.slots[node: slot("E")].levelSequence = d
        case .idIndexMissesViewer:
            tree.slotsByID["H"] = nil
        case .freeSlotIndexMissesViewer:
            // H has free slots but the index forgets it.
            tree.slots[node: slot("H")].freeHeapPosition = _Node.none
        case .broadcasterDamaged:
            tree.slots[node: 0].capacity = 2
        case .liveSlotListedVacant:
            tree.vacantSlots.append(Int32(slot("G")))
        case .seedShapeBroken:
            // root(A(B(C))): a hole at depth 0 and a needless third level.
            tree = try! BranchTree(fanout: 2)
            try! tree.join("A", capacity: 1)
            try! tree.join("B")
            try! tree.join("C")
            tree.keepsSeedShape = true
        case .nonRelayableIndexMissesViewer:
            // Q cannot relay, but the index of viewers a joiner may displace forgets it.
            try! tree.join("Q", relayable: false)
            let q = Int32(slot("Q"))
            var heap = tree.nonRelayableHeap
            heap.remove(q, slots: &tree.slots)
            tree.nonRelayableHeap = heap
        }
    }

    @Test("A healthy tree validates")
    func healthyTreeValidates() throws {
        try Self.healthyTree().validate()
    }

    @Test("Each kind of corruption is reported as an invariant violation", arguments: Corruption.allCases)
    func detectsCorruption(_ corruption: Corruption) throws {
        let original = try Self.healthyTree()
        var damaged = original
        Self.corrupt(&damaged, corruption)
        let error = #expect(throws: BranchTreeError.self) { try damaged.validate() }
        if let error, case .invariantViolation = error {
        } else {
            Issue.record("expected an invariant violation, got \(String(describing: error))")
        }
        // Damaging a copy leaves the original intact.
        try original.validate()
    }

    @Test("The seed's shape is promised only while every viewer relays at the full fan-out")
    func seedShapePromise() throws {
        var tree = try BranchTree.joining("ABCD", fanout: 3)
        #expect(tree.promisesSeedShape)
        try tree.join("E", capacity: 2)
        #expect(!tree.promisesSeedShape)
        #expect(try !BranchTree.joining("ABCD", fanout: 3, policy: .rejoin).promisesSeedShape)
    }

    @Test("All-relayable skyway runs keep the seed's shape after every step", arguments: 1...8)
    func seedShapeHolds(fanout: Int) throws {
        let profile = try OperationProfile(fanout: fanout, length: 40...120, maxAudience: 5 * fanout + 12)
        PropertyTesting.check(seeds: 0..<100 as Range<UInt64>, profile: profile) { step in
            let tree = step.after
            guard tree.promisesSeedShape else { return "the tree stopped promising the seed's shape" }
            return Self.seedShapeViolation(tree)
        }
    }

    @Test("Several first viewers keep the seed's shape too", arguments: [2, 3])
    func seedShapeHoldsWithSeveralFirstViewers(broadcasterFanout: Int) throws {
        let profile = try OperationProfile(
            fanout: 3, broadcasterFanout: broadcasterFanout, length: 40...120, maxAudience: 40)
        PropertyTesting.check(seeds: 0..<100 as Range<UInt64>, profile: profile) { step in
            step.after.promisesSeedShape ? Self.seedShapeViolation(step.after) : "no promise"
        }
    }

    /// The seed's shape, computed from public queries: every level but the last two full
    /// (so holes only in the last two) and the least height for the audience.
    static func seedShapeViolation(_ tree: BranchTree) -> String? {
        let fanout = tree.configuration.fanout
        let broadcasterFanout = tree.configuration.broadcasterFanout
        var levelSize = broadcasterFanout
        var room = 0
        var minimalHeight = 0
        while room < tree.count {
            room += levelSize
            levelSize *= fanout
            minimalHeight += 1
        }
        if tree.height != minimalHeight { return "height \(tree.height), minimal \(minimalHeight)" }
        levelSize = broadcasterFanout
        for depth in 0..<Swift.max(tree.height - 1, 0) {
            if tree.level(depth).count != levelSize { return "level \(depth) has a hole: \(tree.level(depth))" }
            levelSize *= fanout
        }
        return nil
    }
}
