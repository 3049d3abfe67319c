import BranchTreeTesting
import Testing

@testable import BranchTree

@Suite("Leaf migration: the seed's worked example")
struct LeafMigrationWorkedExampleTests {
    /// N = 2, A…H joined in order.
    let start: BranchTree

    init() throws {
        start = try BranchTree.joining("ABCDEFGH", fanout: 2)
    }

    @Test("A…H join breadth-first")
    func joinsBreadthFirst() {
        #expect(start.picture == "root(A(B(D(H) E) C(F G)))")
        #expect(start.levelPicture == "[A] [B C] [D E F G] [H]")
    }

    @Test("C leaves: the tail H takes C's place and children")
    func cLeaves() throws {
        var tree = start
        let change = try tree.leave("C")
        #expect(tree.picture == "root(A(B(D E) H(F G)))")
        #expect(tree.levelPicture == "[A] [B H] [D E F G]")
        #expect(change.subject == "C")
        #expect(change.outcome == .left)
        #expect(
            change.moves == [
                move("H", from: "D", to: "A", depths: 3, 1),
                move("F", from: "C", to: "H", depths: 2, 2),
                move("G", from: "C", to: "H", depths: 2, 2),
            ])
        #expect(change.linksCut == [relay("A", "C"), relay("C", "F"), relay("C", "G"), relay("D", "H")])
        #expect(change.linksCreated == [relay("A", "H"), relay("H", "F"), relay("H", "G")])
        #expect(change.reconnecting == ["F", "G", "H"])
        #expect(change.keepingLink == [])
        #expect(change.evicted == [])
    }

    @Test("I joins under D, the first node in level order with a free slot")
    func iJoins() throws {
        var tree = start
        try tree.leave("C")
        let change = try tree.join("I")
        #expect(tree.picture == "root(A(B(D(I) E) H(F G)))")
        #expect(tree.levelPicture == "[A] [B H] [D E F G] [I]")
        #expect(
            change
                == TreeChange(
                    subject: "I", outcome: .joined(parent: "D", depth: 3), linksCreated: [relay("D", "I")]))
    }

    @Test("G leaves (a leaf above the deepest level): the tail I is pulled up")
    func gLeaves() throws {
        var tree = start
        try tree.leave("C")
        try tree.join("I")
        let change = try tree.leave("G")
        #expect(tree.picture == "root(A(B(D E) H(F I)))")
        #expect(tree.levelPicture == "[A] [B H] [D E F I]")
        #expect(change.moves == [move("I", from: "D", to: "H", depths: 3, 2)])
        #expect(change.linksCut == [relay("H", "G"), relay("D", "I")])
        #expect(change.linksCreated == [relay("H", "I")])
        #expect(change.reconnecting == ["I"])
        #expect(change.keepingLink == [])
    }

    @Test("A leaves: the tail D becomes the first viewer, and nobody below goes dark")
    func aLeaves() throws {
        var tree = start
        try tree.leave("C")
        try tree.join("I")
        try tree.leave("G")
        let change = try tree.leave("A")
        #expect(tree.picture == "root(D(B(E) H(F I)))")
        #expect(tree.levelPicture == "[D] [B H] [E F I]")
        #expect(
            change.moves == [
                move("D", from: "B", to: "root", depths: 2, 0),
                move("B", from: "A", to: "D", depths: 1, 1),
                move("H", from: "A", to: "D", depths: 1, 1),
            ])
        #expect(change.linksCut == [relay("root", "A"), relay("A", "B"), relay("A", "H"), relay("B", "D")])
        #expect(change.linksCreated == [relay("root", "D"), relay("D", "B"), relay("D", "H")])
        #expect(change.reconnecting == ["B", "H", "D"])
        // The grandchildren keep their links but are told their stream stops.
        #expect(change.keepingLink == ["E", "F", "I"])
    }

    @Test("J joins under B; E leaves from the deepest level and nobody moves")
    func jJoinsThenELeaves() throws {
        var tree = start
        try tree.leave("C")
        try tree.join("I")
        try tree.leave("G")
        try tree.leave("A")
        let join = try tree.join("J")
        #expect(join.outcome == .joined(parent: "B", depth: 2))
        #expect(tree.picture == "root(D(B(E J) H(F I)))")
        #expect(tree.levelPicture == "[D] [B H] [E F I J]")

        let change = try tree.leave("E")
        #expect(tree.picture == "root(D(B(J) H(F I)))")
        #expect(tree.levelPicture == "[D] [B H] [F I J]")
        #expect(change == TreeChange(subject: "E", outcome: .left, linksCut: [relay("B", "E")]))
    }

    @Test("Every step of the example keeps each node's parent and depth consistent")
    func parentsAfterEveryStep() throws {
        var tree = start
        try tree.leave("C")
        try tree.join("I")
        try tree.leave("G")
        try tree.leave("A")
        try tree.join("J")
        try tree.leave("E")
        let expected: [(ViewerID, ViewerID, Int)] = [
            ("D", "root", 0), ("B", "D", 1), ("H", "D", 1), ("F", "H", 2), ("I", "H", 2), ("J", "B", 2),
        ]
        for (id, parent, depth) in expected {
            #expect(try tree.parent(of: id) == parent)
            #expect(try tree.depth(of: id) == depth)
        }
        #expect(tree.count == 6)
        for gone: ViewerID in ["A", "C", "E", "G"] { #expect(!tree.contains(gone)) }
    }
}

@Suite("Leaf migration: the seed's pictured repair")
struct LeafMigrationPictureTests {
    /// Fan-out 3 with 45 viewers: depths 0…3 full (1 + 3 + 9 + 27) and 5 at depth 4.
    let start: BranchTree

    init() throws {
        start = try BranchTree.numbered(45, fanout: 3)
    }

    @Test("The first viewer of the deepest level takes the leaver's place and all its children", arguments: [0, 1, 2])
    func tailTakesThePlace(leaverIndex: Int) throws {
        var tree = start
        let leaver = start.level(1)[leaverIndex]
        let tail = start.level(4)[0]
        let tailParent = try #require(try start.parent(of: tail))
        let leaverChildren = try start.children(of: leaver)

        try tree.leave(leaver)

        #expect(try tree.parent(of: tail) == "v1")
        #expect(try tree.depth(of: tail) == 1)
        #expect(try tree.children(of: tail) == leaverChildren)
        #expect(tree.level(1) == start.level(1).filter { $0 != leaver } + [tail])
        #expect(try tree.children(of: "v1") == start.level(1).filter { $0 != leaver } + [tail])
        // The tail's old parent keeps its other children, in order.
        #expect(try tree.children(of: tailParent) == start.children(of: tailParent).filter { $0 != tail })
        try tree.validate()
    }

    @Test("Everyone in the leaver's subtree is told, split by whether its link survives", arguments: [0, 1, 2])
    func noDarkGrandchildren(leaverIndex: Int) throws {
        var tree = start
        let leaver = start.level(1)[leaverIndex]
        let tail = start.level(4)[0]
        let children = try start.children(of: leaver)
        let subtree = try start.descendants(of: leaver)

        let change = try tree.leave(leaver)

        #expect(change.reconnecting == children + [tail])
        let deeper = subtree.filter { !children.contains($0) && $0 != tail }
        #expect(change.keepingLink == deeper)
        #expect(Set(change.interrupted) == Set(subtree + [tail]))
        // Every interrupted viewer still reaches the broadcaster.
        for id in change.interrupted { #expect(try tree.path(toBroadcasterFrom: id).last == "root") }
    }
}

@Suite("Leaf migration: edge cases")
struct LeafMigrationEdgeCaseTests {
    @Test("The tail is the leaver's own child: it is dropped from the children it adopts")
    func tailIsTheLeaversChild() throws {
        var tree = try BranchTree.joining("ABCDEF", fanout: 3)
        #expect(tree.picture == "root(A(B(E F) C D))")
        let change = try tree.leave("B")
        #expect(tree.picture == "root(A(C D E(F)))")
        #expect(tree.levelPicture == "[A] [C D E] [F]")
        #expect(
            change.moves == [
                move("E", from: "B", to: "A", depths: 2, 1),
                move("F", from: "B", to: "E", depths: 2, 2),
            ])
        // E's old link B → E is cut once, as one of B's links.
        #expect(change.linksCut == [relay("A", "B"), relay("B", "E"), relay("B", "F")])
        #expect(change.linksCreated == [relay("A", "E"), relay("E", "F")])
        #expect(change.reconnecting == ["E", "F"])
    }

    @Test("The tail is the leaver's only child")
    func tailIsTheOnlyChild() throws {
        var tree = try BranchTree.joining("ABCD", fanout: 2)
        let change = try tree.leave("B")
        #expect(tree.picture == "root(A(C D))")
        #expect(change.linksCut == [relay("A", "B"), relay("B", "D")])
        #expect(change.linksCreated == [relay("A", "D")])
        #expect(change.reconnecting == ["D"])
    }

    @Test("The first viewer leaves: the tail becomes the new first viewer")
    func firstViewerLeaves() throws {
        var tree = try BranchTree.joining("ABC", fanout: 2)
        let change = try tree.leave("A")
        #expect(tree.picture == "root(B(C))")
        #expect(tree.levelPicture == "[B] [C]")
        #expect(
            change.moves == [
                move("B", from: "A", to: "root", depths: 1, 0),
                move("C", from: "A", to: "B", depths: 1, 1),
            ])
        #expect(change.linksCreated == [relay("root", "B"), relay("B", "C")])
    }

    @Test("The only viewer leaves: the tree is empty and takes a new first viewer")
    func lastViewerLeaves() throws {
        var tree = try BranchTree.joining("A", fanout: 3)
        let change = try tree.leave("A")
        #expect(tree.isEmpty)
        #expect(tree.height == 0)
        #expect(tree.levels == [])
        #expect(try tree.children(of: "root") == [])
        #expect(change == TreeChange(subject: "A", outcome: .left, linksCut: [relay("root", "A")]))
        try tree.validate()

        let join = try tree.join("B")
        #expect(join.outcome == .joined(parent: "root", depth: 0))
        #expect(tree.picture == "root(B)")
    }

    @Test("A leaf above the deepest level pulls the tail up and keeps the height minimal")
    func shallowLeafPullsTheTailUp() throws {
        var tree = try BranchTree.joining("ABCDE", fanout: 2)
        #expect(tree.picture == "root(A(B(D E) C))")
        let change = try tree.leave("C")
        #expect(tree.picture == "root(A(B(E) D))")
        #expect(tree.height == 3)
        #expect(change.moves == [move("D", from: "B", to: "A", depths: 2, 1)])
        #expect(change.linksCut == [relay("A", "C"), relay("B", "D")])
        #expect(change.reconnecting == ["D"])
    }

    @Test("A viewer on the deepest level that leaves is removed and nobody moves")
    func deepestLevelLeaverIsRemoved() throws {
        var tree = try BranchTree.joining("ABCDEFG", fanout: 2)
        let change = try tree.leave("E")
        #expect(tree.picture == "root(A(B(D) C(F G)))")
        #expect(tree.levelPicture == "[A] [B C] [D F G]")
        #expect(change.moves == [])
        #expect(change.interrupted == [])
    }

    @Test("A fan-out-1 chain: every departure from the middle pulls the last viewer up")
    func chain() throws {
        var tree = try BranchTree.joining("ABCDE", fanout: 1)
        #expect(tree.picture == "root(A(B(C(D(E)))))")
        let change = try tree.leave("B")
        #expect(tree.picture == "root(A(E(C(D))))")
        #expect(change.reconnecting == ["C", "E"])
        #expect(change.keepingLink == ["D"])
    }

    @Test("With several first viewers the tail joins the end of the broadcaster's children")
    func broadcasterFanoutAboveOne() throws {
        var tree = try BranchTree.joining("ABCDEF", fanout: 2, broadcasterFanout: 2)
        #expect(tree.picture == "root(A(C D) B(E F))")
        try tree.leave("A")
        #expect(tree.picture == "root(B(E F) C(D))")
        // D keeps its place in depth 1's order; only C moved.
        #expect(tree.levelPicture == "[B C] [D E F]")
    }
}

@Suite("Leaf migration: passing over candidates that cannot hold the slot")
struct LeafMigrationPassOverTests {
    @Test("A non-relayable first tail is passed over for the next viewer of its level")
    func nonRelayableTailIsPassedOver() throws {
        var tree = try BranchTree.joining("ABC", fanout: 2)
        try tree.join("D", relayable: false)
        try tree.join("E")
        #expect(tree.picture == "root(A(B(D E) C))")
        let change = try tree.leave("C")
        #expect(tree.picture == "root(A(B(D) E))")
        #expect(change.moves == [move("E", from: "B", to: "A", depths: 2, 1)])
        #expect(try tree.parent(of: "D") == "B")
    }

    @Test("A non-relayable leaf is never moved into a slot with children")
    func nonRelayableChildIsNotTheTail() throws {
        var tree = try BranchTree.joining("ABC", fanout: 2)
        try tree.join("D", relayable: false)
        try tree.join("E")
        try tree.leave("B")
        #expect(tree.picture == "root(A(C E(D)))")
        #expect(tree["D"]?.depth == 2)
    }

    @Test("A non-relayable only child is never the tail, even with nothing else to adopt")
    func nonRelayableOnlyChildIsNotTheTail() throws {
        var tree = try BranchTree(fanout: 2)
        try tree.join("A")
        try tree.join("X", capacity: 1)
        try tree.join("Y")
        try tree.join("B", relayable: false)
        try tree.join("T")
        #expect(tree.picture == "root(A(X(B) Y(T)))")
        let change = try tree.leave("X")
        try tree.validate()
        // The tail is T, the first relayable leaf deeper than X; it adopts B.
        #expect(tree.picture == "root(A(Y T(B)))")
        #expect(tree.levelPicture == "[A] [Y T] [B]")
        #expect(
            change.moves == [
                move("T", from: "Y", to: "A", depths: 2, 1),
                move("B", from: "X", to: "T", depths: 2, 2),
            ])
        #expect(change.linksCut == [relay("A", "X"), relay("X", "B"), relay("Y", "T")])
        #expect(change.linksCreated == [relay("A", "T"), relay("T", "B")])
        #expect(change.reconnecting == ["B", "T"])
    }

    @Test("A tail whose capacity is below the slot's children is passed over")
    func lowCapacityTailIsPassedOver() throws {
        var tree = try BranchTree.joining("ABCDEFG", fanout: 2)
        try tree.join("H", capacity: 1)
        try tree.join("I")
        #expect(tree.picture == "root(A(B(D(H I) E) C(F G)))")
        // C has two children; H could relay to one only. I comes next, before the older
        // but shallower leaf E, because the deepest level is searched first.
        let change = try tree.leave("C")
        #expect(tree.picture == "root(A(B(D(H) E) I(F G)))")
        #expect(change.moves.first == move("I", from: "D", to: "A", depths: 3, 1))
    }

    @Test("A low-capacity leaf child only needs room for its siblings")
    func lowCapacityChildOfTheLeaver() throws {
        var tree = try BranchTree.joining("ABCD", fanout: 3)
        try tree.join("E", capacity: 1)
        try tree.join("F")
        try tree.join("G")
        #expect(tree.picture == "root(A(B(E F G) C D))")
        // E (capacity 1) cannot adopt F and G; F (capacity 3) adopts E and G.
        try tree.leave("B")
        #expect(tree.picture == "root(A(C D F(E G)))")

        var tree2 = try BranchTree.joining("ABCD", fanout: 3)
        try tree2.join("E", capacity: 1)
        try tree2.join("F")
        // E only has to adopt F: capacity 1 is enough.
        try tree2.leave("B")
        #expect(tree2.picture == "root(A(C D E(F)))")
    }

    @Test("When the whole deepest level is passed over, the next level up is searched in its order")
    func nextLevelUpWhenTheDeepestCannotRelay() throws {
        var tree = try BranchTree.joining("ABC", fanout: 2)
        try tree.join("D", relayable: false)
        try tree.join("E", relayable: false)
        try tree.join("F")
        try tree.join("G")
        try tree.join("H", relayable: false)
        try tree.join("I", relayable: false)
        #expect(tree.picture == "root(A(B(D E) C(F(H I) G)))")
        // H and I cannot relay; at depth 2, D and E cannot either and F is no leaf: G.
        try tree.leave("B")
        #expect(tree.picture == "root(A(C(F(H I)) G(D E)))")
        #expect(tree.levelPicture == "[A] [C G] [D E F] [H I]")
    }

    @Test("With no candidate a childless leaver is simply removed")
    func noCandidateChildlessLeaver() throws {
        var tree = try BranchTree.joining("ABC", fanout: 2)
        try tree.join("D", relayable: false)
        try tree.join("E", relayable: false)
        let change = try tree.leave("C")
        #expect(tree.picture == "root(A(B(D E)))")
        #expect(change.moves == [])
        #expect(change.linksCut == [relay("A", "C")])
    }

    @Test("With no candidate the orphans rejoin by placement, keeping their order")
    func noCandidateOrphansRejoin() throws {
        var tree = try BranchTree.joining("ABC", fanout: 2)
        try tree.join("D", relayable: false)
        try tree.join("E", relayable: false)
        let change = try tree.leave("B")
        // D goes to A's free slot; E to the next free slot in level order, under C.
        #expect(tree.picture == "root(A(C(E) D))")
        #expect(
            change.moves == [
                move("D", from: "B", to: "A", depths: 2, 1),
                move("E", from: "B", to: "C", depths: 2, 2),
            ])
        #expect(change.reconnecting == ["D", "E"])
        #expect(change.evicted == [])
    }
}

@Suite("Leaf migration: the tail rule in random mixed runs")
struct LeafMigrationTailRuleTests {
    @Test(
        "The tail is the first leaf, deepest level first, that can hold the slot; else orphans rejoin", arguments: 1...8
    )
    func tailIsTheFirstCapableLeaf(fanout: Int) throws {
        let profile = try OperationProfile.mixed(fanout: fanout, policy: .skyway)
        PropertyTesting.check(seeds: 0..<120 as Range<UInt64>, profile: profile, property: Self.tailRule)
    }

    /// With a tail T, the first move is T's, into the leaver's place, and the tree is the
    /// migration restated by scans. Without one, the tree and the change are a plain
    /// removal or an orphan rejoin, restated by scans.
    static func tailRule(_ step: TreeStep) -> String? {
        guard case .success(let change) = step.result, change.outcome == .left else { return nil }
        let leaver = step.before[change.subject]!
        guard let tail = expectedTail(replacing: change.subject, in: step.before) else {
            // Plain removal, or the orphans rejoin by placement.
            var expected = NaiveAddBranch(step.before)
            _ = expected.leave(change.subject)
            return expected.difference(from: change) ?? expected.difference(from: step.after)
        }
        let old = step.before[tail]!
        let expected = TreeChange.Move(
            viewer: tail, fromParent: old.parentUUID, toParent: leaver.parentUUID,
            fromDepth: old.depth, toDepth: leaver.depth)
        guard change.moves.first == expected else {
            return "expected the tail \(tail) to move first, got \(change.moves)"
        }
        var expectedTree = NaiveMigration(step.before)
        expectedTree.migrate(tail, into: change.subject)
        return expectedTree.difference(from: step.after)
    }

    /// nil when the leaver is on the deepest level or no leaf deeper than it can relay to
    /// the leaver's remaining children.
    static func expectedTail(replacing leaver: ViewerID, in tree: BranchTree) -> ViewerID? {
        let x = tree[leaver]!
        let levels = tree.levels
        for depth in stride(from: levels.count - 1, to: x.depth, by: -1) {
            for id in levels[depth] {
                let candidate = tree[id]!
                let needed = x.children.filter { $0 != id }.count
                if candidate.children.isEmpty, candidate.capacity > 0, candidate.capacity >= needed { return id }
            }
        }
        return nil
    }
}

@Suite("Leaf migration equals the seed reference")
struct LeafMigrationDifferentialTests {
    /// 8 fan-outs × 300 seeds = 2,400 sequences.
    static let seedsPerFanout: Range<UInt64> = 0..<300

    @Test("After every operation, levels, parents and children equal the seed's", arguments: 1...8)
    func equalsTheReference(fanout: Int) throws {
        let profile = try OperationProfile(fanout: fanout, length: 20...120, maxAudience: 6 * fanout + 10)
        PropertyTesting.check(seeds: Self.seedsPerFanout, profile: profile) {
            Self.firstDifference($0, profile: profile)
        }
    }

    @Test("With several first viewers too", arguments: [2, 3])
    func equalsTheReferenceWithSeveralFirstViewers(broadcasterFanout: Int) throws {
        let profile = try OperationProfile(
            fanout: 2, broadcasterFanout: broadcasterFanout, length: 20...100, maxAudience: 30)
        PropertyTesting.check(seeds: 0..<100 as Range<UInt64>, profile: profile) {
            Self.firstDifference($0, profile: profile)
        }
    }

    @Test("The reference itself reproduces the worked example")
    func referenceReproducesTheExample() throws {
        var reference = SeedReference(fanout: 2)
        for id in "ABCDEFGH" { reference.join(ViewerID(String(id))) }
        reference.leave("C")
        reference.join("I")
        reference.leave("G")
        reference.leave("A")
        reference.join("J")
        reference.leave("E")
        #expect(reference.levels.map { $0.map(\.id) } == [["D"], ["B", "H"], ["F", "I", "J"]])
        #expect(reference.record("H")?.children == ["F", "I"])
        #expect(reference.record("B")?.children == ["J"])
        #expect(reference.firstViewers == ["D"])
    }

    /// Replays `operations` on both, comparing after every step.
    static func firstDifference(_ operations: [TreeOperation], profile: OperationProfile) -> String? {
        var tree = try! BranchTree(configuration: profile.configuration)
        var reference = SeedReference(
            fanout: profile.fanout, broadcasterFanout: profile.configuration.broadcasterFanout)
        for (index, operation) in operations.enumerated() {
            // Shrinking may leave operations about absent viewers: both sides ignore them.
            switch operation {
            case .join(let id, _, _) where !reference.contains(id): reference.join(id)
            case .leave(let id) where reference.contains(id): reference.leave(id)
            default: continue
            }
            do {
                try tree.apply(operation)
            } catch {
                return "step \(index) \(operation) threw \(error)"
            }
            if let difference = reference.difference(from: tree) {
                return "step \(index) \(operation): \(difference)"
            }
        }
        return nil
    }
}
