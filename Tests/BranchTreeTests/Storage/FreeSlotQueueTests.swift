import Testing

@testable import BranchTree

@Suite("Free-slot queue")
struct FreeSlotQueueTests {
    static func makeSlots(count: Int) -> _SlotStorage {
        var slots = _SlotStorage()
        for slot in 0..<count { slots.append(_Node(capacity: 1, depth: 0), id: ViewerID("v\(slot)"), linkEpoch: 0) }
        return slots
    }

    @Test("Keys inserted in increasing order go to the run, and come off the front in order")
    func increasingKeysStayOutOfTheHeap() {
        var slots = Self.makeSlots(count: 100)
        var queue = _FreeSlotQueue()
        for slot in 0..<100 { queue.insert(Int32(slot), key: UInt64(slot) * 10, slots: &slots) }
        #expect(queue.heap.isEmpty)
        #expect(queue.count == 100)
        #expect(queue.check(slots: slots) == nil)
        for slot in 0..<100 {
            #expect(queue.first?.node == Int32(slot))
            queue.remove(Int32(slot), slots: &slots)
            #expect(slots[node: slot].freeHeapPosition == _Node.none)
        }
        #expect(queue.isEmpty)
        #expect(queue.first == nil)
    }

    @Test("A key below the run's last leaves the run, and the smallest of the tops is first")
    func outOfOrderKeysLeaveTheRun() {
        var slots = Self.makeSlots(count: 4)
        var queue = _FreeSlotQueue()
        queue.insert(0, key: 10, slots: &slots)
        queue.insert(1, key: 30, slots: &slots)
        queue.insert(2, key: 20, slots: &slots)
        #expect(queue.run.count == 2)
        #expect(queue.front.count + queue.heap.count == 1)
        #expect(queue.first?.node == 0)
        queue.remove(0, slots: &slots)
        #expect(queue.first?.node == 2)
        // A removal in the middle of the run leaves the front alone.
        queue.insert(3, key: 40, slots: &slots)
        queue.remove(3, slots: &slots)
        #expect(queue.first?.node == 2)
        #expect(queue.check(slots: slots) == nil)
    }

    @Test("A key below the heap's top goes to the front, which spills its largest into the heap when full")
    func keysBelowTheHeapGoToTheFront() {
        let capacity = _FreeSlotQueue.frontCapacity
        var slots = Self.makeSlots(count: capacity + 4)
        var queue = _FreeSlotQueue()
        queue.insert(0, key: 1_000, slots: &slots)
        queue.insert(1, key: 2_000, slots: &slots)
        // Below the run's last and the (empty) heap's top: the front, smallest first out.
        for index in 0..<(capacity + 2) {
            queue.insert(Int32(index + 2), key: UInt64(900 - index * 10), slots: &slots)
            #expect(queue.check(slots: slots) == nil)
        }
        #expect(queue.front.count == capacity)
        // The two largest went to the heap; each later key was below them.
        #expect(queue.heap.count == 2)
        #expect(queue.first?.key == UInt64(900 - (capacity + 1) * 10))
        // Removing from the middle of the front renumbers the entries behind it.
        queue.remove(4, slots: &slots)
        #expect(slots[node: 4].freeHeapPosition == _Node.none)
        #expect(queue.check(slots: slots) == nil)
        var keys: [UInt64] = []
        while let first = queue.first {
            keys.append(first.key)
            queue.remove(first.node, slots: &slots)
            #expect(queue.check(slots: slots) == nil)
        }
        #expect(keys == keys.sorted())
        #expect(keys.count == capacity + 3)
    }

    /// Random inserts, re-keyings and removals against a reference, long enough for the
    /// run to drop its removed entries.
    @Test("Random operations keep the queue equal to a reference", arguments: 0..<4 as Range<UInt64>)
    func matchesReference(seed: UInt64) {
        let count = 300
        var slots = Self.makeSlots(count: count)
        var queue = _FreeSlotQueue()
        var random = Xoshiro256StarStar(seed: seed)
        var keys: [UInt64?] = Array(repeating: nil, count: count)
        // Distinct keys (the low bits count), mostly increasing as joins make them,
        // one in four anywhere below.
        var counter: UInt64 = 0
        func freshKey() -> UInt64 {
            counter += 1
            return (random.next(below: 4) == 0 ? random.next(below: counter) : counter) << 24 | counter
        }
        var compactions = 0
        for step in 0..<15_000 {
            let runLength = queue.run.count
            let node = Int32(random.next(below: UInt64(count)))
            switch random.next(below: 5) {
            case 0, 1:
                let key = keys[Int(node)] ?? freshKey()
                queue.set(node, member: true, key: key, slots: &slots)
                keys[Int(node)] = key
            case 2:
                let key = freshKey()
                queue.set(node, member: true, key: key, slots: &slots)
                keys[Int(node)] = key
            case 3:
                queue.set(node, member: false, key: 0, slots: &slots)
                keys[Int(node)] = nil
            default:
                if let first = queue.first {
                    queue.remove(first.node, slots: &slots)
                    keys[Int(first.node)] = nil
                }
            }
            if queue.run.count < runLength - 1, queue.run.count == queue.runCount, queue.runCount > 0 {
                compactions += 1
            }
            var expected: (key: UInt64, node: Int32)?
            for (slot, key) in keys.enumerated() {
                if let key, expected.map({ key < $0.key }) ?? true { expected = (key, Int32(slot)) }
            }
            #expect(queue.first?.node == expected?.node, "step \(step)")
            #expect(queue.first?.key == expected?.key, "step \(step)")
            if step % 500 == 0 {
                #expect(queue.check(slots: slots) == nil, "step \(step)")
                #expect(queue.count == keys.count { $0 != nil })
            }
        }
        #expect(compactions > 0)
        #expect(queue.check(slots: slots) == nil)
        for (slot, key) in keys.enumerated() where key != nil {
            #expect(queue.key(at: slots[node: slot].freeHeapPosition) == key)
        }
    }
}
