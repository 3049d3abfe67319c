import Testing
@testable import BranchTree

@Suite("Oldest-leaf promotion")
struct OldestLeafPromotionTests {
    /// The stable repair's promises for one step: a childless leaver moves nobody; any
    /// other leave moves at most one viewer per promoted level plus the filler and the
    /// children they adopt, each moved viewer listed as reconnecting, and every moved
    /// viewer that rose (or the filler) is the oldest candidate it was chosen as.
    static func promotionRule(_ step: PropertyTesting.Step) -> String? {
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
}
