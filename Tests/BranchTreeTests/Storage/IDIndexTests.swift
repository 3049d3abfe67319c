import Testing

@testable import BranchTree

@Suite("Id index")
struct IDIndexTests {
    /// Random inserts and removals against a plain dictionary, with hashes drawn from
    /// `hashRange` so that small ranges force long probe runs, collisions of the whole
    /// 32-bit hash and removals from the middle of runs that wrap around the table.
    @Test(
        "Agrees with a dictionary under random inserts and removals",
        arguments: [
            (seed: UInt64(1), hashRange: UInt64(1) << 32), (seed: 2, hashRange: 64), (seed: 3, hashRange: 3),
        ])
    func agreesWithDictionary(seed: UInt64, hashRange: UInt64) {
        var random = Xoshiro256StarStar(seed: seed)
        var index = _IDIndex()
        var slots = _SlotStorage()
        slots.append(_Node(capacity: 1, depth: -1), id: "", linkEpoch: 0)  // the broadcaster's, never indexed
        var hashes: [UInt32] = [0]
        var model: [ViewerID: Int32] = [:]
        var present: [Int32] = []
        for step in 0..<3_000 {
            if present.isEmpty || random.next(below: 5) < 3 {
                let slot = Int32(slots.count)
                let id = ViewerID("v\(step)")
                let hash = UInt32(truncatingIfNeeded: random.next(below: hashRange))
                slots.append(_Node(capacity: 1, depth: 0), id: id, linkEpoch: 0)
                hashes.append(hash)
                #expect(index.find(id, hash: hash, in: slots) == nil)
                index.insert(slot: slot, hash: hash)
                model[id] = slot
                present.append(slot)
            } else {
                let position = random.next(below: present.count)
                let slot = present.remove(at: position)
                let id = slots[id: Int(slot)]
                let found = index.find(id, hash: hashes[Int(slot)], in: slots)
                #expect(found?.slot == slot)
                if let found { index.remove(at: found.bucket) }
                model[id] = nil
            }
            #expect(index.count == model.count)
            if step.isMultiple(of: 100) {
                #expect(index.check(slots: slots, hashes: hashes) == nil)
                for slot in present {
                    #expect(index.find(slots[id: Int(slot)], hash: hashes[Int(slot)], in: slots)?.slot == slot)
                }
            }
        }
        #expect(index.check(slots: slots, hashes: hashes) == nil)
    }

    @Test("A tree's lookups go through the index, and dropping an id is caught by the validator")
    func treeLookups() throws {
        var tree = try BranchTree.numbered(200, fanout: 3)
        for step in 1...100 { try tree.leave(ViewerID("v\(step * 2)")) }
        #expect(tree.count == 100)
        #expect(tree.contains("v1") && !tree.contains("v2"))
        #expect(tree.slotsByID["v3"] != nil && tree.slotsByID["v4"] == nil)
        try tree.validate()
        tree.slotsByID["v3"] = nil
        #expect(throws: BranchTreeError.self) { try tree.validate() }
    }
}
