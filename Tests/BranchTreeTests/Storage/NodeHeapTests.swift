import Testing

@testable import BranchTree

@Suite("Node heap")
struct NodeHeapTests {
    /// A heap over `count` slots with seeded keys; returns the heap, slots and keys.
    static func makeHeap(count: Int, seed: UInt64) -> (_NodeHeap<_FreeHeapField>, _SlotStorage, [UInt64]) {
        var random = Xoshiro256StarStar(seed: seed)
        var slots = _SlotStorage()
        for slot in 0..<count { slots.append(_Node(capacity: 1, depth: 0), id: ViewerID("v\(slot)"), linkEpoch: 0) }
        var heap = _NodeHeap<_FreeHeapField>()
        var keys: [UInt64] = []
        for slot in 0..<count {
            let key = random.next(below: UInt64(1000))
            keys.append(key)
            heap.insert(Int32(slot), key: key, slots: &slots)
        }
        return (heap, slots, keys)
    }

    @Test("Entries come off the top in key order")
    func popsInOrder() {
        var (heap, slots, keys) = Self.makeHeap(count: 200, seed: 1)
        #expect(heap.check(slots: slots) == nil)
        var popped: [UInt64] = []
        while let top = heap.first {
            popped.append(top.key)
            heap.remove(top.node, slots: &slots)
            #expect(slots[node: Int(top.node)].freeHeapPosition == _Node.none)
        }
        #expect(popped == keys.sorted())
    }

    @Test("Removing and re-keying from the middle keeps the heap and every position right")
    func removeAndUpdateAnywhere() {
        var (heap, slots, _) = Self.makeHeap(count: 100, seed: 2)
        var random = Xoshiro256StarStar(seed: 3)
        for slot in stride(from: 0, to: 100, by: 3) {
            heap.remove(Int32(slot), slots: &slots)
        }
        for slot in stride(from: 1, to: 100, by: 3) {
            heap.updateKey(of: Int32(slot), to: random.next(below: UInt64(1000)), slots: &slots)
        }
        #expect(heap.count == 66)
        #expect(heap.check(slots: slots) == nil)
        heap.set(0, member: true, key: 0, slots: &slots)
        #expect(heap.first?.node == 0)
        heap.set(0, member: false, key: 0, slots: &slots)
        #expect(heap.first?.node != 0)
        #expect(heap.check(slots: slots) == nil)
    }
}
