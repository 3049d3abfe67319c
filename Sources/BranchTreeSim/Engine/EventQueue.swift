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
/// simulation, depends only on what was pushed: the same seed gives the same run. Both
/// simulator models use this queue.
///
/// Storage is a two-level calendar in front of a heap. Time is cut into *coarse* buckets
/// of 2^``coarseShift`` ns (about 69 s), each cut into ``finePerCoarse`` *fine* buckets
/// of 2^``fineShift`` ns (about 67 ms). From the front:
///
/// - the *near* heap, an implicit 4-ary min-heap, holds the events of the fine buckets
///   already opened;
/// - the fine buckets of the *current* coarse bucket not yet opened hold theirs unsorted;
/// - a ring of ``ringSize`` coarse buckets (about 4.9 hours) holds the events of the
///   coarse buckets after the current one, unsorted;
/// - an *overflow* heap holds the events beyond the ring.
///
/// When the near heap runs dry, the next non-empty fine bucket becomes the near heap
/// (heapified in place); when the current coarse bucket's fine buckets are done, the next
/// coarse bucket is dealt out into the fine buckets, and the overflow entries that now
/// fall within the ring move into it. Every near event is due before every other event,
/// so the near head is the first event of all. A caller that can tell ahead of time that
/// an event would find nothing to do drops it as its bucket opens
/// (``openBuckets(before:dropping:)``): the simulator's idle timers.
///
/// The calendar is for the cache. At 10⁶ viewers millions of events are pending, nearly
/// all session ends and timers minutes away, while most of the traffic is messages and
/// connection set-ups due within a fraction of a second. A heap of all of them pays a
/// sift through levels that miss the cache on every pop; here a distant event costs an
/// append and, once its bucket opens, a place in a heap a few thousand entries deep. The
/// coarse level keeps those appends in the cache: an hour spans about 52 coarse buckets,
/// whose ends and array headers stay cached, where a ring of fine buckets alone spreads
/// them over some 54,000 ends (the tree model's hour at 10⁶, one alternated pair of
/// runs: 18.4 s CPU with one level, 15.0 s with two; with 4.3 s coarse buckets, 840 of
/// them an hour, a push's read of its bucket's header still missed the cache in 43 % of
/// the push's samples). Dealing a coarse bucket out reads it in order and writes to
/// 1,024 ends. Each entry holds its key inline (time in
/// nanoseconds, push number) next to the event, so sifting never leaves the array.
///
/// With the `InternalChecks` trait the queue is checked after every mutation (the heaps
/// whole while it holds at most ``debugFullCheckLimit`` entries, the moved entry against
/// its neighbours beyond that; never the whole ring); ``invariantViolation()`` checks
/// everything. Without the trait nothing is checked.
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

        /// The fine bucket of the entry's time.
        @inline(__always)
        var fineBucket: Int64 { time >> EventQueue.fineShift }

        /// The coarse bucket of the entry's time.
        @inline(__always)
        var coarseBucket: Int64 { time >> EventQueue.coarseShift }
    }

    /// A fine bucket spans 2^`fineShift` nanoseconds (about 67 ms): the near heap then
    /// holds a few thousand entries at 10⁶ viewers and stays in the core's cache.
    /// (Measured at 10⁶ viewers: 67 ms and 0.27 s buckets ran alike, 4–8 % less CPU than
    /// one far heap of every distant event.)
    static var fineShift: Int64 { 26 }
    /// A coarse bucket spans 2^`coarseShift` nanoseconds: 1,024 fine buckets, about 69 s.
    /// (Tree model at 10⁶, `--duration 1200`, perf: the queue's share of the samples
    /// 14.7 % with 4.3 s buckets, 13.4 % with 17 s, 12.2 % with 69 s.)
    static var coarseShift: Int64 { 36 }
    /// How many fine buckets a coarse bucket holds.
    static var finePerCoarse: Int64 { 1 << (coarseShift - fineShift) }
    /// How many coarse buckets the ring holds (a power of two): 2⁸ × 69 s ≈ 4.9 hours
    /// ahead, beyond nearly every session end of the default workload.
    static var ringSize: Int64 { 1 << 8 }
    /// Room a coarse bucket gets with its first entry. (Callgrind, `run --audience 3000
    /// --duration 900`, with one level of 67 ms buckets: 564, 561 and 556 million
    /// instructions with room for 4, 8 and 16; peak memory of the default run 31.8, 33.4
    /// and 36 MB: the room of the sparse buckets of distant session ends.)
    static var initialBucketCapacity: Int { 8 }

    /// The heap of the opened fine buckets: `[0]` comes first; the children of `i` are
    /// `4i + 1 ... 4i + 4`. Every entry's fine bucket is below ``nextFine``.
    private(set) var near: [Entry] = []
    /// Fine bucket `f` of the current coarse bucket, from `nextFine` on, sits unsorted at
    /// `fine[f & (finePerCoarse - 1)]`. Allocated on the first push that needs it; each
    /// slot keeps its buffer, which it trades with the near heap's when opened.
    private var fine: [[Entry]] = []
    /// How many entries the fine buckets hold.
    private var fineCount = 0
    /// Coarse bucket `c` in `currentCoarse + 1 ..< currentCoarse + ringSize` sits,
    /// unsorted, at `coarse[c & (ringSize - 1)]`. Allocated on the first push that needs it.
    private var coarse: [[Entry]] = []
    /// How many entries the coarse ring holds.
    private var coarseCount = 0
    /// Emptied small coarse bucket buffers, handed to the next coarse buckets that get a
    /// first entry: allocating a buffer per bucket and freeing it once dealt out cost
    /// 1.7 % of a run's instructions with one level of buckets.
    private var spareBuckets: [[Entry]] = []
    /// Room for this many entries at most in a spare buffer: about what a new bucket
    /// gets. Twice its room, because the allocator may round a new bucket's buffer up
    /// past it (by how much depends on the heap's state). (With room for up to 64, distant
    /// buckets of one or two session ends took larger buffers: the default run's peak rose
    /// from 33 to 48 MiB.)
    static var spareBucketCapacity: Int { 2 * initialBucketCapacity }
    /// This many spare buffers at most: a few tens of kilobytes.
    static var spareBucketLimit: Int { 64 }
    /// Entries of coarse buckets at or beyond `currentCoarse + ringSize`, as a heap like
    /// `near`.
    private(set) var overflow: [Entry] = []
    /// The coarse bucket whose fine buckets `fine` holds.
    private var currentCoarse: Int64 = 0
    /// The first fine bucket not yet opened: within the current coarse bucket, or just
    /// past its end.
    private var nextFine: Int64 = 0
    /// The sequence number of the next push. 2⁶⁴ pushes never happen.
    private var nextSequence: UInt64 = 0

    /// Up to this many entries, the `InternalChecks` trait checks the whole queue after
    /// every mutation; beyond it, only around the entry that moved, so that checked runs
    /// stay usable.
    static var debugFullCheckLimit: Int { 256 }

    /// An empty queue.
    package init() {}

    /// The number of pending events.
    ///
    /// - Complexity: O(1)
    package var count: Int { near.count + fineCount + coarseCount + overflow.count }

    /// How many emptied bucket buffers wait to be reused (for tests).
    var spareBucketCount: Int { spareBuckets.count }

    /// How many entries wait in the fine buckets and in the coarse ring (for tests).
    var calendarCounts: (fine: Int, coarse: Int) { (fineCount, coarseCount) }

    /// Whether no event is pending.
    ///
    /// - Complexity: O(1)
    package var isEmpty: Bool { count == 0 }

    /// Every pending event with its time, in no particular order.
    ///
    /// - Complexity: O(`count` + ``ringSize``)
    package var unorderedEvents: [(time: Timestamp, event: Event)] {
        (near + fine.joined() + coarse.joined() + overflow).map { (Timestamp(nanoseconds: $0.time), $0.event) }
    }

    /// The time of the event ``popFirst()`` would return, or `nil` when the queue is empty.
    ///
    /// - Complexity: O(1) while an opened bucket holds events; else O(``finePerCoarse`` +
    ///   ``ringSize``) plus the size of the bucket that holds the first event.
    package var peekTime: Timestamp? {
        if let first = near.first { return Timestamp(nanoseconds: first.time) }
        if fineCount > 0 {
            let end = (currentCoarse &+ 1) &* Self.finePerCoarse
            for bucket in nextFine..<end {
                if let first = fine[Self.fineSlot(of: bucket)].min(by: Entry.precedes) {
                    return Timestamp(nanoseconds: first.time)
                }
            }
        }
        if coarseCount > 0 {
            for offset in 1..<Self.ringSize {
                if let first = coarse[Self.coarseSlot(of: currentCoarse &+ offset)].min(by: Entry.precedes) {
                    return Timestamp(nanoseconds: first.time)
                }
            }
        }
        return overflow.first.map { Timestamp(nanoseconds: $0.time) }
    }

    /// Adds `event`, due at `time`. It comes out after every pending event with an earlier
    /// time or the same time.
    ///
    /// - Complexity: O(log₄ n) for the n events of the opened buckets or of the overflow;
    ///   amortised O(1) for a time within the ring.
    package mutating func push(_ event: Event, at time: Timestamp) {
        nextSequence &+= 1
        let entry = Entry(time: time.nanoseconds, sequence: nextSequence &- 1, event: event)
        let fineBucket = entry.fineBucket
        let coarseBucket = entry.coarseBucket
        if fineBucket < nextFine {
            let position = Self.siftUp(appending: entry, to: &near)
            _checkInvariants(touched: .near(position))
        } else if coarseBucket == currentCoarse {
            appendToFine(entry)
            _checkInvariants(touched: .fine(fineBucket))
        } else if coarseBucket &- currentCoarse < Self.ringSize {
            appendToRing(entry)
            _checkInvariants(touched: .coarse(coarseBucket))
        } else {
            let position = Self.siftUp(appending: entry, to: &overflow)
            _checkInvariants(touched: .overflow(position))
        }
    }

    /// The event ``popFirst()`` would return, when an opened bucket holds it; else nil
    /// (without opening one): for a caller that prepares the next event while it handles
    /// this one.
    ///
    /// - Complexity: O(1)
    package var openedFirstEvent: Event? { near.first?.event }

    /// The event that would come out after ``openedFirstEvent``, when the opened buckets
    /// hold it (the earliest child of the near heap's root); else nil.
    ///
    /// - Complexity: O(1)
    package var openedSecondEvent: Event? {
        guard near.count > 1 else { return nil }
        var best = 1
        for child in 2..<min(5, near.count) where Entry.precedes(near[child], near[best]) { best = child }
        return near[best].event
    }

    /// Removes and returns the first event: the earliest, and among equally early ones the
    /// first pushed. Returns `nil` when the queue is empty.
    ///
    /// - Complexity: O(log₄ n) for the n events of the opened buckets; amortised O(1) more
    ///   for opening buckets.
    package mutating func popFirst() -> (time: Timestamp, event: Event)? {
        popFirst(before: nil)
    }

    /// Removes and returns the first event if it is due before `limit` (whenever due,
    /// when `limit` is nil); else leaves the queue's events as they are and returns `nil`.
    /// One look at the head, where ``peekTime`` and then ``popFirst()`` take two.
    ///
    /// - Complexity: as ``popFirst()``.
    package mutating func popFirst(before limit: Timestamp?) -> (time: Timestamp, event: Event)? {
        if near.isEmpty { openBuckets(before: limit) { _, _ in false } }
        guard let head = near.first else { return nil }
        if let limit, head.time >= limit.nanoseconds { return nil }
        let (first, position) = Self.removeFirst(from: &near)
        _checkInvariants(touched: .near(position ?? 0))
        return (Timestamp(nanoseconds: first.time), first.event)
    }

    // MARK: Calendar

    /// Where fine bucket `bucket` sits among the fine buckets.
    @inline(__always)
    private static func fineSlot(of bucket: Int64) -> Int {
        Int(truncatingIfNeeded: bucket & (finePerCoarse &- 1))
    }

    /// Where coarse bucket `bucket` sits in the ring.
    @inline(__always)
    private static func coarseSlot(of bucket: Int64) -> Int { Int(truncatingIfNeeded: bucket & (ringSize &- 1)) }

    /// Whether an opened bucket holds an event: then ``popFirst(before:)`` opens none.
    ///
    /// - Complexity: O(1)
    package var hasOpenedEvent: Bool { !near.isEmpty }

    /// Opens buckets, as ``popFirst(before:)`` would, until the near heap holds an event,
    /// dropping every entry of an opened bucket for which `isDropped` is true: for a caller
    /// that can tell, a little ahead of time, that an event would find nothing to do
    /// (a timer whose deadline went away). Opens none while an opened bucket holds an
    /// event, or when no event can be due before `limit`.
    ///
    /// `isDropped` sees each entry of an opened bucket once, in no particular order, once
    /// every event before its bucket is out: when events are dense, within one fine
    /// bucket's span (about 67 ms) of its time; earlier when they are sparse. Entries
    /// pushed into a bucket already opened are never seen.
    ///
    /// - Complexity: O(n) for the n entries of the buckets opened, plus what
    ///   ``popFirst(before:)`` pays for opening them.
    package mutating func openBuckets(before limit: Timestamp?, dropping isDropped: (Timestamp, Event) -> Bool) {
        while near.isEmpty, takeNextBucket(before: limit) {
            near.removeAll { isDropped(Timestamp(nanoseconds: $0.time), $0.event) }
            Self.heapify(&near)
            _checkInvariants(touched: .opened)
        }
    }

    /// Moves the entries of the next non-empty fine bucket into the empty near heap,
    /// unordered, and returns true; returns false, moving nothing, when nothing is
    /// pending or no event can be due before `limit` (every entry not opened is due at or
    /// after the start of ``nextFine``). Past the current coarse bucket's last fine bucket,
    /// the next coarse bucket (or, with the ring empty, the first overflow entry's)
    /// becomes the current one and is dealt out.
    ///
    /// The limit keeps a caller that drains up to an instant from opening the buckets
    /// after it: the warm start drains each arrival up to 1 ns and would otherwise open
    /// the bucket of the first timers, and push every later timer straight into the
    /// near heap.
    private mutating func takeNextBucket(before limit: Timestamp?) -> Bool {
        // The last fine bucket that can hold an event due before `limit`.
        let lastFine = limit.map { ($0.nanoseconds &- 1) >> Self.fineShift } ?? .max
        while true {
            let end = (currentCoarse &+ 1) &* Self.finePerCoarse
            if fineCount == 0 { nextFine = end }
            while nextFine < end {
                guard nextFine <= lastFine else { return false }
                let slot = Self.fineSlot(of: nextFine)
                nextFine &+= 1
                if !fine[slot].isEmpty {
                    // The bucket's buffer becomes the near heap's, without a copy, and the
                    // empty heap's goes back to the slot for a later bucket, unless it is
                    // far larger than this one: kept, the warm start's one bucket of 10⁶
                    // joins raised the full model's peak at 10⁶ viewers by 80 MiB.
                    swap(&near, &fine[slot])
                    if fine[slot].capacity > 4 &* max(near.count, Self.initialBucketCapacity) {
                        fine[slot] = []
                    }
                    fineCount &-= near.count
                    return true
                }
            }
            guard coarseCount > 0 || !overflow.isEmpty else { return false }
            let nextCoarse =
                coarseCount > 0
                ? currentCoarse &+ 1 : max(currentCoarse &+ 1, overflow[0].coarseBucket)
            guard nextCoarse <= lastFine >> (Self.coarseShift - Self.fineShift) else { return false }
            currentCoarse = nextCoarse
            nextFine = currentCoarse &* Self.finePerCoarse
            while let first = overflow.first, first.coarseBucket &- currentCoarse < Self.ringSize {
                appendToRing(Self.removeFirst(from: &overflow).first)
            }
            dealOutCurrentCoarse()
        }
    }

    /// Moves the current coarse bucket's entries into its fine buckets (order within a
    /// bucket does not matter: the near heap orders them by key) and empties its slot, so
    /// the ring never holds a bucket's room for its next turn (a ring's worth kept would
    /// hold every pending event twice): a small buffer goes to the spare pool, a large one
    /// is freed.
    private mutating func dealOutCurrentCoarse() {
        guard coarseCount > 0 else { return }
        let slot = Self.coarseSlot(of: currentCoarse)
        guard !coarse[slot].isEmpty else { return }
        var entries: [Entry] = []
        swap(&entries, &coarse[slot])
        coarseCount &-= entries.count
        // Copied front to back: popping from the end to move each event instead took 1.6 M
        // more instructions on the small scenario and 1.7 M more on the tree model at 10⁵
        // (callgrind), and neither model's events hold references to retain.
        for entry in entries { appendToFine(entry) }
        if entries.capacity <= Self.spareBucketCapacity, spareBuckets.count < Self.spareBucketLimit {
            entries.removeAll(keepingCapacity: true)
            spareBuckets.append(entries)
        }
    }

    /// Appends `entry`, whose fine bucket must be in the current coarse bucket and not
    /// yet opened, to its fine bucket.
    @inline(__always)
    private mutating func appendToFine(_ entry: Entry) {
        if fine.isEmpty { fine = Array(repeating: [], count: Int(Self.finePerCoarse)) }
        fine[Self.fineSlot(of: entry.fineBucket)].append(entry)
        fineCount &+= 1
    }

    /// Appends `entry`, whose coarse bucket must be within the ring, to its coarse bucket.
    /// A bucket's first entry allocates room for several (or takes a spare buffer): most
    /// buckets get more than one, and growing one entry at a time would allocate again
    /// and again.
    @inline(__always)
    private mutating func appendToRing(_ entry: Entry) {
        if coarse.isEmpty { coarse = Array(repeating: [], count: Int(Self.ringSize)) }
        let slot = Self.coarseSlot(of: entry.coarseBucket)
        if coarse[slot].capacity == 0 {
            if let spare = spareBuckets.popLast() {
                coarse[slot] = spare
            } else {
                coarse[slot].reserveCapacity(Self.initialBucketCapacity)
            }
        }
        coarse[slot].append(entry)
        coarseCount &+= 1
    }

    // MARK: Heaps

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
            let first = buffer.baseAddress!.move()
            return (first, siftDown(last, into: 0, of: buffer))
        }
    }

    /// Puts `entry` into the uninitialised place `hole` of `heap`, whose subtrees below
    /// `hole` are heaps: while the earliest child of the hole precedes `entry`, that child
    /// moves up into the hole and the hole moves down. Returns where `entry` went.
    @inline(__always)
    private static func siftDown(_ entry: Entry, into hole: Int, of heap: UnsafeMutableBufferPointer<Entry>) -> Int {
        let base = heap.baseAddress!
        var hole = hole
        while true {
            let firstChild = 4 &* hole &+ 1
            guard firstChild < heap.count else { break }
            // The earliest child. A plain scan with branches measured faster here than a
            // branch-free tournament.
            var best = firstChild
            let end = min(firstChild &+ 4, heap.count)
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
        return hole
    }

    /// Orders `heap` as a heap, bottom up: O(n) rather than the O(n log n) of n pushes.
    private static func heapify(_ heap: inout [Entry]) {
        guard heap.count > 1 else { return }
        heap.withUnsafeMutableBufferPointer { buffer in
            for index in stride(from: (buffer.count - 2) / 4, through: 0, by: -1) {
                _ = siftDown((buffer.baseAddress! + index).move(), into: index, of: buffer)
            }
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

    /// Where a mutation left an entry.
    enum Touched {
        case near(Int)
        case fine(_ bucket: Int64)
        case coarse(_ bucket: Int64)
        case overflow(Int)
        /// A fine bucket was opened: the near heap is new.
        case opened
    }

    /// What is wrong with the queue, or `nil` when both heaps are ordered, every entry is
    /// in its place (near: fine bucket opened; fine: its slot, in the current coarse
    /// bucket and not yet opened; coarse: its slot, after the current coarse bucket and
    /// within the ring; overflow: beyond the ring), the counts are right, and every push
    /// number is below the next one.
    ///
    /// - Complexity: O(`count` + ``ringSize``)
    package func invariantViolation() -> String? {
        if let violation = heapsViolation() { return violation }
        if nextFine < currentCoarse &* Self.finePerCoarse || nextFine > (currentCoarse &+ 1) &* Self.finePerCoarse {
            return "next fine bucket \(nextFine) is outside coarse bucket \(currentCoarse)"
        }
        for slot in fine.indices {
            if let violation = fineViolation(atSlot: slot) { return violation }
        }
        for slot in coarse.indices {
            if let violation = coarseViolation(atSlot: slot) { return violation }
        }
        if fine.reduce(0, { $0 + $1.count }) != fineCount { return "fine count \(fineCount) is wrong" }
        return coarse.reduce(0, { $0 + $1.count }) == coarseCount ? nil : "coarse count \(coarseCount) is wrong"
    }

    /// What is wrong with the near and overflow heaps: order, places, push numbers.
    ///
    /// - Complexity: O(n) for the n entries of the two heaps.
    private func heapsViolation() -> String? {
        nearViolation() ?? overflowViolation(headOnly: false)
    }

    /// What is wrong with the near heap: order, push numbers, or an entry of a fine
    /// bucket not yet opened.
    ///
    /// - Complexity: O(n) for the n entries of the near heap.
    private func nearViolation() -> String? {
        if let violation = heapViolation(near, name: "near") { return violation }
        guard let late = near.first(where: { $0.fineBucket >= nextFine }) else { return nil }
        return "near entry at \(late.time) ns is in fine bucket \(late.fineBucket), not yet opened (next \(nextFine))"
    }

    /// What is wrong with the overflow heap: order, push numbers, or an entry within the
    /// ring — its head, the earliest entry of an ordered heap, is the one to look at.
    /// Only that place when `headOnly`.
    ///
    /// - Complexity: O(n) for its n entries; O(1) when `headOnly`.
    private func overflowViolation(headOnly: Bool) -> String? {
        if !headOnly, let violation = heapViolation(overflow, name: "overflow") { return violation }
        guard let early = overflow.first, early.coarseBucket &- currentCoarse < Self.ringSize else { return nil }
        return "overflow entry at \(early.time) ns is in coarse bucket \(early.coarseBucket), "
            + "within the ring from \(currentCoarse)"
    }

    /// The first order or push-number violation in `heap`, if any.
    private func heapViolation(_ heap: [Entry], name: String) -> String? {
        for index in heap.indices {
            if let violation = Self.orderViolation(at: index, in: heap, name: name) { return violation }
            if heap[index].sequence >= nextSequence { return "\(name) entry \(index) has a push number to come" }
        }
        return nil
    }

    /// What is wrong with fine slot `slot` (its last entry only, when `lastOnly`): an
    /// entry of another fine bucket, of another coarse bucket, of one already opened, or
    /// with a push number to come.
    ///
    /// - Complexity: O(n) for the n entries of the slot; O(1) when `lastOnly`.
    private func fineViolation(atSlot slot: Int, lastOnly: Bool = false) -> String? {
        for entry in lastOnly ? fine[slot].suffix(1) : fine[slot][...] {
            if entry.coarseBucket != currentCoarse || entry.fineBucket < nextFine
                || Self.fineSlot(of: entry.fineBucket) != slot
            {
                return "fine slot \(slot) holds an entry at \(entry.time) ns of fine bucket \(entry.fineBucket) "
                    + "(coarse \(currentCoarse), next fine \(nextFine))"
            }
            if entry.sequence >= nextSequence { return "fine slot \(slot) holds a push number to come" }
        }
        return nil
    }

    /// What is wrong with coarse slot `slot` (its last entry only, when `lastOnly`): an
    /// entry of another coarse bucket, of the current one or one before it, beyond the
    /// ring, or with a push number to come.
    ///
    /// - Complexity: O(n) for the n entries of the slot; O(1) when `lastOnly`.
    private func coarseViolation(atSlot slot: Int, lastOnly: Bool = false) -> String? {
        for entry in lastOnly ? coarse[slot].suffix(1) : coarse[slot][...] {
            let distance = entry.coarseBucket &- currentCoarse
            if distance < 1 || distance >= Self.ringSize || Self.coarseSlot(of: entry.coarseBucket) != slot {
                return "coarse slot \(slot) holds an entry at \(entry.time) ns of coarse bucket "
                    + "\(entry.coarseBucket) (current \(currentCoarse))"
            }
            if entry.sequence >= nextSequence { return "coarse slot \(slot) holds a push number to come" }
        }
        return nil
    }

    /// Whether `index` is wrongly ordered against its parent in `heap`.
    private static func orderViolation(at index: Int, in heap: [Entry], name: String) -> String? {
        guard index > 0, index < heap.count else { return nil }
        let parent = (index - 1) / 4
        guard Entry.precedes(heap[index], heap[parent]) else { return nil }
        return "\(name) entry \(index) (\(heap[index].time) ns, #\(heap[index].sequence)) "
            + "precedes its parent \(parent) (\(heap[parent].time) ns, #\(heap[parent].sequence))"
    }

    /// With the `InternalChecks` trait, stops on a broken queue: the heaps whole while the
    /// queue is small, else the entry at `touched` against its neighbours; the touched
    /// fine or coarse slot whole while it is small; the new near heap whole and the
    /// overflow's head after a bucket was opened. (Never the whole ring: ``ringSize``
    /// slots per mutation would make checked runs crawl.) Compiled out without the trait.
    @inline(__always)
    private func _checkInvariants(touched: Touched) {
        #if BRANCHTREE_INTERNAL_CHECKS
        let small = count <= Self.debugFullCheckLimit
        let violation: String?
        switch touched {
        case .near where small, .overflow where small:
            violation = heapsViolation()
        case .near(let position):
            violation = Self.localViolation(around: position, in: near, name: "near")
        case .overflow(let position):
            violation = Self.localViolation(around: position, in: overflow, name: "overflow")
        case .fine(let bucket):
            let slot = Self.fineSlot(of: bucket)
            violation = fineViolation(atSlot: slot, lastOnly: fine[slot].count > Self.debugFullCheckLimit)
        case .coarse(let bucket):
            let slot = Self.coarseSlot(of: bucket)
            violation = coarseViolation(atSlot: slot, lastOnly: coarse[slot].count > Self.debugFullCheckLimit)
        case .opened:
            violation = nearViolation() ?? overflowViolation(headOnly: true)
        }
        if let violation { preconditionFailure("EventQueue: \(violation)") }
        #endif
    }

    /// The order violation at `position` of `heap` or at one of its children, if any.
    private static func localViolation(around position: Int, in heap: [Entry], name: String) -> String? {
        let children = min(4 * position + 1, heap.count)..<min(4 * position + 5, heap.count)
        return ([position] + children).lazy.compactMap { orderViolation(at: $0, in: heap, name: name) }.first
    }
}

extension EventQueue: Sendable where Event: Sendable {}
extension EventQueue.Entry: Sendable where Event: Sendable {}
