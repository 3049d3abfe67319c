import BranchTreeTesting
import Testing

@testable import BranchTree

// Add-branch's one rule beyond the seed: when no node has a free slot (every leaf is a
// viewer that cannot relay) and the subtree being placed can relay, its root takes the
// place of the first non-relayable viewer in level order, which rejoins below it — or,
// with no slot even then, is evicted.

@Suite("Add-branch: a joiner that can relay displaces one that cannot")
struct AddBranchJoinTests {
    @Test("Fan-out 1: B takes the place of A, which cannot relay, and A moves below B")
    func firstViewerCannotRelay() throws {
        var tree = try BranchTree(fanout: 1)
        let first = try tree.join("A", relayable: false)
        #expect(
            first
                == TreeChange(
                    subject: "A", outcome: .joined(parent: "root", depth: 0), linksCreated: [relay("root", "A")]))

        let change = try tree.join("B")
        #expect(tree.picture == "root(B(A))")
        #expect(tree.levelPicture == "[B] [A]")
        #expect(
            change
                == TreeChange(
                    subject: "B", outcome: .joined(parent: "root", depth: 0),
                    moves: [move("A", from: "root", to: "B", depths: 0, 1)],
                    linksCut: [relay("root", "A")],
                    linksCreated: [relay("root", "B"), relay("B", "A")],
                    reconnecting: ["A"]))
        #expect(change.interrupted == ["A"])
        try tree.validate()

        // A joiner that cannot relay displaces nobody: with no free slot it is refused.
        let before = tree
        #expect(throws: BranchTreeError.noRelaySlot("C")) { try tree.join("C", relayable: false) }
        #expect(tree == before)
        #expect(!tree.contains("C"))
    }

    @Test("Each relayable joiner pushes the viewer that cannot relay one level down")
    func relayableJoinersPushItDown() throws {
        var tree = try BranchTree(fanout: 1)
        try tree.join("A", relayable: false)
        try tree.join("B")
        let change = try tree.join("C")
        // A is the first viewer that cannot relay (depth 1); C takes its place under B.
        #expect(tree.picture == "root(B(C(A)))")
        #expect(
            change
                == TreeChange(
                    subject: "C", outcome: .joined(parent: "B", depth: 1),
                    moves: [move("A", from: "B", to: "C", depths: 1, 2)],
                    linksCut: [relay("B", "A")],
                    linksCreated: [relay("B", "C"), relay("C", "A")],
                    reconnecting: ["A"]))
        try tree.join("D")
        #expect(tree.picture == "root(B(C(D(A))))")
        #expect(tree.levels == [["B"], ["C"], ["D"], ["A"]])
        try tree.validate()
    }

    @Test("A free slot anywhere, however deep, comes before displacing anyone")
    func freeSlotFirst() throws {
        var tree = try BranchTree(fanout: 2, broadcasterFanout: 2)
        try tree.join("N", relayable: false)
        try tree.join("R")
        let change = try tree.join("S")
        #expect(tree.picture == "root(N R(S))")
        #expect(
            change
                == TreeChange(
                    subject: "S", outcome: .joined(parent: "R", depth: 1), linksCreated: [relay("R", "S")]))
    }

    @Test("The displaced viewer is the shallowest that cannot relay, then the first in its level's order")
    func shallowestThenLevelOrder() throws {
        var tree = try BranchTree(fanout: 2, broadcasterFanout: 2)
        try tree.join("A", capacity: 1)
        try tree.join("N1", relayable: false)
        try tree.join("N2", relayable: false)
        #expect(tree.picture == "root(A(N2) N1)")
        #expect(tree.levelPicture == "[A N1] [N2]")

        // N1 (depth 0) goes before N2 (depth 1). R joins the end of the broadcaster's
        // children and of level 0; N1 rejoins under R.
        let r = try tree.join("R")
        #expect(tree.picture == "root(A(N2) R(N1))")
        #expect(tree.levelPicture == "[A R] [N2 N1]")
        #expect(
            r
                == TreeChange(
                    subject: "R", outcome: .joined(parent: "root", depth: 0),
                    moves: [move("N1", from: "root", to: "R", depths: 0, 1)],
                    linksCut: [relay("root", "N1")],
                    linksCreated: [relay("root", "R"), relay("R", "N1")],
                    reconnecting: ["N1"]))

        try tree.join("N3", relayable: false)
        #expect(tree.levelPicture == "[A R] [N2 N1 N3]")
        // All three sit at depth 1; N2 comes first in the level's order although N1 joined
        // before it.
        let s = try tree.join("S")
        #expect(tree.picture == "root(A(S(N2)) R(N1 N3))")
        #expect(tree.levelPicture == "[A R] [N1 N3 S] [N2]")
        #expect(
            s
                == TreeChange(
                    subject: "S", outcome: .joined(parent: "A", depth: 1),
                    moves: [move("N2", from: "A", to: "S", depths: 1, 2)],
                    linksCut: [relay("A", "N2")],
                    linksCreated: [relay("A", "S"), relay("S", "N2")],
                    reconnecting: ["N2"]))
        try tree.validate()
    }

    @Test("A low-capacity joiner displaces too")
    func lowCapacityJoiner() throws {
        var tree = try BranchTree(fanout: 4, broadcasterFanout: 2)
        try tree.join("A", capacity: 1)
        try tree.join("B", relayable: false)
        try tree.join("C", relayable: false)
        #expect(tree.picture == "root(A(C) B)")
        let change = try tree.join("D", capacity: 2)
        #expect(tree.picture == "root(A(C) D(B))")
        #expect(tree.levelPicture == "[A D] [C B]")
        #expect(
            change
                == TreeChange(
                    subject: "D", outcome: .joined(parent: "root", depth: 0),
                    moves: [move("B", from: "root", to: "D", depths: 0, 1)],
                    linksCut: [relay("root", "B")],
                    linksCreated: [relay("root", "D"), relay("D", "B")],
                    reconnecting: ["B"]))
        try tree.validate()
    }

    @Test("A restored snapshot displaces the same viewer the same way", arguments: Policy.allCases)
    func restoredSnapshotDisplacesAlike(policy: Policy) throws {
        var tree = try BranchTree(fanout: 2, broadcasterFanout: 2, policy: policy)
        try tree.join("A", capacity: 1)
        try tree.join("N1", relayable: false)
        try tree.join("N2", relayable: false)
        try tree.join("R")
        try tree.join("N3", relayable: false)
        var restored = try BranchTree(snapshot: tree.snapshot())
        #expect(restored == tree)
        let change = try tree.join("S")
        #expect(try restored.join("S") == change)
        #expect(restored == tree)
        #expect(change.moves.map(\.viewer) == ["N2"])
        try restored.validate()
    }
}

@Suite("Add-branch: orphans that displace")
struct AddBranchRejoinTests {
    @Test(
        "A non-relayable orphan takes the broadcaster's only slot; the next orphan takes its place",
        arguments: Policy.allCases)
    func nonRelayableOrphanIsDisplaced(policy: Policy) throws {
        var tree = try BranchTree(fanout: 2, policy: policy)
        try tree.join("A")
        try tree.join("B", relayable: false)
        try tree.join("C")
        try tree.join("D", relayable: false)
        #expect(tree.picture == "root(A(B C(D)))")
        // No relayable leaf can take A's place (skyway), so the orphans rejoin in order:
        // B into the broadcaster's free slot, then C, which finds no free slot, into B's
        // place; B rejoins under C. Nobody is evicted.
        let change = try tree.leave("A")
        #expect(tree.picture == "root(C(D B))")
        #expect(tree.levelPicture == "[C] [D B]")
        #expect(
            change
                == TreeChange(
                    subject: "A", outcome: .left,
                    moves: [
                        move("C", from: "A", to: "root", depths: 1, 0), move("B", from: "A", to: "C", depths: 1, 1),
                    ],
                    linksCut: [relay("root", "A"), relay("A", "B"), relay("A", "C")],
                    linksCreated: [relay("root", "C"), relay("C", "B")],
                    reconnecting: ["B", "C"],
                    keepingLink: ["D"]))
        #expect(change.evicted == [])
        try tree.validate()
    }

    @Test(
        "A viewer displaced twice in one repair: one move, its first origin, its last place", arguments: Policy.allCases
    )
    func displacedTwice(policy: Policy) throws {
        var tree = try BranchTree(fanout: 3, policy: policy)
        try tree.join("X")
        try tree.join("N", relayable: false)
        try tree.join("O1", capacity: 1)
        try tree.join("O2", capacity: 1)
        #expect(tree.picture == "root(X(N O1 O2))")
        let change = try tree.leave("X")
        // N takes the broadcaster's slot; O1 takes N's place (N under O1); O2 takes N's
        // place again (under O1, N under O2).
        #expect(tree.picture == "root(O1(O2(N)))")
        #expect(tree.levelPicture == "[O1] [O2] [N]")
        // The links made and undone within the repair (root → N, O1 → N) are in neither list.
        #expect(change.linksCut == [relay("root", "X"), relay("X", "N"), relay("X", "O1"), relay("X", "O2")])
        #expect(change.linksCreated == [relay("root", "O1"), relay("O1", "O2"), relay("O2", "N")])
        #expect(
            change.moves == [
                move("O1", from: "X", to: "root", depths: 1, 0),
                move("O2", from: "X", to: "O1", depths: 1, 1),
                move("N", from: "X", to: "O2", depths: 1, 2),
            ])
        #expect(change.reconnecting == ["N", "O1", "O2"])
        #expect(change.keepingLink == [])
        #expect(change.evicted == [])
        try tree.validate()
    }

    @Test("A viewer displaced after keeping its link leaves keepingLink for reconnecting")
    func displacedAfterKeepingItsLink() throws {
        var tree = try BranchTree(fanout: 2, policy: .rejoin)
        try tree.join("X")
        try tree.join("O1", capacity: 1)
        try tree.join("O2")
        try tree.join("D", relayable: false)
        #expect(tree.picture == "root(X(O1(D) O2))")
        let change = try tree.leave("X")
        // O1 takes the broadcaster's slot, D still below it (D keeps its link, for now).
        // O2 finds no free slot and takes D's place under O1; D rejoins under O2.
        #expect(tree.picture == "root(O1(O2(D)))")
        #expect(tree.levelPicture == "[O1] [O2] [D]")
        #expect(change.linksCut == [relay("root", "X"), relay("X", "O1"), relay("X", "O2"), relay("O1", "D")])
        #expect(change.linksCreated == [relay("root", "O1"), relay("O1", "O2"), relay("O2", "D")])
        #expect(change.reconnecting == ["O1", "O2", "D"])
        #expect(change.keepingLink == [])
        #expect(change.evicted == [])
        // Moves in the order of the links they create; D sat at depth 2 before the change
        // (and again after it).
        #expect(
            change.moves == [
                move("O1", from: "X", to: "root", depths: 1, 0),
                move("O2", from: "X", to: "O1", depths: 1, 1),
                move("D", from: "O1", to: "O2", depths: 2, 2),
            ])
        try tree.validate()
    }

    @Test(
        "A non-relayable orphan with no slot waits for its siblings, and takes a slot one brings",
        arguments: Policy.allCases)
    func nonRelayableOrphanWaits(policy: Policy) throws {
        var tree = try BranchTree(fanout: 3, policy: policy)
        try tree.join("X")
        try tree.join("A", relayable: false)
        try tree.join("B", relayable: false)
        try tree.join("C")
        try tree.join("D", relayable: false)
        #expect(tree.picture == "root(X(A B C(D)))")
        let change = try tree.leave("X")
        // A takes the broadcaster's slot. B finds no slot and cannot displace anyone: it
        // waits. C takes A's place (A under C), which leaves a slot under C for B.
        #expect(tree.picture == "root(C(D A B))")
        #expect(tree.levelPicture == "[C] [D A B]")
        #expect(
            change
                == TreeChange(
                    subject: "X", outcome: .left,
                    moves: [
                        move("C", from: "X", to: "root", depths: 1, 0),
                        move("A", from: "X", to: "C", depths: 1, 1),
                        move("B", from: "X", to: "C", depths: 1, 1),
                    ],
                    linksCut: [relay("root", "X"), relay("X", "A"), relay("X", "B"), relay("X", "C")],
                    linksCreated: [relay("root", "C"), relay("C", "A"), relay("C", "B")],
                    reconnecting: ["A", "B", "C"],
                    keepingLink: ["D"]))
        try tree.validate()
    }

    @Test(
        "When the displacing orphan is full, the displaced viewer takes the first free slot below it",
        arguments: Policy.allCases)
    func fullDisplacerSendsItDeeper(policy: Policy) throws {
        var tree = try BranchTree(fanout: 2, policy: policy)
        try tree.join("X")
        try tree.join("N", relayable: false)
        try tree.join("O", capacity: 1)
        try tree.join("Q")
        try tree.join("R", relayable: false)
        #expect(tree.picture == "root(X(N O(Q(R))))")
        let change = try tree.leave("X")
        // N takes the broadcaster's slot; O, full with Q, takes N's place. The first free
        // slot in level order is then Q's: N rejoins there, two levels below O.
        #expect(tree.picture == "root(O(Q(R N)))")
        #expect(tree.levelPicture == "[O] [Q] [R N]")
        #expect(
            change
                == TreeChange(
                    subject: "X", outcome: .left,
                    moves: [
                        move("O", from: "X", to: "root", depths: 1, 0), move("N", from: "X", to: "Q", depths: 1, 2),
                    ],
                    linksCut: [relay("root", "X"), relay("X", "N"), relay("X", "O")],
                    linksCreated: [relay("root", "O"), relay("Q", "N")],
                    reconnecting: ["N", "O"],
                    keepingLink: ["Q", "R"]))
        try tree.validate()
    }
}

@Suite("Add-branch: eviction")
struct AddBranchEvictionTests {
    @Test(
        "A non-relayable orphan with no slot left is evicted; the relayable one with a subtree is placed",
        arguments: Policy.allCases)
    func nonRelayableOrphanIsEvicted(policy: Policy) throws {
        var tree = try BranchTree(fanout: 2, policy: policy)
        try tree.join("A")
        try tree.join("B", relayable: false)
        try tree.join("C", capacity: 1)
        try tree.join("D", relayable: false)
        #expect(tree.picture == "root(A(B C(D)))")
        let change = try tree.leave("A")
        #expect(tree.picture == "root(C(D))")
        #expect(
            change
                == TreeChange(
                    subject: "A", outcome: .left,
                    moves: [move("C", from: "A", to: "root", depths: 1, 0)],
                    linksCut: [relay("root", "A"), relay("A", "B"), relay("A", "C")],
                    linksCreated: [relay("root", "C")],
                    reconnecting: ["C"],
                    keepingLink: ["D"],
                    evicted: ["B"]))
        try tree.validate()
    }

    @Test("A waiting non-relayable orphan is evicted when its siblings bring no slot", arguments: Policy.allCases)
    func waitingOrphanIsEvicted(policy: Policy) throws {
        var tree = try BranchTree(fanout: 3, policy: policy)
        try tree.join("X")
        try tree.join("A", relayable: false)
        try tree.join("B", relayable: false)
        try tree.join("C", capacity: 2)
        try tree.join("D", relayable: false)
        #expect(tree.picture == "root(X(A B C(D)))")
        let change = try tree.leave("X")
        // A takes the broadcaster's slot; B waits; C takes A's place and A its last slot.
        #expect(tree.picture == "root(C(D A))")
        #expect(
            change
                == TreeChange(
                    subject: "X", outcome: .left,
                    moves: [
                        move("C", from: "X", to: "root", depths: 1, 0), move("A", from: "X", to: "C", depths: 1, 1),
                    ],
                    linksCut: [relay("root", "X"), relay("X", "A"), relay("X", "B"), relay("X", "C")],
                    linksCreated: [relay("root", "C"), relay("C", "A")],
                    reconnecting: ["A", "C"],
                    keepingLink: ["D"],
                    evicted: ["B"]))
        #expect(!tree.contains("B"))
        try tree.validate()
    }

    @Test("A displaced viewer outside the leaver's subtree is evicted when no slot is left", arguments: Policy.allCases)
    func displacedViewerIsEvicted(policy: Policy) throws {
        var tree = try BranchTree(fanout: 2, broadcasterFanout: 2, policy: policy)
        try tree.join("N", relayable: false)
        try tree.join("X")
        try tree.join("M", relayable: false)
        try tree.join("O", capacity: 1)
        try tree.join("P", relayable: false)
        #expect(tree.picture == "root(N X(M O(P)))")
        let change = try tree.leave("X")
        // M takes X's slot; O takes the place of N, the first viewer that cannot relay,
        // and no slot is left for N: O is full and M and P cannot relay.
        #expect(tree.picture == "root(M O(P))")
        #expect(tree.levelPicture == "[M O] [P]")
        #expect(
            change
                == TreeChange(
                    subject: "X", outcome: .left,
                    moves: [
                        move("M", from: "X", to: "root", depths: 1, 0), move("O", from: "X", to: "root", depths: 1, 0),
                    ],
                    linksCut: [relay("root", "X"), relay("X", "M"), relay("X", "O"), relay("root", "N")],
                    linksCreated: [relay("root", "M"), relay("root", "O")],
                    reconnecting: ["M", "O"],
                    keepingLink: ["P"],
                    evicted: ["N"]))
        #expect(!tree.contains("N"))
        try tree.validate()
    }
}

@Suite("Add-branch: random runs with many viewers that cannot relay")
struct AddBranchPropertyTests {
    static let cases: [(Int, Policy)] = (1...4).flatMap { fanout in Policy.allCases.map { (fanout, $0) } }

    /// Non-relayable share and broadcaster fan-out of each run.
    static let mixes: [(nonRelayable: Double, broadcasterFanout: Int)] = [(0.3, 1), (0.45, 2), (0.6, 1)]

    @Test(
        "Relayable joiners are always placed, only non-relayable viewers are evicted, every step validates and fails atomically",
        arguments: cases)
    func displacementContract(fanout: Int, policy: Policy) throws {
        var displacingJoins = 0
        var refusals = 0
        var evictions = 0
        for mix in Self.mixes {
            let profile = try OperationProfile(
                fanout: fanout, broadcasterFanout: mix.broadcasterFanout, policy: policy, length: 30...90,
                maxAudience: 25, nonRelayable: mix.nonRelayable, lowCapacity: 0.15, absentLeaves: 0.05,
                duplicateJoins: 0.05, returningViewers: 0.1)
            PropertyTesting.check(seeds: 0..<60 as Range<UInt64>, profile: profile) { step in
                if case .join = step.operation, case .success(let change) = step.result, !change.moves.isEmpty {
                    displacingJoins += 1
                }
                if case .failure(.noRelaySlot) = step.result { refusals += 1 }
                if case .success(let change) = step.result { evictions += change.evicted.count }
                return Self.contract(step)
            }
        }
        // The runs do exercise the rule. (At fan-out 1 a leaver has one orphan, which
        // always gets its slot, so nobody is ever evicted.)
        #expect(displacingJoins > 0)
        #expect(refusals > 0)
        #expect(fanout == 1 ? evictions == 0 : evictions > 0)
    }

    /// The rule's promises, then the general contracts and the policy's naive model.
    static func contract(_ step: TreeStep) -> String? {
        switch (step.operation, step.result) {
        case (.join(let id, _, let capacity), .failure(let error)):
            if capacity != 0 { return "a viewer that can relay was refused: \(error)" }
            if step.after != step.before || step.after.contains(id) != step.before.contains(id) {
                return "threw \(error) but changed the tree"
            }
        case (.leave, .failure(let error)):
            if step.after != step.before { return "threw \(error) but changed the tree" }
        case (.join, .success(let change)):
            if !change.evicted.isEmpty { return "a join evicted \(change.evicted)" }
        case (.leave, .success(let change)):
            for id in change.evicted where step.before[id]?.relayable != false {
                return "evicted \(id), which could relay"
            }
        }
        if let failure = OperationPropertyTests.operationContract(step) { return failure }
        if let failure = TreeChangeTests.leaveReport(step) { return failure }
        switch step.before.configuration.policy {
        case .rejoin: return OrphanRejoinTests.naiveRejoinDifference(step)
        case .skyway: return LeafMigrationTailRuleTests.tailRule(step)
        case .stable: return OldestLeafPromotionTests.promotionRule(step)
        }
    }
}
