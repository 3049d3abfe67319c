import BranchTree
import BranchTreeTesting
import Testing

@testable import BranchTreeSim

@Suite struct EventQueueTests {
    private static func drain<Event>(_ queue: inout EventQueue<Event>) -> [(time: Int64, event: Event)] {
        var result: [(time: Int64, event: Event)] = []
        while let (time, event) = queue.popFirst() { result.append((time.nanoseconds, event)) }
        return result
    }

    @Test func emptyQueueHasNothing() {
        var queue = EventQueue<String>()
        #expect(queue.isEmpty)
        #expect(queue.count == 0)
        #expect(queue.peekTime == nil)
        #expect(queue.popFirst() == nil)
    }

    @Test func popsInTimeOrder() {
        var queue = EventQueue<Int>()
        let times: [Int64] = [50, 10, 40, 20, 30, 70, 60, 5, 100, 1, 90, 80]
        for (index, time) in times.enumerated() { queue.push(index, at: Timestamp(nanoseconds: time)) }
        #expect(queue.count == times.count)
        #expect(queue.peekTime == Timestamp(nanoseconds: 1))
        let popped = Self.drain(&queue)
        #expect(popped.map(\.time) == times.sorted())
        #expect(popped.map(\.event) == times.indices.sorted { times[$0] < times[$1] })
        #expect(queue.isEmpty)
    }

    @Test func equalTimesPopInPushOrder() {
        var queue = EventQueue<String>()
        queue.push("b1", at: .seconds(2))
        queue.push("a1", at: .seconds(1))
        queue.push("b2", at: .seconds(2))
        queue.push("a2", at: .seconds(1))
        #expect(queue.popFirst()?.event == "a1")
        queue.push("a3", at: .seconds(1))  // pushed later: after a2, before the b's
        queue.push("b3", at: .seconds(2))
        #expect(Self.drain(&queue).map(\.event) == ["a2", "a3", "b1", "b2", "b3"])
    }

    @Test func manyEqualTimesKeepPushOrder() {
        var queue = EventQueue<Int>()
        for index in 0..<2_000 { queue.push(index, at: Timestamp(nanoseconds: Int64(index % 3))) }
        let popped = Self.drain(&queue)
        #expect(popped.map(\.event) == (0..<2_000).sorted { ($0 % 3, $0) < ($1 % 3, $1) })
    }

    @Test func extremeTimesOrderAsSignedNanoseconds() {
        var queue = EventQueue<Int>()
        let times: [Int64] = [.max, 0, -1, .min, 1, .max, .min, -1_000_000_000_000]
        for (index, time) in times.enumerated() { queue.push(index, at: Timestamp(nanoseconds: time)) }
        let popped = Self.drain(&queue)
        #expect(popped.map(\.time) == [.min, .min, -1_000_000_000_000, -1, 0, 1, .max, .max])
        #expect(popped.map(\.event) == [3, 6, 7, 2, 1, 4, 0, 5])
    }

    @Test func poppingBeforeALimitLeavesLaterEvents() {
        var queue = EventQueue<String>()
        queue.push("late", at: .seconds(5))
        queue.push("early", at: .seconds(1))
        #expect(queue.popFirst(before: .seconds(1)) == nil)
        #expect(queue.popFirst(before: .seconds(2))?.event == "early")
        #expect(queue.popFirst(before: .seconds(2)) == nil)
        #expect(queue.count == 1)
        #expect(queue.popFirst(before: nil)?.event == "late")
        #expect(queue.popFirst(before: nil) == nil)
    }

    /// The start of calendar bucket `bucket`, plus `offset` nanoseconds.
    private static func time(bucket: Int64, plus offset: Int64 = 0) -> Timestamp {
        Timestamp(nanoseconds: bucket << EventQueue<String>.bucketShift + offset)
    }

    @Test func opensBucketsInOrderAndTakesLatePushesIntoTheNearHeap() {
        var queue = EventQueue<String>()
        queue.push("a", at: Self.time(bucket: 2))
        queue.push("b", at: Self.time(bucket: 1, plus: 5))
        queue.push("c", at: Self.time(bucket: 1))
        #expect(queue.near.isEmpty)  // nothing opened yet: all in the ring
        #expect(queue.popFirst()?.event == "c")  // opens bucket 1 only
        #expect(queue.near.count == 1)
        queue.push("d", at: Self.time(bucket: 1, plus: 5))  // an opened bucket: near, after "b"
        queue.push("e", at: Self.time(bucket: 0))  // in the past: near, and first
        queue.push("f", at: Self.time(bucket: 2))  // the ring, after "a" at the same time
        #expect(queue.near.count == 3)
        #expect(queue.peekTime == Self.time(bucket: 0))
        #expect(Self.drain(&queue).map(\.event) == ["e", "b", "d", "a", "f"])
    }

    @Test func eventsBeyondTheRingWaitInTheOverflow() {
        var queue = EventQueue<String>()
        let ring = EventQueue<String>.ringSize
        queue.push("far", at: Self.time(bucket: 3 * ring))
        queue.push("edge", at: Self.time(bucket: ring))  // the first bucket past the ring
        queue.push("inside", at: Self.time(bucket: ring - 1))
        #expect(queue.overflow.count == 2)
        #expect(queue.peekTime == Self.time(bucket: ring - 1))
        // Opening bucket ring - 1 brings bucket 2·ring - 1 into the ring, "edge" with it.
        #expect(queue.popFirst()?.event == "inside")
        #expect(queue.overflow.count == 1)
        #expect(queue.invariantViolation() == nil)
        // With the ring empty the queue jumps straight to the overflow's first bucket.
        #expect(queue.popFirst()?.event == "edge")
        #expect(queue.popFirst()?.event == "far")
        #expect(queue.isEmpty && queue.invariantViolation() == nil)
    }

    @Test func reusesEmptiedBucketBuffersWithoutMixingTheirEvents() throws {
        var queue = EventQueue<Int>()
        var expected: [(time: Int64, event: Int)] = []
        var next = 0
        func push(bucket: Int64, offsets: [Int64]) {
            for offset in offsets {
                let time = Self.time(bucket: bucket, plus: offset)
                queue.push(next, at: time)
                expected.append((time.nanoseconds, next))
                next += 1
            }
        }
        // Buckets served one after another hand their buffers on to buckets that get
        // their first entry later, among them some that were served already.
        for bucket in Int64(0)..<300 { push(bucket: bucket, offsets: [9, 3, 3]) }
        var popped: [(time: Int64, event: Int)] = []
        var recycled = 0
        for round in Int64(0)..<150 {
            for _ in 0..<3 {
                let first = queue.popFirst()
                let (time, event) = try #require(first)
                popped.append((time.nanoseconds, event))
            }
            // The bucket just served left its buffer spare; a new bucket takes it.
            if queue.spareBucketCount > 0 { recycled += 1 }
            push(bucket: 300 + round, offsets: [1, 0])
            push(bucket: round + 200, offsets: [5])
            #expect(queue.spareBucketCount <= EventQueue<Int>.spareBucketLimit)
        }
        #expect(recycled >= 140)
        #expect(queue.invariantViolation() == nil)
        popped += Self.drain(&queue).map { ($0.time, $0.event) }
        // Time order, and push order among equal times.
        let order = expected.enumerated().sorted {
            ($0.element.time, $0.offset) < ($1.element.time, $1.offset)
        }.map(\.element.event)
        #expect(popped.map(\.event) == order)
    }

    @Test func pendingEventsCanBeListed() {
        var queue = EventQueue<Int>()
        let times: [Int64] = [5, 1 << 40, .max, 3 << 27, -7]
        for (index, time) in times.enumerated() { queue.push(index, at: Timestamp(nanoseconds: time)) }
        _ = queue.popFirst()
        let listed = queue.unorderedEvents.sorted { $0.event < $1.event }
        #expect(listed.map(\.event) == [0, 1, 2, 3])
        #expect(listed.map(\.time.nanoseconds) == Array(times.prefix(4)))
    }

    @Test func valueSemantics() {
        var queue = EventQueue<Int>()
        for index in 0..<10 { queue.push(index, at: Timestamp(nanoseconds: Int64(10 - index))) }
        let copy = queue
        _ = queue.popFirst()
        queue.push(99, at: .zero)
        #expect(copy.count == 10)
        var copyToDrain = copy
        #expect(Self.drain(&copyToDrain).map(\.event) == Array((0..<10).reversed()))
    }

    // MARK: Model-based property test

    /// One step of a generated run.
    enum Operation: Hashable, CustomStringConvertible {
        case push(Int64)
        case pop

        var description: String {
            switch self {
            case .push(let time): "push@\(time)"
            case .pop: "pop"
            }
        }
    }

    /// Two seeds in the everyday run, six in a thorough one (`BRANCHTREE_THOROUGH=1`).
    static let seeds = Thoroughness.current.seeds(1...6, quick: 2)

    /// A run for `seed`: phases that grow the queue well past the debug full-check size
    /// and drain it again, with times from a narrow range (many ties), the calendar's
    /// scale (three rings' worth of buckets: the ring, the overflow and jumps between
    /// them), a wide one, or the extremes of `Int64`.
    static func operations(seed: UInt64) -> [Operation] {
        var random = Xoshiro256StarStar(seed: seed)
        var result: [Operation] = []
        let calendarSpan = UInt64(3 * EventQueue<Int>.ringSize) << UInt64(EventQueue<Int>.bucketShift)
        let phases: [(pushProbability: Double, length: Int)] = [
            (0.9, 900), (0.5, 400), (0.1, 900), (0.7, 500), (0.2, 500),
        ]
        for (pushProbability, length) in phases {
            for _ in 0..<length {
                guard random.nextBool(probability: pushProbability) else {
                    result.append(.pop)
                    continue
                }
                let time: Int64
                switch random.next(below: 50) {
                case 0: time = .min
                case 1: time = .max
                case 2: time = -1
                default:
                    switch seed % 3 {
                    case 0: time = Int64(random.next(below: 40))
                    case 1: time = Int64(random.next() % calendarSpan)
                    default: time = Int64(bitPattern: random.next()) >> Int64(random.next(below: 64))
                    }
                }
                result.append(.push(time))
            }
        }
        return result
    }

    /// Replays `operations` on a queue and on a sorted array (insertion after every equal
    /// time), comparing after every step; returns the first difference.
    static func firstMismatch(_ operations: [Operation]) -> String? {
        var queue = EventQueue<Int>()
        var model: [(time: Int64, event: Int)] = []
        for (step, operation) in operations.enumerated() {
            switch operation {
            case .push(let time):
                queue.push(step, at: Timestamp(nanoseconds: time))
                let index = model.firstIndex { $0.time > time } ?? model.endIndex
                model.insert((time, step), at: index)
            case .pop:
                let popped = queue.popFirst().map { (time: $0.time.nanoseconds, event: $0.event) }
                let expected = model.isEmpty ? nil : model.removeFirst()
                if popped?.time != expected?.time || popped?.event != expected?.event {
                    return
                        "step \(step): popped \(String(describing: popped)), expected \(String(describing: expected))"
                }
            }
            if queue.count != model.count { return "step \(step): count \(queue.count), expected \(model.count)" }
            if queue.peekTime?.nanoseconds != model.first?.time {
                return
                    "step \(step): peekTime \(String(describing: queue.peekTime)), expected \(String(describing: model.first?.time))"
            }
            if step % 97 == 0, let violation = queue.invariantViolation() { return "step \(step): \(violation)" }
        }
        return nil
    }

    /// Drops chunks, then single operations, while the run still fails.
    static func shrink(_ operations: [Operation]) -> [Operation] {
        var current = operations
        var chunk = max(1, current.count / 2)
        while chunk >= 1 {
            var start = 0
            while start < current.count {
                var candidate = current
                candidate.removeSubrange(start..<min(start + chunk, candidate.count))
                if firstMismatch(candidate) != nil { current = candidate } else { start += chunk }
            }
            chunk /= 2
        }
        return current
    }

    @Test(arguments: seeds)
    func matchesSortedArrayModel(seed: UInt64) {
        let operations = Self.operations(seed: seed)
        guard let mismatch = Self.firstMismatch(operations) else { return }
        let smallest = Self.shrink(operations)
        Issue.record(
            """
            seed \(seed): \(mismatch)
            smallest failing run (\(smallest.count) operations): \(smallest)
            which fails with: \(Self.firstMismatch(smallest) ?? "?")
            """)
    }

    @Test func generatedRunsReachTheLocalCheckSizeAndEmptyAgain() {
        var largest = 0
        var emptied = false
        for seed in Self.seeds {
            var size = 0
            for operation in Self.operations(seed: seed) {
                if case .push = operation { size += 1 } else if size > 0 { size -= 1 }
                largest = max(largest, size)
            }
            emptied = emptied || size == 0
        }
        #expect(largest > 2 * EventQueue<Int>.debugFullCheckLimit)
        #expect(emptied)
    }
}
