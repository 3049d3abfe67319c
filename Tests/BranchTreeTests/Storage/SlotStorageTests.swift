import Testing

@testable import BranchTree

@Suite("Slot storage")
struct SlotStorageTests {
    /// Storage of `count` records, each node's depth, id and epoch derived from its slot.
    static func filled(_ count: Int) -> _SlotStorage {
        var slots = _SlotStorage(minimumCapacity: 1)
        for slot in 0..<count {
            slots.append(_Node(capacity: 2, depth: Int32(slot)), id: ViewerID("v\(slot)"), linkEpoch: UInt64(slot) * 3)
        }
        return slots
    }

    @Test("Records keep their fields across growth from a capacity of one")
    func growthKeepsRecords() {
        let slots = Self.filled(1_000)
        #expect(slots.count == 1_000)
        for slot in 0..<1_000 {
            #expect(slots[node: slot].depth == Int32(slot))
            #expect(slots[id: slot] == ViewerID("v\(slot)"))
            #expect(slots[epoch: slot] == UInt64(slot) * 3)
        }
    }

    @Test("A record is one 64-byte-aligned cache line: node at 0, id at 32, epoch at 48")
    func recordsAreAligned() {
        var slots = Self.filled(300)
        for slot in [0, 1, 2, 3, 150, 299] {
            let node = withUnsafeMutablePointer(to: &slots[node: slot]) { UInt(bitPattern: $0) }
            let id = withUnsafeMutablePointer(to: &slots[id: slot]) { UInt(bitPattern: $0) }
            let epoch = withUnsafeMutablePointer(to: &slots[epoch: slot]) { UInt(bitPattern: $0) }
            #expect(node % 64 == 0)
            #expect(id == node + 32)
            #expect(epoch == node + 48)
        }
    }

    @Test("A copy is independent: writes to either leave the other as it was")
    func copiesAreIndependent() {
        var original = Self.filled(40)
        var copy = original
        copy[node: 5].parent = 7
        copy[id: 6] = "changed"
        copy[epoch: 7] = 99
        copy.append(_Node(capacity: 1, depth: 0), id: "extra", linkEpoch: 1)
        #expect(original[node: 5].parent == _Node.none)
        #expect(original[id: 6] == "v6" && original[epoch: 7] == 21 && original.count == 40)
        #expect(copy[node: 5].parent == 7 && copy[id: 6] == "changed" && copy[epoch: 7] == 99)
        #expect(copy.count == 41 && copy[id: 40] == "extra")

        original[id: 6] = "other"
        #expect(copy[id: 6] == "changed" && original[id: 6] == "other")
    }

    @Test("Ids that are not small strings survive growth, copies and overwrites")
    func longIDs() {
        func long(_ slot: Int) -> ViewerID { ViewerID("a viewer id longer than fifteen bytes, number \(slot)") }
        var slots = _SlotStorage(minimumCapacity: 1)
        for slot in 0..<100 { slots.append(_Node(capacity: 1, depth: 0), id: long(slot), linkEpoch: 0) }
        let copy = slots
        for slot in stride(from: 0, to: 100, by: 2) { slots[id: slot] = "" }
        for slot in 0..<100 {
            #expect(copy[id: slot] == long(slot))
            #expect(slots[id: slot] == (slot.isMultiple(of: 2) ? "" : long(slot)))
        }
    }

    @Test("A tree copied then changed leaves the original's records alone")
    func treeCopies() throws {
        var tree = try BranchTree.numbered(50, fanout: 3)
        let before = tree.snapshot()
        var copy = tree
        try copy.leave("v3")
        try copy.join("new")
        #expect(tree.snapshot() == before)
        try tree.leave("v10")
        #expect(copy.contains("v10") && !copy.contains("v3") && copy.contains("new"))
        #expect(!tree.contains("v10") && tree.contains("v3") && !tree.contains("new"))
        try tree.validate()
        try copy.validate()
    }
}
