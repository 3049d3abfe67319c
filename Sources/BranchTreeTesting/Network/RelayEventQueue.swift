import BranchTree

/// A min-heap of a ``RelayNetwork``'s events by time, ties broken by insertion order, so
/// that events due at the same instant run in the order they were scheduled.
struct RelayEventQueue: Sendable {
    private struct Entry: Sendable {
        var time: Timestamp
        var sequence: UInt64
        var event: RelayNetwork.Event

        func precedes(_ other: Entry) -> Bool {
            time != other.time ? time < other.time : sequence < other.sequence
        }
    }

    private var heap: [Entry] = []
    private var nextSequence: UInt64 = 0

    var isEmpty: Bool { heap.isEmpty }
    var count: Int { heap.count }
    var peekTime: Timestamp? { heap.first?.time }

    /// - Complexity: O(log n)
    mutating func push(_ event: RelayNetwork.Event, at time: Timestamp) {
        heap.append(Entry(time: time, sequence: nextSequence, event: event))
        nextSequence += 1
        var index = heap.count - 1
        while index > 0 {
            let parent = (index - 1) / 2
            guard heap[index].precedes(heap[parent]) else { break }
            heap.swapAt(index, parent)
            index = parent
        }
    }

    /// The earliest event.
    /// - Precondition: The queue is not empty.
    /// - Complexity: O(log n)
    mutating func pop() -> (Timestamp, RelayNetwork.Event) {
        let top = heap[0]
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var index = 0
            while true {
                let left = 2 * index + 1
                guard left < heap.count else { break }
                var smallest = left
                if left + 1 < heap.count, heap[left + 1].precedes(heap[left]) { smallest = left + 1 }
                guard heap[smallest].precedes(heap[index]) else { break }
                heap.swapAt(index, smallest)
                index = smallest
            }
        }
        return (top.time, top.event)
    }
}
