import BranchTreeTesting
import Testing

@testable import BranchTree

@Suite("Slot operations")
struct SlotOperationsTests {
    static let profiles: [OperationProfile] = Policy.allCases.flatMap { policy in
        [
            try! OperationProfile.mixed(fanout: 3, policy: policy),
            // Scarce relay slots: displacements and evictions are common.
            try! OperationProfile(
                fanout: 2, policy: policy, nonRelayable: 0.5, lowCapacity: 0.2, absentLeaves: 0.05,
                duplicateJoins: 0.05, returningViewers: 0.1),
        ]
    }

    @Test(
        "A slot-addressed join or leave records the public operation's change, slot for id, and leaves the same tree",
        arguments: profiles)
    func sameChangeAsPublic(profile: OperationProfile) {
        var evictions = 0
        PropertyTesting.check(seeds: 0..<100 as Range<UInt64>, profile: profile) { operations in
            Self.firstDifference(operations, configuration: profile.configuration, evictions: &evictions)
        }
        // Otherwise the eviction paths would go untested.
        if profile.nonRelayable >= 0.5 { #expect(evictions > 0) }
    }

    @Test("childCount(ofSlot:) counts the children of the viewer or broadcaster at a slot")
    func childCount() throws {
        var tree = try BranchTree(fanout: 2)
        var log = SlotChangeLog()
        let first = try tree.join("A", relayable: true, capacity: nil, recordingInto: &log)
        try tree.join("B", relayable: true, capacity: nil, recordingInto: &log)
        #expect(tree.childCount(ofSlot: 0) == 1)
        #expect(tree.childCount(ofSlot: first) == 1)
    }

    @Test("A repeated join returns the viewer's slot and an empty log; a failed one leaves the log alone")
    func repeatedAndFailedJoins() throws {
        var tree = try BranchTree(fanout: 1)
        var log = SlotChangeLog()
        let slot = try tree.join("A", relayable: true, capacity: nil, recordingInto: &log)
        #expect(log.linksCreated.count == 1)
        #expect(try tree.join("A", relayable: true, capacity: nil, recordingInto: &log) == slot)
        #expect(log.linksCreated.isEmpty && log.interruptedCount == 0)
        try tree.join("B", relayable: false, capacity: nil, recordingInto: &log)
        #expect(throws: BranchTreeError.noRelaySlot("C")) {
            try tree.join("C", relayable: false, capacity: nil, recordingInto: &log)
        }
        #expect(log.linksCreated == [SlotChangeLog.SlotLink(parent: slot, child: slot + 1)])
        #expect(throws: BranchTreeError.invalidCapacity(2, fanout: 1)) {
            try tree.join("C", relayable: true, capacity: 2, recordingInto: &log)
        }
        #expect(tree.count == 2)
    }

    /// Replays `operations` on two trees, one through the public operations and one
    /// through the slot-addressed ones, and describes the first step where the changes
    /// or the trees differ.
    static func firstDifference(
        _ operations: [TreeOperation], configuration: BranchTree.Configuration, evictions: inout Int
    ) -> String? {
        guard var publicTree = try? BranchTree(configuration: configuration) else { return "no tree" }
        var slotTree = publicTree
        var log = SlotChangeLog()
        var slotOfID: [ViewerID: Int32] = [:]
        var idOfSlot: [Int32: ViewerID] = [0: publicTree.broadcaster]
        for (step, operation) in operations.enumerated() {
            let expected = Result { () throws(BranchTreeError) in try publicTree.apply(operation) }
            var recorded: Result<TreeChange, BranchTreeError>
            // Whether the slot tree recorded into the log (a failed operation leaves it alone).
            var logged = true
            switch operation {
            case .join(let id, let relayable, let capacity):
                let earlier = slotOfID[id]
                do {
                    let slot = try slotTree.join(id, relayable: relayable, capacity: capacity, recordingInto: &log)
                    if let earlier {
                        guard slot == earlier, log == SlotChangeLog() else { return "step \(step): \(operation)" }
                        recorded = expected  // the public change is checked by its own tests
                    } else {
                        slotOfID[id] = slot
                        idOfSlot[slot] = id
                        let node = slotTree.slots[node: Int(slot)]
                        recorded = .success(
                            translate(
                                log, subject: id,
                                outcome: .joined(parent: idOfSlot[node.parent]!, depth: Int(node.depth)),
                                ids: idOfSlot))
                    }
                } catch {
                    recorded = .failure(error)
                    logged = false
                }
            case .leave(let id):
                guard let slot = slotOfID[id] else {
                    recorded = .failure(.unknownViewer(id))
                    logged = false
                    break
                }
                slotTree.leave(slot: slot, recordingInto: &log)
                recorded = .success(translate(log, subject: id, outcome: .left, ids: idOfSlot))
                slotOfID[id] = nil
                idOfSlot[slot] = nil
            }
            if logged { evictions += log.evicted.count }
            for slot in log.evicted where logged {
                slotOfID[idOfSlot[slot]!] = nil
                idOfSlot[slot] = nil
            }
            guard recorded == expected else {
                return "step \(step): \(operation) recorded \(recorded), the public operation \(expected)"
            }
            guard slotTree.snapshot() == publicTree.snapshot() else { return "step \(step): the trees differ" }
            do { try slotTree.validate() } catch { return "step \(step): \(error)" }
        }
        return nil
    }

    /// `log` with every slot replaced by the id `ids` gives it.
    static func translate(
        _ log: SlotChangeLog, subject: ViewerID, outcome: TreeChange.Outcome, ids: [Int32: ViewerID]
    ) -> TreeChange {
        func id(_ slot: Int32) -> ViewerID { ids[slot] ?? ViewerID("<slot \(slot)>") }
        func link(_ link: SlotChangeLog.SlotLink) -> Link { Link(parent: id(link.parent), child: id(link.child)) }
        return TreeChange(
            subject: subject, outcome: outcome,
            moves: log.moves.map {
                TreeChange.Move(
                    viewer: id($0.viewer), fromParent: id($0.fromParent), toParent: id($0.toParent),
                    fromDepth: Int($0.fromDepth), toDepth: Int($0.toDepth))
            },
            linksCut: log.linksCut.map(link), linksCreated: log.linksCreated.map(link),
            reconnecting: log.reconnecting.map(id), keepingLink: log.keepingLink.map(id),
            evicted: log.evicted.map(id))
    }
}
