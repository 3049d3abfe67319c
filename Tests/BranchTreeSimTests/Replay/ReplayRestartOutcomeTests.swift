import BranchTree
import BranchTreeSim
import Testing

/// The comparison of the tree before and after a restart, checked against what the tree
/// itself reports for a departure.
@Suite struct ReplayRestartOutcomeTests {
    @Test func identicalTreesKeepEverything() throws {
        var tree = try BranchTree(fanout: 2)
        for id in ["A", "B", "C", "D"] { try tree.join(ViewerID(id)) }
        for strategy in RestartStrategy.allCases {
            let outcome = ReplayRestartOutcome(strategy: strategy, before: tree, after: tree, missing: [])
            #expect(outcome.linksCreated.isEmpty && outcome.linksCut.isEmpty)
            #expect(outcome.removed.isEmpty && outcome.evicted.isEmpty && outcome.moves.isEmpty)
            // Who is "kept" and who "rejoined" is the strategy's to say.
            #expect((strategy == .restore ? outcome.kept : outcome.rejoined) == ["A", "B", "C", "D"])
            #expect((strategy == .restore ? outcome.rejoined : outcome.kept).isEmpty)
        }
    }

    @Test func aRemovedLeafAndAnEvictedViewer() throws {
        var before = try BranchTree(fanout: 2)
        for id in ["A", "B", "C"] { try before.join(ViewerID(id)) }
        var after = before
        try after.leave("C")
        try after.leave("B")
        let outcome = ReplayRestartOutcome(strategy: .restore, before: before, after: after, missing: ["C"])
        #expect(outcome.kept == ["A"])
        #expect(outcome.removed == ["C"])
        #expect(outcome.evicted == ["B"], "gone without being missing")
        #expect(outcome.linksCut == [Link(parent: "A", child: "B"), Link(parent: "A", child: "C")])
        #expect(outcome.linksCreated.isEmpty)
    }

    /// For one departure the comparison finds exactly the moves and links the tree
    /// reported: a link survives exactly when its child keeps parent and epoch.
    @Test(arguments: [UInt64](1...20))
    func aDepartureComparesAsTheTreeReportsIt(seed: UInt64) throws {
        var random = Xoshiro256StarStar(seed: seed)
        for policy in Policy.allCases {
            var tree = try BranchTree(fanout: 1 + random.next(below: 3), policy: policy)
            for index in 0..<(5 + random.next(below: 40)) {
                let present = Array(tree.levels.joined())
                if !present.isEmpty, random.nextBool(probability: 0.3) {
                    try tree.leave(present[random.next(below: present.count)])
                } else {
                    _ = try? tree.join(ViewerID("v\(index)"), relayable: random.nextBool(probability: 0.85))
                }
            }
            let present = Array(tree.levels.joined())
            guard !present.isEmpty else { continue }
            let leaver = present[random.next(below: present.count)]
            var after = tree
            let change = try after.leave(leaver)
            let outcome = ReplayRestartOutcome(strategy: .restore, before: tree, after: after, missing: [leaver])
            #expect(Set(outcome.moves) == Set(change.moves), "seed \(seed) \(policy)")
            #expect(Set(outcome.linksCut) == Set(change.linksCut), "seed \(seed) \(policy)")
            #expect(Set(outcome.linksCreated) == Set(change.linksCreated), "seed \(seed) \(policy)")
            #expect(outcome.removed == [leaver])
            #expect(
                outcome.evicted == change.evicted.sorted { present.firstIndex(of: $0)! < present.firstIndex(of: $1)! })
            #expect(outcome.kept.count + outcome.moves.count == after.count)
        }
    }
}
