import BranchTreeTesting
import Testing

@testable import BranchTree

@Suite("Protocol operations")
struct ProtocolOperationsTests {
    @Test(
        "A protocol join or leave records the public operation's change, logs it slot for id with the evicted ids, and leaves the same tree",
        arguments: SlotOperationsTests.profiles, [true, false])
    func sameChangeAsPublic(profile: OperationProfile, keepingIDs: Bool) {
        var evictions = 0
        PropertyTesting.check(seeds: 0..<100 as Range<UInt64>, profile: profile) { operations in
            Self.firstDifference(
                operations, configuration: profile.configuration, keepingIDs: keepingIDs, evictions: &evictions)
        }
        if profile.nonRelayable >= 0.5 { #expect(evictions > 0) }
    }

    @Test("A refused protocol join throws as the public one does and leaves the tree and the recorder alone")
    func refusedJoin() throws {
        var tree = try BranchTree(fanout: 1)
        var recorder = _ProtocolRecorder()
        try tree.join(
            absent: "A", hash: _IDIndex.hash("A"), relayable: false, capacity: nil, keepingIDs: true,
            recordingInto: &recorder)
        let before = tree.snapshot()
        let loggedBefore = recorder.log
        let changeBefore = recorder.ids?.change
        for (id, relayable, capacity, error) in [
            ("B", false, nil, BranchTreeError.noRelaySlot("B")), ("", true, nil, .emptyID),
            ("root", true, nil, .reservedID("root")), ("C", true, 2, .invalidCapacity(2, fanout: 1)),
        ] as [(ViewerID, Bool, Int?, BranchTreeError)] {
            #expect(throws: error) {
                try tree.join(
                    absent: id, hash: _IDIndex.hash(id), relayable: relayable, capacity: capacity, keepingIDs: false,
                    recordingInto: &recorder)
            }
        }
        #expect(tree.snapshot() == before)
        #expect(recorder.log == loggedBefore && recorder.ids?.change == changeBefore)
    }

    /// Replays `operations` on a tree through the public operations and on another
    /// through the protocol's, and describes the first step where the changes, the log,
    /// the evicted ids or the trees differ.
    static func firstDifference(
        _ operations: [TreeOperation], configuration: BranchTree.Configuration, keepingIDs: Bool,
        evictions: inout Int
    ) -> String? {
        guard var publicTree = try? BranchTree(configuration: configuration) else { return "no tree" }
        var protocolTree = publicTree
        var recorder = _ProtocolRecorder()
        var idOfSlot: [Int32: ViewerID] = [0: publicTree.broadcaster]
        for (step, operation) in operations.enumerated() {
            let expected = Result { () throws(BranchTreeError) in try publicTree.apply(operation) }
            let recorded: Result<Void, BranchTreeError>
            switch operation {
            case .join(let id, let relayable, let capacity):
                let hash = _IDIndex.hash(id)
                // The protocol's join is for absent viewers; a present one's is the public one.
                if protocolTree.findSlot(of: id, hash: hash) != nil { continue }
                recorded = Result { () throws(BranchTreeError) in
                    try protocolTree.join(
                        absent: id, hash: hash, relayable: relayable, capacity: capacity, keepingIDs: keepingIDs,
                        recordingInto: &recorder)
                }
                if case .success = recorded, let slot = protocolTree.findSlot(of: id, hash: hash)?.slot {
                    idOfSlot[slot] = id
                }
            case .leave(let id):
                guard let found = protocolTree.findSlot(of: id, hash: _IDIndex.hash(id)) else {
                    recorded = .failure(.unknownViewer(id))
                    break
                }
                protocolTree.leave(id, found: found, keepingIDs: keepingIDs, recordingInto: &recorder)
                recorded = .success(())
            }
            switch (expected, recorded) {
            case (.failure(let error), .failure(let same)) where error == same:
                break
            case (.success(let change), .success):
                if keepingIDs, recorder.ids?.change != change {
                    return "step \(step): \(operation) returned \(String(describing: recorder.ids)), not \(change)"
                }
                if !keepingIDs, recorder.ids != nil { return "step \(step): \(operation) kept ids" }
                evictions += recorder.log.evicted.count
                let logged = SlotOperationsTests.translate(
                    recorder.log, subject: change.subject, outcome: change.outcome, ids: idOfSlot)
                guard logged == change else { return "step \(step): \(operation) logged \(logged)" }
                guard recorder.evicted == change.evicted else {
                    return "step \(step): \(operation) kept the evicted ids \(recorder.evicted)"
                }
                if case .leave = operation, let slot = idOfSlot.first(where: { $0.value == change.subject })?.key {
                    idOfSlot[slot] = nil
                }
                for slot in recorder.log.evicted { idOfSlot[slot] = nil }
            default:
                return "step \(step): \(operation) gave \(recorded), the public operation \(expected)"
            }
            guard protocolTree.snapshot() == publicTree.snapshot() else { return "step \(step): the trees differ" }
            do { try protocolTree.validate() } catch { return "step \(step): \(error)" }
        }
        return nil
    }
}
