import Testing

@testable import BranchTree

@Suite("BranchTree")
struct BranchTreeTests {
    @Test("A new tree is empty, with the seed's defaults")
    func defaults() throws {
        let tree = try BranchTree(fanout: 3)
        #expect(tree.broadcaster == "root")
        #expect(tree.configuration == (try BranchTree.Configuration(fanout: 3, broadcasterFanout: 1, policy: .skyway)))
        #expect(tree.isEmpty)
        #expect(tree.count == 0)
        #expect(tree.height == 0)
        #expect(tree.promisesSeedShape)
        try tree.validate()
    }

    @Test("Invalid parameters throw typed errors")
    func invalidParameters() {
        #expect(throws: BranchTreeError.invalidFanout(0)) { try BranchTree(fanout: 0) }
        #expect(throws: BranchTreeError.invalidFanout(65)) { try BranchTree(fanout: 65) }
        #expect(throws: BranchTreeError.invalidBroadcasterFanout(0)) { try BranchTree(fanout: 2, broadcasterFanout: 0) }
        #expect(throws: BranchTreeError.emptyID) { try BranchTree(broadcaster: "", fanout: 2) }
    }

    @Test("Mutating a copy leaves the original alone", arguments: Policy.allCases)
    func valueSemantics(policy: Policy) throws {
        let original = try BranchTree.joining("ABCDEFG", fanout: 2, policy: policy)
        let snapshot = original.snapshot()
        var copy = original
        try copy.leave("B")
        try copy.join("X")
        #expect(original.snapshot() == snapshot)
        #expect(original.picture == "root(A(B(D E) C(F G)))")
        #expect(copy != original)
        try original.validate()
        try copy.validate()

        // And the other way round.
        var mutated = original
        let untouched = mutated
        try mutated.leave("A")
        #expect(untouched == original)
    }

    @Test("Trees built by the same operations are equal")
    func equalTrees() throws {
        #expect(try BranchTree.joining("ABCDE", fanout: 2) == BranchTree.joining("ABCDE", fanout: 2))
    }

    @Test("Equality ignores history and storage, not state")
    func equalityIgnoresHistory() throws {
        var withHistory = try BranchTree.joining("ABCXY", fanout: 2)
        try withHistory.leave("Y")
        try withHistory.leave("X")
        #expect(withHistory == (try BranchTree.joining("ABC", fanout: 2)))
    }

    @Test("Children order, capacity, broadcaster and configuration are all part of equality")
    func inequality() throws {
        let base = try BranchTree.joining("ABC", fanout: 2)
        #expect(base != (try BranchTree.joining("ACB", fanout: 2)))
        #expect(base != (try BranchTree.joining("ABC", fanout: 3)))
        #expect(base != (try BranchTree.joining("ABC", fanout: 2, broadcasterFanout: 2)))
        #expect(base != (try BranchTree.joining("ABC", fanout: 2, policy: .rejoin)))
        var lowCapacity = try BranchTree(fanout: 2)
        try lowCapacity.join("A")
        try lowCapacity.join("B")
        try lowCapacity.join("C", capacity: 1)
        #expect(base != lowCapacity)
        var otherBroadcaster = try BranchTree(broadcaster: "studio", fanout: 2)
        for id: ViewerID in ["A", "B", "C"] { try otherBroadcaster.join(id) }
        #expect(base != otherBroadcaster)
    }

    @Test("Level order is part of equality even when the links agree")
    func levelOrderMatters() throws {
        var moved = try BranchTree.joining("ABCDEFG", fanout: 2)
        try moved.leave("D")
        try moved.join("H")
        let direct = try BranchTree.joining("ABCEHFG", fanout: 2)
        #expect(moved.picture == direct.picture)
        #expect(moved.levelPicture == "[A] [B C] [E F G H]")
        #expect(direct.levelPicture == "[A] [B C] [E H F G]")
        // The order decides future placements, so the trees differ.
        #expect(moved != direct)
    }
}
