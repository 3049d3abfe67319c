import BranchTreeTesting
import Testing

@testable import BranchTree

@Suite("Paired operations")
struct PairedOperationsTests {
    @Test(
        "A paired join or leave returns the public operation's change, logs the same change slot for id, and leaves the same tree",
        arguments: SlotOperationsTests.profiles)
    func sameChangeAsPublic(profile: OperationProfile) {
        var evictions = 0
        PropertyTesting.check(seeds: 0..<100 as Range<UInt64>, profile: profile) { operations in
            Self.firstDifference(operations, configuration: profile.configuration, evictions: &evictions)
        }
        if profile.nonRelayable >= 0.5 { #expect(evictions > 0) }
    }

    @Test("A refused paired join throws as the public one does and leaves the tree and the log alone")
    func refusedJoin() throws {
        var tree = try BranchTree(fanout: 1)
        var log = SlotChangeLog()
        _ = try tree.join(absent: "A", hash: _IDIndex.hash("A"), relayable: false, capacity: nil, loggingInto: &log)
        let before = tree.snapshot()
        let loggedBefore = log
        for (id, relayable, capacity, error) in [
            ("B", false, nil, BranchTreeError.noRelaySlot("B")), ("", true, nil, .emptyID),
            ("root", true, nil, .reservedID("root")), ("C", true, 2, .invalidCapacity(2, fanout: 1)),
        ] as [(ViewerID, Bool, Int?, BranchTreeError)] {
            #expect(throws: error) {
                try tree.join(
                    absent: id, hash: _IDIndex.hash(id), relayable: relayable, capacity: capacity, loggingInto: &log)
            }
        }
        #expect(tree.snapshot() == before)
        #expect(log == loggedBefore)
    }

    /// Replays `operations` on a tree through the public operations and on another
    /// through the paired ones, and describes the first step where the changes, the
    /// log or the trees differ.
    static func firstDifference(
        _ operations: [TreeOperation], configuration: BranchTree.Configuration, evictions: inout Int
    ) -> String? {
        guard var publicTree = try? BranchTree(configuration: configuration) else { return "no tree" }
        var pairedTree = publicTree
        var log = SlotChangeLog()
        var idOfSlot: [Int32: ViewerID] = [0: publicTree.broadcaster]
        for (step, operation) in operations.enumerated() {
            let expected = Result { () throws(BranchTreeError) in try publicTree.apply(operation) }
            let recorded: Result<TreeChange, BranchTreeError>
            switch operation {
            case .join(let id, let relayable, let capacity):
                let hash = _IDIndex.hash(id)
                // The paired join is for absent viewers; a present one's is the public one.
                if pairedTree.findSlot(of: id, hash: hash) != nil { continue }
                recorded = Result { () throws(BranchTreeError) in
                    try pairedTree.join(
                        absent: id, hash: hash, relayable: relayable, capacity: capacity, loggingInto: &log)
                }
                if case .success = recorded, let slot = pairedTree.findSlot(of: id, hash: hash)?.slot {
                    idOfSlot[slot] = id
                }
            case .leave(let id):
                guard let found = pairedTree.findSlot(of: id, hash: _IDIndex.hash(id)) else {
                    recorded = .failure(.unknownViewer(id))
                    break
                }
                recorded = .success(pairedTree.leave(id, found: found, loggingInto: &log))
            }
            guard recorded == expected else {
                return "step \(step): \(operation) returned \(recorded), the public operation \(expected)"
            }
            if case .success(let change) = recorded {
                evictions += log.evicted.count
                let logged = SlotOperationsTests.translate(
                    log, subject: change.subject, outcome: change.outcome, ids: idOfSlot)
                guard logged == change else { return "step \(step): \(operation) logged \(logged)" }
                if case .leave = operation, let slot = idOfSlot.first(where: { $0.value == change.subject })?.key {
                    idOfSlot[slot] = nil
                }
                for slot in log.evicted { idOfSlot[slot] = nil }
            }
            guard pairedTree.snapshot() == publicTree.snapshot() else { return "step \(step): the trees differ" }
            do { try pairedTree.validate() } catch { return "step \(step): \(error)" }
        }
        return nil
    }
}
