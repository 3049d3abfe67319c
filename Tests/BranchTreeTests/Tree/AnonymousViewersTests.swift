import BranchTreeTesting
import Testing

@testable import BranchTree

@Suite("Anonymous viewers")
struct AnonymousViewersTests {
    @Test(
        "An anonymous join or a leave by slot records what the join by id records and builds the same tree",
        arguments: SlotOperationsTests.profiles)
    func sameAsJoinByID(profile: OperationProfile) {
        PropertyTesting.check(seeds: 0..<100 as Range<UInt64>, profile: profile) { operations in
            Self.firstDifference(operations, configuration: profile.configuration)
        }
    }

    @Test("Public queries name an anonymous viewer # and its slot, and accept that id")
    func publicQueries() throws {
        var tree = try BranchTree(fanout: 2)
        var log = SlotChangeLog()
        let first = try tree.join(relayable: true, capacity: nil, recordingInto: &log)
        let second = try tree.join("B", relayable: true, capacity: nil, recordingInto: &log)
        let third = try tree.join(relayable: true, capacity: nil, recordingInto: &log)
        #expect((first, second, third) == (1, 2, 3))
        #expect(tree.count == 3 && tree.anonymousCount == 2)
        #expect(tree.level(1) == ["B", "#3"])
        #expect(try tree.parent(of: "#3") == "#1")
        #expect(try tree.children(of: "#1") == ["B", "#3"])
        #expect(tree.contains("#1") && tree.contains("#3") && !tree.contains("#2") && !tree.contains("#03"))
        #expect(try tree.join("#3").outcome == .alreadyPresent(parent: "#1", depth: 1))
        try tree.validate()

        let change = try tree.leave("#1")
        #expect(change.linksCreated == [Link(parent: "root", child: "B"), Link(parent: "B", child: "#3")])
        #expect(tree.count == 2 && tree.anonymousCount == 1)
        #expect(!tree.contains("#1"))
        tree.leave(slot: third, recordingInto: &log)
        #expect(tree.count == 1 && tree.anonymousCount == 0)
        #expect(!tree.contains("#3"))
        try tree.validate()
    }

    @Test("An anonymous join whose # id is already a viewer's gets an indexed id of its own")
    func takenAnonymousID() throws {
        var tree = try BranchTree(fanout: 2)
        var log = SlotChangeLog()
        try tree.join("#2")  // slot 1
        let slot = try tree.join(relayable: true, capacity: nil, recordingInto: &log)
        #expect(slot == 2)
        #expect(tree.anonymousCount == 0)
        #expect(tree.level(1) == ["#2'"])
        try tree.validate()
        // Slot 3's id is free: the next one is anonymous.
        #expect(try tree.join(relayable: true, capacity: nil, recordingInto: &log) == 3)
        #expect(tree.anonymousCount == 1)
        #expect(tree.level(1) == ["#2'", "#3"])
        try tree.validate()
    }

    @Test("A failed anonymous join leaves the tree and the log alone")
    func failedJoin() throws {
        var tree = try BranchTree(fanout: 1)
        var log = SlotChangeLog()
        try tree.join(relayable: false, capacity: nil, recordingInto: &log)
        let before = (tree.snapshot(), log)
        #expect(throws: BranchTreeError.noRelaySlot("#2")) {
            try tree.join(relayable: false, capacity: nil, recordingInto: &log)
        }
        #expect(throws: BranchTreeError.invalidCapacity(2, fanout: 1)) {
            try tree.join(relayable: true, capacity: 2, recordingInto: &log)
        }
        #expect(tree.snapshot() == before.0 && log == before.1)
        #expect(tree.count == 1)
    }

    @Test("A snapshot names anonymous viewers by their # ids and loads back as the same tree")
    func snapshotRoundTrip() throws {
        var tree = try BranchTree(fanout: 2, policy: .stable)
        var log = SlotChangeLog()
        for index in 0..<9 {
            if index % 3 == 1 {
                try tree.join(ViewerID("v\(index)"), relayable: true, capacity: nil, recordingInto: &log)
            } else {
                try tree.join(relayable: index != 5, capacity: nil, recordingInto: &log)
            }
        }
        let restored = try BranchTree(snapshot: tree.snapshot())
        try restored.validate()
        #expect(restored.count == tree.count && restored.anonymousCount == 0)
        #expect(restored.levels == tree.levels)
        #expect(restored.levels.joined().contains("#1"))
        #expect(restored.snapshot() == tree.snapshot())
    }

    @Test("validate() notices a wrong count of anonymous viewers")
    func validateCountsAnonymousViewers() throws {
        var tree = try BranchTree(fanout: 2)
        var log = SlotChangeLog()
        try tree.join(relayable: true, capacity: nil, recordingInto: &log)
        tree.anonymousViewers += 1
        #expect(throws: BranchTreeError.self) { try tree.validate() }
    }

    /// Replays `operations` on a tree joined by id through the slot operations and on one
    /// joined anonymously (each id only names the viewer's slot), and describes the first
    /// step where their logs or their trees differ.
    static func firstDifference(
        _ operations: [TreeOperation], configuration: BranchTree.Configuration
    ) -> String? {
        guard var named = try? BranchTree(configuration: configuration) else { return "no tree" }
        var anonymous = named
        var namedLog = SlotChangeLog()
        var anonymousLog = SlotChangeLog()
        var slotOfID: [ViewerID: Int32] = [:]
        var idOfSlot: [Int32: ViewerID] = [:]
        for (step, operation) in operations.enumerated() {
            switch operation {
            case .join(let id, let relayable, let capacity):
                guard slotOfID[id] == nil else { continue }
                let expected = Result { () throws(BranchTreeError) in
                    try named.join(id, relayable: relayable, capacity: capacity, recordingInto: &namedLog)
                }
                let actual = Result { () throws(BranchTreeError) in
                    try anonymous.join(relayable: relayable, capacity: capacity, recordingInto: &anonymousLog)
                }
                switch (expected, actual) {
                case (.success(let slot), .success(let anonymousSlot)) where slot == anonymousSlot:
                    slotOfID[id] = slot
                    idOfSlot[slot] = id
                case (.failure, .failure): continue
                default: return "step \(step): \(operation) gave \(expected) by id, \(actual) anonymously"
                }
            case .leave(let id):
                guard let slot = slotOfID[id] else { continue }
                named.leave(slot: slot, recordingInto: &namedLog)
                anonymous.leave(slot: slot, recordingInto: &anonymousLog)
                slotOfID[id] = nil
                idOfSlot[slot] = nil
            }
            guard anonymousLog == namedLog else { return "step \(step): \(operation): the logs differ" }
            for slot in namedLog.evicted {
                slotOfID[idOfSlot[slot]!] = nil
                idOfSlot[slot] = nil
            }
            let renamed = named.viewers.map { viewer in
                func rename(_ id: ViewerID) -> ViewerID {
                    slotOfID[id].map { BranchTree.anonymousID(ofSlot: $0) } ?? id
                }
                return Viewer(
                    uuid: rename(viewer.uuid), parentUUID: rename(viewer.parentUUID),
                    children: viewer.children.map(rename), capacity: viewer.capacity, depth: viewer.depth)
            }
            guard anonymous.viewers == renamed else { return "step \(step): \(operation): the trees differ" }
            guard anonymous.anonymousCount == anonymous.count, anonymous.count == named.count else {
                return "step \(step): counts \(anonymous.count), \(anonymous.anonymousCount), \(named.count)"
            }
            do { try anonymous.validate() } catch { return "step \(step): \(error)" }
        }
        return nil
    }
}
