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
/// Storage is an implicit 4-ary min-heap over one contiguous array of entries. Each entry
/// holds its key inline, the time in nanoseconds and the push number (compared
/// lexicographically; the second word only on equal times), next to the event itself, so
/// sifting never leaves the array and pushing allocates nothing once the array has grown
/// (see ``reserveCapacity(_:)``). Four children per entry halve the height of a binary
/// heap (10 levels for 10⁶ events), and each level's children are adjacent in memory.
/// Removing the first event sifts the last entry down from the root, top-down: it
/// usually stops a level or two above the bottom, sparing the levels that miss the
/// cache. In a hold model at 10⁶ pending events on this machine kind (shared, so noisy)
/// this was about 5–15 % faster than a binary heap or a bottom-up (Floyd) removal, and
/// faster than 16-byte entries with the events in a side table (one more cache miss).
///
/// Debug builds check the heap after every mutation (the whole heap while it holds at
/// most ``debugFullCheckLimit`` entries, the moved entry against its parent and children
/// beyond that); release builds check nothing.
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

    /// The heap: `entries[0]` comes first; the children of `i` are `4i + 1 ... 4i + 4`.
    private(set) var entries: [Entry] = []
    /// The sequence number of the next push. 2⁶⁴ pushes never happen.
    private var nextSequence: UInt64 = 0

    /// Up to this many entries, debug builds check the whole heap after every mutation;
    /// beyond it, only around the entry that moved, so that debug runs stay usable.
    static var debugFullCheckLimit: Int { 256 }

    /// An empty queue.
    package init() {}

    /// An empty queue with room for `minimumCapacity` events before it reallocates.
    ///
    /// - Complexity: O(`minimumCapacity`) to allocate.
    package init(minimumCapacity: Int) {
        entries.reserveCapacity(minimumCapacity)
    }

    /// The number of pending events.
    ///
    /// - Complexity: O(1)
    package var count: Int { entries.count }

    /// Whether no event is pending.
    ///
    /// - Complexity: O(1)
    package var isEmpty: Bool { entries.isEmpty }

    /// The time of the event ``popFirst()`` would return, or `nil` when the queue is empty.
    ///
    /// - Complexity: O(1)
    package var peekTime: Timestamp? {
        entries.first.map { Timestamp(nanoseconds: $0.time) }
    }

    /// Makes room for at least `minimumCapacity` pending events, so that pushing up to that
    /// many allocates nothing. A large heap is advised for huge pages: at 10⁶ viewers it is
    /// hundreds of megabytes, sifted at random.
    ///
    /// - Complexity: O(`count`) when the storage grows, else O(1).
    package mutating func reserveCapacity(_ minimumCapacity: Int) {
        entries.reserveCapacityAdvisingHugePages(minimumCapacity)
    }

    /// Adds `event`, due at `time`. It comes out after every pending event with an earlier
    /// time or the same time.
    ///
    /// - Complexity: O(log₄(`count`)); amortised O(1) allocation, none within the reserved
    ///   capacity.
    package mutating func push(_ event: Event, at time: Timestamp) {
        nextSequence &+= 1
        entries.append(Entry(time: time.nanoseconds, sequence: nextSequence &- 1, event: event))
        let position = siftUp(from: entries.count - 1)
        _checkInvariants(touched: position)
    }

    /// Removes and returns the first event: the earliest, and among equally early ones the
    /// first pushed. Returns `nil` when the queue is empty.
    ///
    /// - Complexity: O(log₄(`count`))
    package mutating func popFirst() -> (time: Timestamp, event: Event)? {
        guard let last = entries.popLast() else { return nil }
        guard !entries.isEmpty else { return (Timestamp(nanoseconds: last.time), last.event) }
        let (first, position) = replaceFirst(with: last)
        _checkInvariants(touched: position)
        return (Timestamp(nanoseconds: first.time), first.event)
    }

    // MARK: Heap

    // Entries are moved, never copied: an event can hold strings and arrays, and a copy
    // would retain each of them and release the overwritten one, level after level.

    /// Moves the first entry out and sifts `entry` down from the root into its place:
    /// while the earliest child of the hole precedes `entry`, that child moves up into
    /// the hole and the hole moves down. Returns the first entry and where `entry` went.
    @inline(__always)
    private mutating func replaceFirst(with entry: Entry) -> (first: Entry, position: Int) {
        entries.withUnsafeMutableBufferPointer { heap in
            let base = heap.baseAddress!
            let count = heap.count
            let first = base.move()
            var hole = 0
            while true {
                let firstChild = 4 &* hole &+ 1
                guard firstChild < count else { break }
                // The earliest child. A plain scan with branches measured faster here
                // than a branch-free tournament.
                var best = firstChild
                let end = min(firstChild &+ 4, count)
                var child = firstChild &+ 1
                while child < end {
                    if Entry.precedes(base[child], base[best]) { best = child }
                    child &+= 1
                }
                guard Entry.precedes(base[best], entry) else { break }
                (base + hole).moveInitialize(from: base + best, count: 1)
                hole = best
            }
            (base + hole).initialize(to: entry)
            return (first, hole)
        }
    }

    /// Sifts the entry at `start` up: while it precedes the hole's parent, the parent
    /// moves down into the hole and the hole moves up. Returns where the entry went.
    @inline(__always)
    private mutating func siftUp(from start: Int) -> Int {
        entries.withUnsafeMutableBufferPointer { heap in
            let base = heap.baseAddress!
            let entry = (base + start).move()
            var hole = start
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

    /// What is wrong with the heap, or `nil` when every entry comes after its parent and
    /// every push number is below the next one.
    ///
    /// - Complexity: O(`count`)
    package func invariantViolation() -> String? {
        for index in entries.indices {
            if entries[index].sequence >= nextSequence {
                return "entry \(index) has push number \(entries[index].sequence) ≥ \(nextSequence)"
            }
            if let violation = orderViolation(at: index) { return violation }
        }
        return nil
    }

    /// Whether `index` is wrongly ordered against its parent.
    private func orderViolation(at index: Int) -> String? {
        guard index > 0 else { return nil }
        let parent = (index - 1) / 4
        guard Entry.precedes(entries[index], entries[parent]) else { return nil }
        return "entry \(index) (\(entries[index].time) ns, #\(entries[index].sequence)) "
            + "precedes its parent \(parent) (\(entries[parent].time) ns, #\(entries[parent].sequence))"
    }

    /// In debug builds, stops on a broken heap: the whole heap while it is small, else the
    /// entry at `touched` against its parent and its children. Compiled out in release
    /// builds.
    @inline(__always)
    private func _checkInvariants(touched: Int) {
        #if BRANCHTREE_INTERNAL_CHECKS
        let violation: String?
        if entries.count <= Self.debugFullCheckLimit {
            violation = invariantViolation()
        } else {
            let children = min(4 * touched + 1, entries.count)..<min(4 * touched + 5, entries.count)
            violation = ([touched] + children).lazy.compactMap(orderViolation(at:)).first
        }
        if let violation { preconditionFailure("EventQueue: \(violation)") }
        #endif
    }
}

extension EventQueue: Sendable where Event: Sendable {}
extension EventQueue.Entry: Sendable where Event: Sendable {}
