import BranchTree

/// The tree model's pending events, in time order and, at equal times, in push order:
/// the order ``EventQueue`` gives, so the same pushes give the same run.
///
///     var queue = TreeEventQueue<String>()
///     queue.push("leave", at: .seconds(2))
///     queue.push("join", at: .seconds(1))
///     queue.popFirst(before: nil)   // (1.0 s, "join")
///
/// Built for the tree model's load, where nearly every pending event is a session end
/// minutes away and pushed at a random time: a calendar of two sizes of bucket. Time is
/// cut into coarse buckets of 2^``coarseShift`` ns (about 4.3 s), each cut into 64 fine
/// buckets of 2^``fineShift`` ns (about 67 ms). A distant event is appended to its coarse
/// bucket; when the clock reaches that coarse bucket its events are dealt into the fine
/// buckets; when it reaches a fine bucket, that bucket becomes the *near* heap (a 4-ary
/// min-heap), from which events are popped. Events beyond ``ringSize`` coarse buckets
/// wait in an *overflow* heap.
///
/// At 10⁶ viewers an hour has about 840 coarse buckets, whose ends stay in the core's
/// cache, so an append costs no miss; ``EventQueue`` appends straight into one of some
/// 54,000 fine buckets, and those appends were a sixth of the hour's time (`perf`).
/// Dealing a coarse bucket out reads it in order and writes to 64 ends.
struct TreeEventQueue<Event> {
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

    /// A fine bucket spans 2^`fineShift` ns (about 67 ms), as in ``EventQueue``.
    static var fineShift: Int64 { 26 }
    /// A coarse bucket spans 2^`coarseShift` ns: 64 fine buckets, about 4.3 s.
    static var coarseShift: Int64 { 32 }
    static var finePerCoarse: Int64 { 1 << (coarseShift - fineShift) }
    /// How many coarse buckets the ring holds (a power of two): about 4.9 hours ahead.
    static var ringSize: Int64 { 1 << 12 }

    /// The heap of the opened fine buckets: `[0]` comes first; the children of `i` are
    /// `4i + 1 ... 4i + 4`. Every entry's fine bucket is below `nextFine`.
    private var near: [Entry] = []
    /// Fine bucket `f` of the current coarse bucket, from `nextFine` on, at `fine[f % 64]`.
    private var fine: [[Entry]]
    private var fineCount = 0
    /// Coarse bucket `c` after the current one and within the ring, at
    /// `coarse[c % ringSize]`. Allocated on the first push that needs it.
    private var coarse: [[Entry]] = []
    private var coarseCount = 0
    /// Entries of coarse buckets at or beyond `currentCoarse + ringSize`, as a heap like `near`.
    private var overflow: [Entry] = []
    /// The coarse bucket whose fine buckets `fine` holds.
    private var currentCoarse: Int64 = 0
    /// The first fine bucket not yet opened: within the current coarse bucket, or just
    /// past its end.
    private var nextFine: Int64 = 0
    /// The sequence number of the next push.
    private var nextSequence: UInt64 = 0

    /// An empty queue.
    init() {
        fine = Array(repeating: [], count: Int(Self.finePerCoarse))
    }

    /// The number of pending events.
    /// - Complexity: O(1)
    var count: Int { near.count + fineCount + coarseCount + overflow.count }

    /// Adds `event`, due at `time` (not negative). It comes out after every pending event
    /// with an earlier time or the same time.
    ///
    /// - Complexity: amortised O(1) for a time after the opened buckets and within the
    ///   ring; O(log n) into the near or overflow heap of n entries.
    mutating func push(_ event: Event, at time: Timestamp) {
        let entry = Entry(time: time.nanoseconds, sequence: nextSequence, event: event)
        nextSequence &+= 1
        let fineBucket = entry.time >> Self.fineShift
        let coarseBucket = entry.time >> Self.coarseShift
        if fineBucket < nextFine {
            Self.siftUp(appending: entry, to: &near)
        } else if coarseBucket == currentCoarse {
            fine[Self.fineSlot(of: fineBucket)].append(entry)
            fineCount &+= 1
        } else if coarseBucket &- currentCoarse < Self.ringSize {
            appendToRing(entry, coarseBucket: coarseBucket)
        } else {
            Self.siftUp(appending: entry, to: &overflow)
        }
    }

    /// Removes and returns the first event if it is due before `limit` (whenever due,
    /// when `limit` is nil); else leaves the queue as it is and returns `nil`.
    ///
    /// - Complexity: O(log n) for the n events of the opened buckets; amortised O(1)
    ///   more for opening buckets.
    mutating func popFirst(before limit: Timestamp?) -> (time: Timestamp, event: Event)? {
        if near.isEmpty { openNextBucket() }
        guard let head = near.first else { return nil }
        if let limit, head.time >= limit.nanoseconds { return nil }
        let first = Self.removeFirst(from: &near)
        return (Timestamp(nanoseconds: first.time), first.event)
    }

    @inline(__always)
    private static func fineSlot(of bucket: Int64) -> Int { Int(truncatingIfNeeded: bucket & (finePerCoarse &- 1)) }

    @inline(__always)
    private static func coarseSlot(of bucket: Int64) -> Int { Int(truncatingIfNeeded: bucket & (ringSize &- 1)) }

    private mutating func appendToRing(_ entry: Entry, coarseBucket: Int64) {
        if coarse.isEmpty { coarse = Array(repeating: [], count: Int(Self.ringSize)) }
        coarse[Self.coarseSlot(of: coarseBucket)].append(entry)
        coarseCount &+= 1
    }

    /// Opens fine buckets, and coarse ones when the current one is done, until the near
    /// heap holds an event or nothing is pending. The near heap must be empty.
    private mutating func openNextBucket() {
        while near.isEmpty {
            let end = (currentCoarse &+ 1) &* Self.finePerCoarse
            if fineCount == 0 { nextFine = end }
            while nextFine < end {
                let slot = Self.fineSlot(of: nextFine)
                nextFine &+= 1
                if !fine[slot].isEmpty {
                    // The bucket's buffer becomes the heap's, and the empty heap's buffer
                    // goes back to the slot for a later bucket.
                    swap(&near, &fine[slot])
                    fineCount &-= near.count
                    Self.heapify(&near)
                    return
                }
            }
            guard coarseCount > 0 || !overflow.isEmpty else { return }
            // The next coarse bucket, or the first overflow entry's when the ring is empty.
            currentCoarse =
                coarseCount > 0
                ? currentCoarse &+ 1 : Swift.max(currentCoarse &+ 1, overflow[0].time >> Self.coarseShift)
            nextFine = currentCoarse &* Self.finePerCoarse
            while let first = overflow.first, (first.time >> Self.coarseShift) &- currentCoarse < Self.ringSize {
                appendToRing(Self.removeFirst(from: &overflow), coarseBucket: first.time >> Self.coarseShift)
            }
            dealOutCurrentCoarse()
        }
    }

    /// Moves the current coarse bucket's entries into its fine buckets, in push order
    /// within each, and frees the coarse bucket's buffer (a ring's worth kept would hold
    /// every pending event twice).
    private mutating func dealOutCurrentCoarse() {
        guard coarseCount > 0 else { return }
        let slot = Self.coarseSlot(of: currentCoarse)
        guard !coarse[slot].isEmpty else { return }
        let entries = coarse[slot]
        coarse[slot] = []
        coarseCount &-= entries.count
        fineCount &+= entries.count
        for entry in entries { fine[Self.fineSlot(of: entry.time >> Self.fineShift)].append(entry) }
    }

    // MARK: Heaps

    /// Removes the first entry of `heap`, which must not be empty.
    @inline(__always)
    private static func removeFirst(from heap: inout [Entry]) -> Entry {
        let last = heap.removeLast()
        guard !heap.isEmpty else { return last }
        return heap.withUnsafeMutableBufferPointer { buffer in
            let first = buffer[0]
            siftDown(last, into: 0, of: buffer)
            return first
        }
    }

    /// Puts `entry` at `hole` of `heap`, whose subtrees below `hole` are heaps, moving
    /// earlier children up until it fits.
    @inline(__always)
    private static func siftDown(_ entry: Entry, into hole: Int, of heap: UnsafeMutableBufferPointer<Entry>) {
        var hole = hole
        while true {
            let firstChild = 4 &* hole &+ 1
            guard firstChild < heap.count else { break }
            var best = firstChild
            let end = Swift.min(firstChild &+ 4, heap.count)
            var child = firstChild &+ 1
            while child < end {
                if Entry.precedes(heap[child], heap[best]) { best = child }
                child &+= 1
            }
            guard Entry.precedes(heap[best], entry) else { break }
            heap[hole] = heap[best]
            hole = best
        }
        heap[hole] = entry
    }

    /// Orders `heap` as a heap, bottom up.
    private static func heapify(_ heap: inout [Entry]) {
        guard heap.count > 1 else { return }
        heap.withUnsafeMutableBufferPointer { buffer in
            for index in stride(from: (buffer.count - 2) / 4, through: 0, by: -1) {
                siftDown(buffer[index], into: index, of: buffer)
            }
        }
    }

    /// Appends `entry` to `heap` and moves it up past every parent it precedes.
    @inline(__always)
    private static func siftUp(appending entry: Entry, to heap: inout [Entry]) {
        heap.append(entry)
        heap.withUnsafeMutableBufferPointer { buffer in
            var hole = buffer.count - 1
            while hole > 0 {
                let parent = (hole &- 1) >> 2
                guard Entry.precedes(entry, buffer[parent]) else { break }
                buffer[hole] = buffer[parent]
                hole = parent
            }
            buffer[hole] = entry
        }
    }
}

extension TreeEventQueue: Sendable where Event: Sendable {}
extension TreeEventQueue.Entry: Sendable where Event: Sendable {}
