import BranchTreeTesting
import Testing

@testable import BranchTree

@Suite("Orphan rejoin")
struct OrphanRejoinTests {
    @Test("The leaver is removed and its children rejoin in order by first fit")
    func orphansRejoinInOrder() throws {
        var tree = try BranchTree.joining("ABCDEFG", fanout: 2, policy: .rejoin)
        let change = try tree.leave("B")
        // D takes A's free slot; E the next free slot in level order, under D.
        #expect(tree.picture == "root(A(C(F G) D(E)))")
        #expect(tree.levelPicture == "[A] [C D] [F G E]")
        #expect(
            change.moves == [
                move("D", from: "B", to: "A", depths: 2, 1),
                move("E", from: "B", to: "D", depths: 2, 2),
            ])
        #expect(change.linksCut == [relay("A", "B"), relay("B", "D"), relay("B", "E")])
        #expect(change.linksCreated == [relay("A", "D"), relay("D", "E")])
        #expect(change.reconnecting == ["D", "E"])
        #expect(change.keepingLink == [])
        #expect(change.evicted == [])
    }

    @Test("An orphan keeps its subtree, which joins the end of its new levels")
    func subtreeStaysIntact() throws {
        var tree = try BranchTree.joining("ABCDEFGH", fanout: 2, policy: .rejoin)
        #expect(tree.picture == "root(A(B(D(H) E) C(F G)))")
        let change = try tree.leave("B")
        #expect(tree.picture == "root(A(C(F G) D(H E)))")
        #expect(tree.levelPicture == "[A] [C D] [F G H E]")
        // H's link to D survives; it only waits for D's new stream.
        #expect(change.keepingLink == ["H"])
        #expect(change.reconnecting == ["D", "E"])
    }

    @Test("An orphan never lands in its own subtree")
    func neverUnderItsOwnSubtree() throws {
        var tree = try BranchTree.joining("ABCDEFG", fanout: 2, policy: .rejoin)
        let change = try tree.leave("A")
        // B takes the broadcaster's slot; C's first fit is D (its own F and G are detached).
        #expect(tree.picture == "root(B(D(C(F G)) E))")
        #expect(tree.levelPicture == "[B] [D E] [C] [F G]")
        #expect(
            change.moves == [
                move("B", from: "A", to: "root", depths: 1, 0),
                move("C", from: "A", to: "D", depths: 1, 2),
            ])
        #expect(change.keepingLink == ["D", "E", "F", "G"])
    }

    @Test("A full or low-capacity node is skipped when orphans rejoin")
    func capacityIsRespected() throws {
        var tree = try BranchTree(fanout: 2, policy: .rejoin)
        try tree.join("A")
        try tree.join("B", capacity: 1)
        try tree.join("C")
        try tree.join("D")
        try tree.join("E")
        try tree.join("F")
        #expect(tree.picture == "root(A(B(D) C(E F)))")
        try tree.leave("A")
        // B relays to one viewer only, so C goes under D.
        #expect(tree.picture == "root(B(D(C(E F))))")
        #expect(tree["B"]?.children == ["D"])
    }

    @Test("A non-relayable orphan for which no slot is left is evicted")
    func orphanWithoutASlotIsEvicted() throws {
        var tree = try BranchTree(fanout: 2, policy: .rejoin)
        try tree.join("A")
        try tree.join("B", relayable: false)
        try tree.join("C", relayable: false)
        let change = try tree.leave("A")
        // B takes the broadcaster's slot; C cannot relay, so it displaces nobody.
        #expect(tree.picture == "root(B)")
        #expect(change.evicted == ["C"])
        #expect(change.moves == [move("B", from: "A", to: "root", depths: 1, 0)])
        #expect(change.linksCut == [relay("root", "A"), relay("A", "B"), relay("A", "C")])
        #expect(change.linksCreated == [relay("root", "B")])
        #expect(change.reconnecting == ["B"])
        #expect(change.keepingLink == [])
        #expect(!tree.contains("C"))
        try tree.validate()
    }

    @Test("Only a non-relayable orphan is evicted, never one with a subtree; nobody evicted is interrupted")
    func onlyNonRelayableOrphansAreEvicted() throws {
        var tree = try BranchTree(fanout: 2, policy: .rejoin)
        try tree.join("A")
        try tree.join("B", relayable: false)
        try tree.join("C", capacity: 1)
        try tree.join("D", relayable: false)
        #expect(tree.picture == "root(A(B C(D)))")
        let change = try tree.leave("A")
        // B takes the broadcaster's slot first; C (with D) can relay, so it takes B's
        // place. C is full and D cannot relay: no slot is left for B, which is evicted.
        #expect(tree.picture == "root(C(D))")
        #expect(tree.levelPicture == "[C] [D]")
        #expect(change.evicted == ["B"])
        #expect(change.interrupted == ["C", "D"])
        #expect(change.reconnecting == ["C"])
        #expect(change.keepingLink == ["D"])
        // B's move and its link root → B, made and undone in the same change, are gone.
        #expect(change.moves == [move("C", from: "A", to: "root", depths: 1, 0)])
        #expect(change.linksCut == [relay("root", "A"), relay("A", "B"), relay("A", "C")])
        #expect(change.linksCreated == [relay("root", "C")])
        #expect(tree.count == 2)
        #expect(!tree.contains("B"))
        try tree.validate()
    }

    @Test("A rejoin tree never promises the seed's shape")
    func noSeedShapePromise() throws {
        let tree = try BranchTree.joining("ABCDEFG", fanout: 2, policy: .rejoin)
        #expect(!tree.promisesSeedShape)
    }

    @Test(
        "After every departure the tree and the change equal a naive orphan rejoin of the tree before", arguments: 1...8
    )
    func equalsNaiveRejoin(fanout: Int) throws {
        var profile = try OperationProfile.mixed(fanout: fanout, policy: .rejoin)
        profile.maxAudience = 25
        PropertyTesting.check(seeds: 0..<120 as Range<UInt64>, profile: profile, property: Self.naiveRejoinDifference)
    }

    /// A leave's tree and change, compared with the naive model's rejoin of the tree before.
    static func naiveRejoinDifference(_ step: TreeStep) -> String? {
        guard case .success(let change) = step.result, change.outcome == .left else { return nil }
        var expected = NaiveAddBranch(step.before)
        _ = expected.leave(step.operation.viewer)
        return expected.difference(from: change) ?? expected.difference(from: step.after)
    }
}
