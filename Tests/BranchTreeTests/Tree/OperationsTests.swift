import BranchTreeTesting
import Testing

@testable import BranchTree

@Suite("Joining")
struct JoinTests {
    @Test("Joins fill the tree breadth-first, each as its parent's last child")
    func addBranchIsBreadthFirst() throws {
        var tree = try BranchTree(fanout: 3)
        let first = try tree.join("A")
        #expect(
            first
                == TreeChange(
                    subject: "A", outcome: .joined(parent: "root", depth: 0), linksCreated: [relay("root", "A")]))
        for id in "BCDEF" { try tree.join(ViewerID(String(id))) }
        #expect(tree.picture == "root(A(B(E F) C D))")
        #expect(tree.levelPicture == "[A] [B C D] [E F]")
    }

    @Test("The broadcaster feeds at most its own fan-out of first viewers", arguments: [1, 2, 4])
    func broadcasterFanout(broadcasterFanout: Int) throws {
        var tree = try BranchTree(fanout: 2, broadcasterFanout: broadcasterFanout)
        for index in 0..<(broadcasterFanout + 1) { try tree.join(ViewerID("v\(index)")) }
        #expect(try tree.children(of: "root").count == broadcasterFanout)
        #expect(tree.level(0).count == broadcasterFanout)
        #expect(try tree.depth(of: ViewerID("v\(broadcasterFanout)")) == 1)
    }

    @Test("A repeated join changes nothing and reports the viewer's current place")
    func duplicateJoin() throws {
        var tree = try BranchTree.joining("ABCDE", fanout: 2)
        let before = tree
        let change = try tree.join("D")
        #expect(change.outcome == .alreadyPresent(parent: "B", depth: 2))
        #expect(!change.changedTree)
        #expect(change.linksCreated == [])
        #expect(tree == before)
    }

    @Test("A repeated join by a viewer that was moved reports where it is now")
    func duplicateJoinAfterAMove() throws {
        var tree = try BranchTree.joining("ABCDE", fanout: 2)
        try tree.leave("C")  // the tail D moves up to A
        let change = try tree.join("D")
        #expect(change.outcome == .alreadyPresent(parent: "A", depth: 1))
    }

    @Test("A viewer that re-sends join is never placed twice nor becomes its own child")
    func duplicateJoinNeverSelfParents() throws {
        var tree = try BranchTree(fanout: 1)
        try tree.join("A")
        for _ in 0..<3 { try tree.join("A") }
        #expect(tree.count == 1)
        #expect(try tree.children(of: "A") == [])
        #expect(tree.picture == "root(A)")
    }

    @Test("A capacity override caps a viewer's children")
    func capacityOverride() throws {
        var tree = try BranchTree(fanout: 3)
        try tree.join("A", capacity: 1)
        try tree.join("B")
        try tree.join("C")
        #expect(tree.picture == "root(A(B(C)))")
        #expect(tree["A"]?.capacity == 1)
        #expect(tree["B"]?.capacity == 3)
    }

    @Test("A non-relayable viewer is a leaf forever")
    func nonRelayableViewerStaysALeaf() throws {
        var tree = try BranchTree(fanout: 2)
        try tree.join("A")
        try tree.join("B", relayable: false)
        try tree.join("C")
        try tree.join("D")
        #expect(tree.picture == "root(A(B C(D)))")
        #expect(tree["B"]?.relayable == false)
        #expect(tree["B"]?.capacity == 0)
    }

    @Test("Applying a join operation reads capacity 0 as not relayable")
    func applyJoin() throws {
        var viaApply = try BranchTree(fanout: 3)
        var direct = viaApply
        try viaApply.apply(.join("A"))
        try viaApply.apply(.join("B", capacity: 0))
        try viaApply.apply(.join("C", capacity: 2))
        try direct.join("A")
        try direct.join("B", relayable: false)
        try direct.join("C", capacity: 2)
        #expect(viaApply == direct)
        #expect(viaApply["B"]?.relayable == false)
        #expect(viaApply["C"]?.capacity == 2)
    }

    @Test(
        "Invalid capacities throw and leave the tree unchanged",
        arguments: [
            (true, -1), (true, 4), (false, 1), (false, 3),
        ])
    func invalidCapacity(relayable: Bool, capacity: Int) throws {
        var tree = try BranchTree.joining("AB", fanout: 3)
        let before = tree
        #expect(throws: BranchTreeError.invalidCapacity(capacity, fanout: 3)) {
            try tree.join("X", relayable: relayable, capacity: capacity)
        }
        #expect(tree == before)
    }

    @Test("Empty and reserved ids are refused")
    func refusedIDs() throws {
        var tree = try BranchTree.joining("A", fanout: 2)
        let before = tree
        #expect(throws: BranchTreeError.emptyID) { try tree.join("") }
        #expect(throws: BranchTreeError.reservedID("root")) { try tree.join("root") }
        #expect(tree == before)
    }

    @Test("No relay slot: a non-relayable joiner at fan-out 1 behind a non-relayable first viewer")
    func noRelaySlot() throws {
        var tree = try BranchTree(fanout: 1)
        try tree.join("A", relayable: false)
        let before = tree
        #expect(throws: BranchTreeError.noRelaySlot("B")) { try tree.join("B", relayable: false) }
        #expect(throws: BranchTreeError.noRelaySlot("B")) { try tree.apply(.join("B", capacity: 0)) }
        #expect(tree == before)
        #expect(!tree.contains("B"))
        // A viewer that can relay is placed all the same: it takes A's place (AddBranchTests).
        try tree.join("B")
        #expect(tree.picture == "root(B(A))")
    }

    @Test("No relay slot for a non-relayable joiner once low-capacity viewers are all full")
    func noRelaySlotWhenFull() throws {
        var tree = try BranchTree(fanout: 4, broadcasterFanout: 2)
        try tree.join("A", capacity: 1)
        try tree.join("B", relayable: false)
        try tree.join("C", relayable: false)
        #expect(tree.picture == "root(A(C) B)")
        let before = tree
        #expect(throws: BranchTreeError.noRelaySlot("D")) { try tree.join("D", relayable: false) }
        #expect(tree == before)
        try tree.validate()
    }

    @Test("One user in two windows is two sessions, both in the tree")
    func twoWindows() throws {
        var tree = try BranchTree(fanout: 2)
        try tree.join("user-7/window-1")
        try tree.join("user-7/window-2")
        #expect(tree.count == 2)
        #expect(try tree.parent(of: "user-7/window-2") == "user-7/window-1")
        try tree.leave("user-7/window-1")
        #expect(tree.contains("user-7/window-2"))
        #expect(!tree.contains("user-7/window-1"))
    }
}

@Suite("Leaving")
struct LeaveTests {
    @Test("Leaving with an unknown id throws and leaves the tree unchanged", arguments: Policy.allCases)
    func unknownViewer(policy: Policy) throws {
        var tree = try BranchTree.joining("ABCDEFG", fanout: 2, policy: policy)
        let before = tree
        #expect(throws: BranchTreeError.unknownViewer("Z")) { try tree.leave("Z") }
        #expect(tree == before)
        #expect(tree.snapshot() == before.snapshot())
    }

    @Test("Leaving twice: the second leave is an unknown viewer", arguments: Policy.allCases)
    func leaveTwice(policy: Policy) throws {
        var tree = try BranchTree.joining("ABC", fanout: 2, policy: policy)
        try tree.leave("B")
        let before = tree
        #expect(throws: BranchTreeError.unknownViewer("B")) { try tree.leave("B") }
        #expect(tree == before)
    }

    @Test("The broadcaster cannot leave its own tree", arguments: Policy.allCases)
    func broadcasterCannotLeave(policy: Policy) throws {
        var tree = try BranchTree.joining("ABC", fanout: 2, policy: policy)
        let before = tree
        #expect(throws: BranchTreeError.cannotRemoveBroadcaster("root")) { try tree.leave("root") }
        #expect(throws: BranchTreeError.cannotRemoveBroadcaster("root")) { try tree.apply(.leave("root")) }
        #expect(tree == before)
    }

    @Test("Leaving an empty tree throws unknownViewer", arguments: Policy.allCases)
    func leaveEmptyTree(policy: Policy) throws {
        var tree = try BranchTree(fanout: 3, policy: policy)
        #expect(throws: BranchTreeError.unknownViewer("A")) { try tree.leave("A") }
        #expect(tree.isEmpty)
        try tree.validate()
    }

    @Test("Everyone can leave, in any order, down to an empty tree", arguments: Policy.allCases)
    func everyoneLeaves(policy: Policy) throws {
        var tree = try BranchTree.numbered(20, fanout: 3, policy: policy)
        for index in [7, 1, 20, 3, 12, 2, 19, 4, 5, 6, 8, 9, 10, 11, 13, 14, 15, 16, 17, 18] {
            try tree.leave(ViewerID("v\(index)"))
            try tree.validate()
        }
        #expect(tree.isEmpty)
        #expect(tree.height == 0)
        let empty = try BranchTree(fanout: 3, policy: policy)
        #expect(tree == empty)
    }
}

@Suite("Operations: random sequences")
struct OperationPropertyTests {
    static let cases: [(Int, Policy)] = (1...8).flatMap { fanout in Policy.allCases.map { (fanout, $0) } }

    @Test("Every step validates, fails atomically, and places joiners by add-branch", arguments: cases)
    func randomSequences(fanout: Int, policy: Policy) throws {
        let profile = try OperationProfile.mixed(fanout: fanout, policy: policy)
        PropertyTesting.check(seeds: 0..<150 as Range<UInt64>, profile: profile, property: Self.operationContract)
    }

    @Test("Several first viewers behave the same way", arguments: Policy.allCases)
    func severalFirstViewers(policy: Policy) throws {
        var profile = try OperationProfile.mixed(fanout: 2, policy: policy)
        profile.configuration = try .init(fanout: profile.fanout, broadcasterFanout: 3, policy: policy)
        PropertyTesting.check(seeds: 0..<150 as Range<UInt64>, profile: profile, property: Self.operationContract)
    }

    /// What any single operation must do, computed from the tree before it.
    static func operationContract(_ step: TreeStep) -> String? {
        let before = TreeModel(step.before)
        let id = step.operation.viewer
        switch (step.operation, step.result) {
        case (_, .failure(let error)):
            if step.after != step.before { return "threw \(error) but changed the tree" }
            switch (step.operation, error) {
            case (.leave, .unknownViewer(id)) where !step.before.contains(id): return nil
            // Only a viewer that cannot relay is ever refused, and only with no free slot.
            case (.join(_, _, capacity: 0?), .noRelaySlot(id))
            where !before.hasFreeSlot(broadcasterFanout: step.before.configuration.broadcasterFanout):
                return nil
            default: return "unexpected error \(error)"
            }

        case (.join(_, _, let capacity), .success(let change)):
            if let existing = before.viewers[id] {
                guard change.outcome == .alreadyPresent(parent: existing.parentUUID, depth: existing.depth),
                    step.after == step.before
                else { return "a repeated join changed the tree or misreported \(change.outcome)" }
                return nil
            }
            return addBranchViolation(
                of: id, capacity: capacity ?? step.before.configuration.fanout, change: change,
                before: step.before, after: step.after)

        case (.leave, .success(let change)):
            let after = TreeModel(step.after)
            if after.viewers[id] != nil { return "the leaver is still in the tree" }
            let survivors = before.order.filter { $0 != id && !change.evicted.contains($0) }
            if after.order.sorted() != survivors.sorted() { return "the tree lost or gained viewers" }
            if let relaying = change.evicted.first(where: { before.viewers[$0]?.capacity != 0 }) {
                return "evicted \(relaying), which could relay"
            }
            return nil
        }
    }

    /// The joiner sits where the naive add-branch puts it — under the first node, in level
    /// order, with a free slot, or in the place of the first non-relayable viewer, which
    /// rejoins — and the change says exactly that; nothing else changed.
    static func addBranchViolation(
        of id: ViewerID, capacity: Int, change: TreeChange, before: BranchTree, after: BranchTree
    ) -> String? {
        var model = NaiveAddBranch(before)
        guard model.join(id, capacity: capacity) != nil else { return "joined although there was no place" }
        if let difference = model.difference(from: change) { return "change: \(difference)" }
        if let difference = model.difference(from: after) { return "tree: \(difference)" }
        // Everyone's record, from the public view: only the joiner's parent and a
        // displaced viewer (and its new parent) may differ from before.
        let beforeModel = TreeModel(before)
        let afterModel = TreeModel(after)
        let touched = Set(change.linksCreated.flatMap { [$0.parent, $0.child] } + change.linksCut.map(\.parent))
        for other in beforeModel.order where !touched.contains(other) {
            if afterModel.viewers[other] != beforeModel.viewers[other] {
                return "\(other) changed: \(afterModel.viewers[other].map { "\($0)" } ?? "gone")"
            }
        }
        return nil
    }
}
