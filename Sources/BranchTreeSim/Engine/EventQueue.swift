import BranchTree

/// The simulator's pending events: a priority queue that hands events back in time order,
/// and events due at the same time in the order they were pushed.
///
///     var queue = EventQueue<String>()
///     queue.push("leave", at: .seconds(2))
///     queue.push("join", at: .seconds(1))
///     queue.push("join again", at: .seconds(1))
///     queue.popFirst()   // (1.0 s, "join")
///     queue.popFirst()   // (1.0 s, "join again")
///     queue.popFirst()   // (2.0 s, "leave")
///
/// Ties are broken by a push counter, so the order of events, and with it a whole
/// simulation, depends only on what was pushed: the same seed gives the same run.
///
/// Storage is two implicit 4-ary min-heaps over contiguous arrays of entries: a *near*
/// heap for events due within ``nearHorizon`` of the last event handed out, a *far* heap
/// for the rest; `popFirst` takes the earlier of the two heads. Each entry holds its key
/// inline, the time in nanoseconds and the push number (compared lexicographically; the
/// second word only on equal times), next to the event, so sifting never leaves the
/// array. The split is for the cache: at 10⁶ viewers millions of events are
/// pending, nearly all of them session ends and timers tens of seconds away, while most
/// of the traffic is messages and connection set-ups due within a fraction of a second.
/// In one heap each of those paid a sift through the levels that miss the cache; in the
/// near heap, a few thousand entries deep, it stays in cache. Four children per entry
/// halve the height of a binary heap, and each level's children are adjacent in memory.
///
/// Debug builds check the heaps after every mutation (both whole while the queue holds
/// at most ``debugFullCheckLimit`` entries, the moved entry against its parent and
/// children beyond that); release builds check nothing.
package struct EventQueue<Event> {
    /// One pending event and its key.
    struct Entry {
        /// `nanoseconds` of the event's time.
        var time: Int64
        /// How many events were pushed before this one.
        var sequence: UInt64
        var event: Event

        /// Key order: time first, push order among equal times.
        @inline(__always)
        static func precedes(_ lhs: Entry, _ rhs: Entry) -> Bool {
            lhs.time < rhs.time || (lhs.time == rhs.time && lhs.sequence < rhs.sequence)
        }
    }

    /// Events due within this many nanoseconds of ``lastPopped`` go to the near heap.
    static var nearHorizon: Int64 { 1 << 30 }

    /// The heaps: `[0]` comes first; the children of `i` are `4i + 1 ... 4i + 4`.
    private(set) var near: [Entry] = []
    private(set) var far: [Entry] = []
    /// The time of the last event handed out: the simulation's present.
    private var lastPopped = Int64.min
    /// The sequence number of the next push. 2⁶⁴ pushes never happen.
    private var nextSequence: UInt64 = 0

    /// Up to this many entries, debug builds check the whole queue after every mutation;
    /// beyond it, only around the entry that moved, so that debug runs stay usable.
    static var debugFullCheckLimit: Int { 256 }

    /// An empty queue.
    package init() {}

    /// An empty queue with room for `minimumCapacity` events in each heap before it
    /// reallocates.
    ///
    /// - Complexity: O(`minimumCapacity`) to allocate.
    package init(minimumCapacity: Int) {
        reserveCapacity(minimumCapacity)
    }

    /// The number of pending events.
    ///
    /// - Complexity: O(1)
    package var count: Int { near.count + far.count }

    /// Whether no event is pending.
    ///
    /// - Complexity: O(1)
    package var isEmpty: Bool { near.isEmpty && far.isEmpty }

    /// The time of the event ``popFirst()`` would return, or `nil` when the queue is empty.
    ///
    /// - Complexity: O(1)
    package var peekTime: Timestamp? {
        Self.earlierHead(near, far).map { Timestamp(nanoseconds: firstTime(in: $0)) }
    }

    /// Makes room for at least `minimumCapacity` pending events in each heap, so that
    /// pushing up to that many allocates nothing. Large heaps are advised for huge pages:
    /// at 10⁶ viewers the far heap is a hundred megabytes, sifted at random.
    ///
    /// - Complexity: O(`count`) when the storage grows, else O(1).
    package mutating func reserveCapacity(_ minimumCapacity: Int) {
        near.reserveCapacityAdvisingHugePages(minimumCapacity)
        far.reserveCapacityAdvisingHugePages(minimumCapacity)
    }

    /// Adds `event`, due at `time`. It comes out after every pending event with an earlier
    /// time or the same time.
    ///
    /// - Complexity: O(log₄(`count`)); amortised O(1) allocation, none within the reserved
    ///   capacity.
    package mutating func push(_ event: Event, at time: Timestamp) {
        nextSequence &+= 1
        let entry = Entry(time: time.nanoseconds, sequence: nextSequence &- 1, event: event)
        // `time - lastPopped` can overflow only for a time far from the present: far.
        let (distance, overflow) = entry.time.subtractingReportingOverflow(lastPopped)
        if !overflow && distance < Self.nearHorizon {
            let position = Self.siftUp(appending: entry, to: &near)
            _checkInvariants(touched: (.near, position))
        } else {
            let position = Self.siftUp(appending: entry, to: &far)
            _checkInvariants(touched: (.far, position))
        }
    }

    /// Removes and returns the first event: the earliest, and among equally early ones the
    /// first pushed. Returns `nil` when the queue is empty.
    ///
    /// - Complexity: O(log₄ n) for the n events in the heap it comes from.
    package mutating func popFirst() -> (time: Timestamp, event: Event)? {
        popFirst(before: nil)
    }

    /// Removes and returns the first event if it is due before `limit` (whenever due,
    /// when `limit` is nil); else leaves the queue as it is and returns `nil`. One look at
    /// the heads, where ``peekTime`` and then ``popFirst()`` take two.
    ///
    /// - Complexity: as ``popFirst()``.
    package mutating func popFirst(before limit: Timestamp?) -> (time: Timestamp, event: Event)? {
        guard let lane = Self.earlierHead(near, far) else { return nil }
        if let limit, firstTime(in: lane) >= limit.nanoseconds { return nil }
        let (first, position) = lane == .near ? Self.removeFirst(from: &near) : Self.removeFirst(from: &far)
        lastPopped = first.time
        _checkInvariants(touched: position.map { (lane, $0) })
        return (Timestamp(nanoseconds: first.time), first.event)
    }

    // MARK: Heaps

    /// Which heap an entry is in.
    enum Lane { case near, far }

    /// The time of the first entry of `lane`, which must not be empty.
    @inline(__always)
    private func firstTime(in lane: Lane) -> Int64 {
        lane == .near ? near[0].time : far[0].time
    }

    /// The heap whose first entry comes first, or `nil` when both are empty.
    @inline(__always)
    private static func earlierHead(_ near: [Entry], _ far: [Entry]) -> Lane? {
        guard let nearFirst = near.first else { return far.isEmpty ? nil : .far }
        guard let farFirst = far.first else { return .near }
        return Entry.precedes(farFirst, nearFirst) ? .far : .near
    }

    // Entries are moved, never copied: an event can hold strings, and a copy would retain
    // each of them and release the overwritten one, level after level.

    /// Removes the first entry of `heap`, which must not be empty: the last entry is
    /// sifted down from the root into its place. Returns the first entry and where the
    /// last one went (`nil` when it was the first).
    @inline(__always)
    private static func removeFirst(from heap: inout [Entry]) -> (first: Entry, position: Int?) {
        let last = heap.removeLast()
        guard !heap.isEmpty else { return (last, nil) }
        return heap.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            let first = base.move()
            // Sift the hole down: while the earliest child of the hole precedes `last`,
            // that child moves up into the hole and the hole moves down.
            var hole = 0
            while true {
                let firstChild = 4 &* hole &+ 1
                guard firstChild < buffer.count else { break }
                // The earliest child. A plain scan with branches measured faster here
                // than a branch-free tournament.
                var best = firstChild
                let end = min(firstChild &+ 4, buffer.count)
                var child = firstChild &+ 1
                while child < end {
                    if Entry.precedes(base[child], base[best]) { best = child }
                    child &+= 1
                }
                guard Entry.precedes(base[best], last) else { break }
                (base + hole).moveInitialize(from: base + best, count: 1)
                hole = best
            }
            (base + hole).initialize(to: last)
            return (first, hole)
        }
    }

    /// Appends `entry` to `heap` and sifts it up: while it precedes the hole's parent,
    /// the parent moves down into the hole and the hole moves up. Returns where it went.
    @inline(__always)
    private static func siftUp(appending entry: Entry, to heap: inout [Entry]) -> Int {
        heap.append(entry)
        return heap.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            let entry = (base + buffer.count - 1).move()
            var hole = buffer.count - 1
            while hole > 0 {
                let parent = (hole &- 1) >> 2
                guard Entry.precedes(entry, base[parent]) else { break }
                (base + hole).moveInitialize(from: base + parent, count: 1)
                hole = parent
            }
            (base + hole).initialize(to: entry)
            return hole
        }
    }

    // MARK: Invariants

    /// What is wrong with the queue, or `nil` when every entry of each heap comes after
    /// its parent and every push number is below the next one.
    ///
    /// - Complexity: O(`count`)
    package func invariantViolation() -> String? {
        for (lane, heap) in [(Lane.near, near), (.far, far)] {
            for index in heap.indices {
                if heap[index].sequence >= nextSequence {
                    return "\(lane) entry \(index) has push number \(heap[index].sequence) ≥ \(nextSequence)"
                }
                if let violation = Self.orderViolation(at: index, in: heap, lane: lane) { return violation }
            }
        }
        return nil
    }

    /// Whether `index` is wrongly ordered against its parent in `heap`.
    private static func orderViolation(at index: Int, in heap: [Entry], lane: Lane) -> String? {
        guard index > 0, index < heap.count else { return nil }
        let parent = (index - 1) / 4
        guard Entry.precedes(heap[index], heap[parent]) else { return nil }
        return "\(lane) entry \(index) (\(heap[index].time) ns, #\(heap[index].sequence)) "
            + "precedes its parent \(parent) (\(heap[parent].time) ns, #\(heap[parent].sequence))"
    }

    /// In debug builds, stops on a broken queue: all of it while it is small, else the
    /// entry at `touched` against its parent and its children. Compiled out in release
    /// builds.
    @inline(__always)
    private func _checkInvariants(touched: (lane: Lane, position: Int)?) {
        #if BRANCHTREE_INTERNAL_CHECKS
        let violation: String?
        if count <= Self.debugFullCheckLimit {
            violation = invariantViolation()
        } else if let (lane, position) = touched {
            let heap = lane == .near ? near : far
            let children = min(4 * position + 1, heap.count)..<min(4 * position + 5, heap.count)
            violation = ([position] + children).lazy.compactMap {
                Self.orderViolation(at: $0, in: heap, lane: lane)
            }.first
        } else {
            violation = nil
        }
        if let violation { preconditionFailure("EventQueue: \(violation)") }
        #endif
    }
}

extension EventQueue: Sendable where Event: Sendable {}
extension EventQueue.Entry: Sendable where Event: Sendable {}
