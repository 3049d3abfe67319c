import BranchTreeTesting
import Foundation
import Testing

@testable import BranchTree

@Suite("TreeChange")
struct TreeChangeTests {
    @Test("interrupted lists the reconnecting viewers, then those keeping their link")
    func interrupted() {
        let change = TreeChange(
            subject: "X", outcome: .left, reconnecting: ["B", "A"], keepingLink: ["D", "C"])
        #expect(change.interrupted == ["B", "A", "D", "C"])
        #expect(change.interruptedCount == 4)
    }

    @Test("Only a repeated join leaves the tree unchanged")
    func changedTree() {
        #expect(TreeChange(subject: "A", outcome: .joined(parent: "root", depth: 0)).changedTree)
        #expect(TreeChange(subject: "A", outcome: .left).changedTree)
        #expect(!TreeChange(subject: "A", outcome: .alreadyPresent(parent: "root", depth: 0)).changedTree)
    }

    @Test("A link reads parent → child")
    func linkDescription() {
        #expect(relay("A", "B").description == "A → B")
    }

    @Test("Links and moves round-trip through JSON")
    func codable() throws {
        let moves = [move("H", from: "D", to: "A", depths: 3, 1)]
        let links: [Link] = [relay("root", "A"), relay("A", "B")]
        let decodedMoves = try JSONDecoder().decode([TreeChange.Move].self, from: JSONEncoder().encode(moves))
        let decodedLinks = try JSONDecoder().decode([Link].self, from: JSONEncoder().encode(links))
        #expect(decodedMoves == moves)
        #expect(decodedLinks == links)
    }

    @Test(
        "A leave interrupts exactly the leaver's old subtree plus the moved viewers",
        arguments: [
            (1, Policy.skyway), (2, .skyway), (3, .skyway), (5, .skyway), (8, .skyway),
            (1, .rejoin), (2, .rejoin), (3, .rejoin), (5, .rejoin), (8, .rejoin),
        ])
    func interruptedSetsMatchTheTreeBefore(fanout: Int, policy: Policy) throws {
        let profile = try OperationProfile.mixed(fanout: fanout, policy: policy)
        PropertyTesting.check(seeds: 0..<150 as Range<UInt64>, profile: profile, property: Self.leaveReport)
    }

    /// Everything a leave's TreeChange says, recomputed from copies of the tree taken
    /// before and after the operation. A viewer displaced by add-branch (a relayable
    /// orphan taking its place) is a moved viewer — or, with no slot left for it, an
    /// evicted one — wherever it sat, inside the leaver's subtree or not.
    static func leaveReport(_ step: TreeStep) -> String? {
        guard case .success(let change) = step.result, change.outcome == .left else { return nil }
        let leaver = step.operation.viewer
        let before = TreeModel(step.before)
        let after = TreeModel(step.after)
        let subtree = Set(before.subtree(of: leaver))
        let evicted = Set(change.evicted)
        let moved = Set(after.order.filter { after.viewers[$0]!.parentUUID != before.viewers[$0]!.parentUUID })

        if evicted.count != change.evicted.count { return "an evicted viewer is listed twice" }
        // Only a viewer that cannot relay is ever evicted: an orphan, or one displaced.
        for id in change.evicted where before.viewers[id]?.capacity != 0 {
            return "evicted \(id), which \(before.viewers[id] == nil ? "was not in the tree" : "could relay")"
        }
        if !evicted.isDisjoint(with: after.order) { return "evicted viewers are still in the tree" }
        if Set(change.interrupted) != subtree.union(moved).subtracting(evicted) {
            return "interrupted \(change.interrupted); expected \(subtree.union(moved).subtracting(evicted).sorted())"
        }
        if Set(change.interrupted).count != change.interruptedCount { return "an interrupted viewer is listed twice" }
        if Set(change.reconnecting) != moved { return "reconnecting \(change.reconnecting); moved \(moved.sorted())" }

        let cut = before.links.subtracting(after.links).filter {
            !(evicted.contains($0.parent) && evicted.contains($0.child))
        }
        if Set(change.linksCut) != cut || change.linksCut.count != cut.count {
            return "linksCut \(change.linksCut); expected \(cut.sorted { "\($0)" < "\($1)" })"
        }
        let created = after.links.subtracting(before.links)
        if Set(change.linksCreated) != created || change.linksCreated.count != created.count {
            return "linksCreated \(change.linksCreated); expected \(created.sorted { "\($0)" < "\($1)" })"
        }

        if Set(change.moves.map(\.viewer)) != moved || change.moves.count != moved.count {
            return "moves \(change.moves.map(\.viewer)); expected \(moved.sorted())"
        }
        for move in change.moves {
            let old = before.viewers[move.viewer]!
            let new = after.viewers[move.viewer]!
            guard move.fromParent == old.parentUUID, move.toParent == new.parentUUID,
                move.fromDepth == old.depth,
                move.toDepth == new.depth
            else { return "move \(move) disagrees with the trees" }
        }
        return nil
    }
}
