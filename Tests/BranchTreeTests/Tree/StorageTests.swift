import BranchTreeTesting
import Testing

@testable import BranchTree

@Suite("Storage: level order numbers running out")
struct StorageTests {
    /// Moves every level's order numbers up against `UInt32.max`, as after billions of
    /// appends: `headroom` more appends fit before the level must be renumbered.
    static func pushNearOverflow(_ tree: inout BranchTree, headroom: UInt32) {
        for level in 0..<tree.height {
            let slots = tree.levelSlots(level)
            let base = UInt32.max - headroom - UInt32(slots.count)
            for (offset, slot) in slots.enumerated() {
                tree.slots[node: Int(slot)].levelSequence = base + UInt32(offset)
                tree.refreshHeapMembership(of: slot)
            }
            tree.levelLists[level].nextSequence = base + UInt32(slots.count)
        }
    }

    @Test("A pushed tree is still valid and equal to the original")
    func pushingKeepsTheTree() throws {
        let tree = try BranchTree.numbered(30, fanout: 3)
        var pushed = tree
        Self.pushNearOverflow(&pushed, headroom: 2)
        try pushed.validate()
        #expect(pushed == tree)
        #expect(pushed.levelLists.allSatisfy { $0.nextSequence == UInt32.max - 2 })
    }

    @Test("A level whose counter runs out is renumbered 0, 1, 2 … in its order")
    func renumbering() throws {
        var tree = try BranchTree.joining("ABCD", fanout: 8)
        var twin = tree
        Self.pushNearOverflow(&tree, headroom: 1)
        try tree.join("E")  // takes the last number before UInt32.max
        #expect(tree.levelLists[1].nextSequence == UInt32.max)
        try tree.join("F")  // the counter ran out: renumber first
        #expect(tree.levelLists[1].nextSequence == 5)
        #expect(tree.levelSlots(1).map { tree.slots[node: Int($0)].levelSequence } == [0, 1, 2, 3, 4])
        try tree.validate()

        try twin.join("E")
        try twin.join("F")
        #expect(tree == twin)
        // First fit still scans depth 1 in its order.
        for id in "GHIJKLMNOPQR" {
            let expected = try twin.join(ViewerID(String(id)))
            #expect(try tree.join(ViewerID(String(id))) == expected)
        }
        #expect(tree == twin)
    }

    @Test(
        "Renumbering under random operations behaves exactly like a tree that never overflowed",
        arguments: [
            (1, Policy.skyway), (2, .skyway), (3, .skyway), (5, .skyway),
            (1, .rejoin), (2, .rejoin), (3, .rejoin), (5, .rejoin),
        ])
    func overflowIsInvisible(fanout: Int, policy: Policy) throws {
        var renumberings = 0
        for seed in 0..<12 as Range<UInt64> {
            let profile = try OperationProfile.mixed(fanout: fanout, policy: policy)
            var plain = try BranchTree(configuration: profile.configuration)
            var pushed = plain
            for (index, operation) in profile.operations(seed: seed).enumerated() {
                Self.pushNearOverflow(&pushed, headroom: UInt32(index % 3))
                let counters = pushed.levelLists.map(\.nextSequence)
                let expected = Result { () throws(BranchTreeError) in try plain.apply(operation) }
                let actual = Result { () throws(BranchTreeError) in try pushed.apply(operation) }
                for level in 0..<min(counters.count, pushed.height)
                where pushed.levelLists[level].nextSequence < counters[level] {
                    renumberings += 1
                }
                try pushed.validate()
                guard actual == expected, pushed == plain else {
                    Issue.record("seed \(seed) step \(index) \(operation): the pushed tree diverged")
                    return
                }
            }
        }
        #expect(renumberings > 0)
    }
}
