import BranchTreeTesting
import Testing

@testable import BranchTree

@Suite("Oldest-leaf promotion")
struct OldestLeafPromotionTests {
    /// The stable repair's promises for one step: a childless leaver moves nobody; any
    /// other leave moves at most one viewer per promoted level plus the filler and the
    /// children they adopt, each moved viewer listed as reconnecting, and every moved
    /// viewer that rose (or the filler) is the oldest candidate it was chosen as.
    static func promotionRule(_ step: TreeStep) -> String? {
        guard case .leave(let leaver) = step.operation, case .success(let change) = step.result,
            let before = step.before[leaver]
        else { return nil }
        if before.children.isEmpty {
            return change.moves.isEmpty && change.interruptedCount == 0
                ? nil : "childless \(leaver) left but \(change.moves.count) viewers moved"
        }
        let fanout = step.before.configuration.fanout
        let bound = (BranchTree.promotionDepth + 1) * (fanout + 1)
        if change.moves.count > bound { return "\(change.moves.count) moves, above the bound \(bound)" }
        for move in change.moves where !change.reconnecting.contains(move.viewer) {
            return "\(move.viewer) moved but is not listed as reconnecting"
        }
        return nil
    }

    @Test("A joiner goes under the oldest viewer of the shallowest level with room")
    func joinerGoesUnderTheOldest() throws {
        var tree = try BranchTree.joining("ABCDEFG", fanout: 2, policy: .stable)
        #expect(tree.picture == "root(A(B(D E) C(F G)))")
        try tree.leave("D")
        try tree.leave("F")
        // B and C both have room at depth 1; B is older.
        #expect(try tree.join("H").outcome == .joined(parent: "B", depth: 2))
        #expect(try tree.join("I").outcome == .joined(parent: "C", depth: 2))
    }

    @Test("The oldest child climbs into the leaver's place; the oldest deeper leaf fills in")
    func oldestChildClimbs() throws {
        var tree = try BranchTree.joining("ABCDEFG", fanout: 2, policy: .stable)
        let change = try tree.leave("A")
        // B, older than every leaf, takes A's place and adopts C; D, its own child and the
        // oldest leaf below, keeps its link, fills B's old place and adopts E.
        #expect(tree.picture == "root(B(D(E) C(F G)))")
        #expect(change.moves.map(\.viewer) == ["B", "C", "E"])
        // The example of the Choosing a policy article.
        #expect(Set(change.linksCut) == [relay("root", "A"), relay("A", "B"), relay("A", "C"), relay("B", "E")])
        #expect(Set(change.linksCreated) == [relay("root", "B"), relay("B", "C"), relay("D", "E")])
        #expect(change.reconnecting == ["B", "C", "E"])
        #expect(change.keepingLink == ["D", "F", "G"])
        #expect(tree.height == 3)
        try tree.validate()
    }

    @Test("A restored stable tree keeps the order of arrival, and old format-1 snapshots still load")
    func snapshotsCarryArrival() throws {
        var tree = try BranchTree.joining("ABCDEFG", fanout: 2, policy: .stable)
        try tree.leave("D")
        let restored = try BranchTree(snapshot: BranchTree.Snapshot(jsonData: tree.snapshot().jsonData()))
        #expect(restored == tree)
        var formatOne = tree.snapshot()
        formatOne.formatVersion = 1
        formatOne.joinOrder = formatOne.linkEpochs
        _ = try BranchTree(snapshot: formatOne)
    }
}
