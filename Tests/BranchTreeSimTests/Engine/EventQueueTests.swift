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

    @Test func poppingBeforeALimitOpensNoBucketAfterIt() {
        var queue = EventQueue<String>()
        queue.push("now", at: Self.time(fine: 0))
        queue.push("later", at: Self.time(fine: 3))
        queue.push("next coarse", at: Self.time(coarse: 1))
        #expect(queue.popFirst(before: Self.time(fine: 0, plus: 1))?.event == "now")
        #expect(queue.popFirst(before: Self.time(fine: 3)) == nil)
        #expect(queue.near.isEmpty && queue.calendarCounts == (1, 1))  // fine bucket 3 not opened
        #expect(queue.popFirst(before: Self.time(fine: 3, plus: 1))?.event == "later")
        #expect(queue.popFirst(before: Self.time(coarse: 1)) == nil)
        #expect(queue.calendarCounts == (0, 1))  // coarse bucket 1 not dealt out
        #expect(queue.invariantViolation() == nil)
        #expect(queue.popFirst(before: nil)?.event == "next coarse")
    }

    @Test func openingBucketsDropsWhatTheCallerSaysOnce() {
        var queue = EventQueue<Int>()
        // Forty events over four fine buckets, three in a fifth bucket all dropped, one in
        // the next coarse bucket.
        func time(of event: Int) -> Timestamp {
            event >= 300
                ? Self.time(fine: 5, plus: Int64(event)) : Self.time(fine: Int64(event % 4), plus: Int64(event))
        }
        for event in Array(0..<40) + [300, 303, 306] { queue.push(event, at: time(of: event)) }
        queue.push(100, at: Self.time(coarse: 1))
        var seen: [Int] = []
        var popped: [Int] = []
        while true {
            if !queue.hasOpenedEvent {
                queue.openBuckets(before: nil) { due, event in
                    seen.append(event)
                    if event != 100 { #expect(due == time(of: event)) }
                    return event % 3 == 0
                }
            }
            // Pushed into the opened bucket: never seen by the filter.
            if popped.count == 1 { queue.push(999, at: Self.time(fine: 0, plus: 50)) }
            guard let (_, event) = queue.popFirst(before: nil) else { break }
            popped.append(event)
        }
        #expect(seen.sorted() == Array(0..<40) + [100, 300, 303, 306])
        let kept = (0..<40).filter { $0 % 3 != 0 }.sorted { ($0 % 4, $0) < ($1 % 4, $1) }
        let firstBucket = kept.filter { $0 % 4 == 0 }
        #expect(popped == firstBucket + [999] + kept.dropFirst(firstBucket.count) + [100])
        #expect(queue.isEmpty && queue.invariantViolation() == nil)
    }

    /// The start of fine bucket `bucket`, plus `offset` nanoseconds.
    private static func time(fine bucket: Int64, plus offset: Int64 = 0) -> Timestamp {
        Timestamp(nanoseconds: bucket << EventQueue<String>.fineShift + offset)
    }

    /// The start of coarse bucket `bucket`, plus `offset` nanoseconds.
    private static func time(coarse bucket: Int64, plus offset: Int64 = 0) -> Timestamp {
        Timestamp(nanoseconds: bucket << EventQueue<String>.coarseShift + offset)
    }

    @Test func opensFineBucketsInOrderAndTakesLatePushesIntoTheNearHeap() {
        var queue = EventQueue<String>()
        queue.push("a", at: Self.time(fine: 2))
        queue.push("b", at: Self.time(fine: 1, plus: 5))
        queue.push("c", at: Self.time(fine: 1))
        #expect(queue.near.isEmpty)  // nothing opened yet: all in the fine buckets
        #expect(queue.calendarCounts == (3, 0))
        #expect(queue.popFirst()?.event == "c")  // opens fine bucket 1 only
        #expect(queue.near.count == 1)
        queue.push("d", at: Self.time(fine: 1, plus: 5))  // an opened bucket: near, after "b"
        queue.push("e", at: Self.time(fine: 0))  // in the past: near, and first
        queue.push("f", at: Self.time(fine: 2))  // a fine bucket, after "a" at the same time
        #expect(queue.near.count == 3)
        #expect(queue.calendarCounts == (2, 0))
        #expect(queue.peekTime == Self.time(fine: 0))
        #expect(Self.drain(&queue).map(\.event) == ["e", "b", "d", "a", "f"])
    }

    @Test func coarseBucketsAreDealtOutIntoFineBucketsWhenReached() {
        var queue = EventQueue<String>()
        let last = EventQueue<String>.finePerCoarse - 1
        queue.push("next coarse, late", at: Self.time(coarse: 1, plus: 9 << EventQueue<String>.fineShift))
        queue.push("next coarse", at: Self.time(coarse: 1))
        queue.push("last fine", at: Self.time(fine: last))
        queue.push("next coarse again", at: Self.time(coarse: 1))
        #expect(queue.calendarCounts == (1, 3))
        #expect(queue.peekTime == Self.time(fine: last))
        #expect(queue.popFirst()?.event == "last fine")
        // The current coarse bucket is done: its last fine bucket is the near heap.
        queue.push("still the current coarse", at: Self.time(fine: last, plus: 1))
        #expect(queue.near.count == 1 && queue.calendarCounts == (0, 3))
        #expect(queue.peekTime == Self.time(fine: last, plus: 1))
        #expect(queue.popFirst()?.event == "still the current coarse")
        #expect(queue.popFirst()?.event == "next coarse")  // deals coarse bucket 1 out
        #expect(queue.calendarCounts == (1, 0))
        #expect(queue.invariantViolation() == nil)
        queue.push("in the opened fine bucket", at: Self.time(coarse: 1, plus: 1))
        #expect(queue.near.count == 2)
        queue.push(
            "a fine bucket of the new current coarse", at: Self.time(coarse: 1, plus: 1 << EventQueue<String>.fineShift)
        )
        #expect(queue.calendarCounts == (2, 0))
        #expect(
            Self.drain(&queue).map(\.event) == [
                "next coarse again", "in the opened fine bucket", "a fine bucket of the new current coarse",
                "next coarse, late",
            ])
    }

    @Test func eventsBeyondTheRingWaitInTheOverflow() {
        var queue = EventQueue<String>()
        let ring = EventQueue<String>.ringSize
        queue.push("far", at: Self.time(coarse: 3 * ring))
        queue.push("edge", at: Self.time(coarse: ring))  // the first coarse bucket past the ring
        queue.push("inside", at: Self.time(coarse: ring - 1))
        #expect(queue.overflow.count == 2)
        #expect(queue.calendarCounts == (0, 1))
        #expect(queue.peekTime == Self.time(coarse: ring - 1))
        // Reaching coarse bucket ring - 1 brings bucket 2·ring - 1 into the ring, "edge" with it.
        #expect(queue.popFirst()?.event == "inside")
        #expect(queue.overflow.count == 1)
        #expect(queue.calendarCounts == (0, 1))
        #expect(queue.invariantViolation() == nil)
        #expect(queue.popFirst()?.event == "edge")
        // With the ring empty the queue jumps straight to the overflow's first coarse bucket.
        #expect(queue.popFirst()?.event == "far")
        #expect(queue.isEmpty && queue.invariantViolation() == nil)
    }

    @Test func reusesEmptiedBucketBuffersWithoutMixingTheirEvents() throws {
        var queue = EventQueue<Int>()
        var expected: [(time: Int64, event: Int)] = []
        var next = 0
        func push(coarse bucket: Int64, offsets: [Int64]) {
            for offset in offsets {
                let time = Self.time(coarse: bucket, plus: offset)
                queue.push(next, at: time)
                expected.append((time.nanoseconds, next))
                next += 1
            }
        }
        // Coarse buckets dealt out one after another hand their buffers on to coarse
        // buckets that get their first entry later.
        for bucket in Int64(1)..<300 { push(coarse: bucket, offsets: [9, 3, 3]) }
        var popped: [(time: Int64, event: Int)] = []
        var recycled = 0
        for round in Int64(0)..<150 {
            for _ in 0..<3 {
                let first = queue.popFirst()
                let (time, event) = try #require(first)
                popped.append((time.nanoseconds, event))
            }
            // The coarse bucket just dealt out left its buffer spare; a new bucket takes it.
            if queue.spareBucketCount > 0 { recycled += 1 }
            push(coarse: 300 + round, offsets: [1, 0])
            push(coarse: round + 200, offsets: [5])
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

    @Test func openedEventsAreTheNextTwoToComeOut() {
        var queue = EventQueue<Int>()
        #expect(queue.openedFirstEvent == nil)
        for (index, time) in [40, 10, 30, 20, 50].enumerated() {
            queue.push(index, at: Timestamp(nanoseconds: Int64(time)))
        }
        // Nothing is opened before the first pop.
        #expect(queue.openedFirstEvent == nil)
        #expect(queue.popFirst()?.event == 1)
        #expect(queue.openedFirstEvent == 3)
        #expect(queue.openedSecondEvent == 2)
        queue.push(5, at: Timestamp(nanoseconds: 15))
        #expect(queue.openedFirstEvent == 5)
        #expect(queue.openedSecondEvent == 3)
        var order: [Int] = []
        while let second = queue.openedSecondEvent {
            let first = queue.openedFirstEvent
            let popped = queue.popFirst()?.event
            #expect(popped == first)
            #expect(queue.openedFirstEvent == second)
            order.append(popped ?? -1)
        }
        #expect(order == [5, 3, 2, 0])
        #expect(queue.openedFirstEvent == 4)
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

    /// One step of a generated run. Times after "now" count from the time of the last
    /// event popped, as a simulation's do, so that pushes land in the opened fine bucket,
    /// the current coarse bucket, the ring and the overflow alike.
    enum Operation: Hashable, CustomStringConvertible {
        case push(Int64)
        case pushAfterNow(Int64)
        case pop
        case popBefore(afterNow: Int64)

        var description: String {
            switch self {
            case .push(let time): "push@\(time)"
            case .pushAfterNow(let offset): "push@now+\(offset)"
            case .pop: "pop"
            case .popBefore(let offset): "pop<now+\(offset)"
            }
        }
    }

    /// Four seeds in the everyday run, eight in a thorough one (`BRANCHTREE_THOROUGH=1`):
    /// each of the four time scales at least once.
    static let seeds = Thoroughness.current.seeds(1...8, quick: 4)

    /// A run for `seed`: phases that grow the queue well past the debug full-check size
    /// and drain it again, some pops only before a limit, with times from a narrow range
    /// (many ties) or at one of the calendar's scales after now (a few fine buckets, a
    /// few dozen coarse ones, three rings' worth: the ring, the overflow and jumps
    /// between them), and now and then a wide one, the extremes of `Int64` or now itself.
    static func operations(seed: UInt64) -> [Operation] {
        var random = Xoshiro256StarStar(seed: seed)
        var result: [Operation] = []
        let span: UInt64 =
            switch seed % 4 {
            case 0: 40
            case 1: UInt64(1) << UInt64(EventQueue<Int>.fineShift + 3)
            case 2: UInt64(1) << UInt64(EventQueue<Int>.coarseShift + 5)
            default: UInt64(3 * EventQueue<Int>.ringSize) << UInt64(EventQueue<Int>.coarseShift)
            }
        let phases: [(pushProbability: Double, length: Int)] = [
            (0.9, 900), (0.5, 400), (0.1, 900), (0.7, 500), (0.2, 500),
        ]
        for (pushProbability, length) in phases {
            for _ in 0..<length {
                guard random.nextBool(probability: pushProbability) else {
                    let limited = random.nextBool(probability: 0.2)
                    result.append(limited ? .popBefore(afterNow: Int64(random.next() % span)) : .pop)
                    continue
                }
                switch random.next(below: 50) {
                case 0: result.append(.push(.min))
                case 1: result.append(.push(.max))
                case 2: result.append(.push(-1))
                case 3: result.append(.pushAfterNow(0))
                case 4...7: result.append(.push(Int64(bitPattern: random.next()) >> Int64(random.next(below: 64))))
                default: result.append(.pushAfterNow(Int64(random.next() % span)))
                }
            }
        }
        return result
    }

    /// Replays `operations` on a queue and on a sorted array (insertion after every equal
    /// time), comparing after every step; returns the first difference.
    static func firstMismatch(_ operations: [Operation]) -> String? {
        replay(operations).mismatch
    }

    /// Replays `operations` as ``firstMismatch(_:)`` does; returns the first difference,
    /// else the largest size the queue reached and its size at the end.
    static func replay(_ operations: [Operation]) -> (mismatch: String?, largest: Int, final: Int) {
        var queue = EventQueue<Int>()
        var largest = 0
        var model: [(time: Int64, event: Int)] = []
        var now: Int64 = 0
        func afterNow(_ offset: Int64) -> Int64 {
            let (sum, overflow) = now.addingReportingOverflow(offset)
            return overflow ? .max : sum
        }
        for (step, operation) in operations.enumerated() {
            var limit: Int64?
            switch operation {
            case .push(let time), .pushAfterNow(let time):
                let time = if case .pushAfterNow = operation { afterNow(time) } else { time }
                queue.push(step, at: Timestamp(nanoseconds: time))
                let index = model.firstIndex { $0.time > time } ?? model.endIndex
                model.insert((time, step), at: index)
            case .popBefore(let offset):
                limit = afterNow(offset)
                fallthrough
            case .pop:
                let popped = queue.popFirst(before: limit.map(Timestamp.init(nanoseconds:))).map {
                    (time: $0.time.nanoseconds, event: $0.event)
                }
                let due = model.first.map { first in limit.map { first.time < $0 } ?? true } ?? false
                let expected = due ? model.removeFirst() : nil
                if popped?.time != expected?.time || popped?.event != expected?.event {
                    let mismatch =
                        "step \(step): popped \(String(describing: popped)), expected \(String(describing: expected))"
                    return (mismatch, largest, queue.count)
                }
                // The clock only moves forward; `.min` may still be pushed.
                if let time = popped?.time, time > now { now = time }
            }
            largest = max(largest, queue.count)
            let mismatch: String? =
                if queue.count != model.count {
                    "step \(step): count \(queue.count), expected \(model.count)"
                } else if queue.peekTime?.nanoseconds != model.first?.time {
                    "step \(step): peekTime \(String(describing: queue.peekTime)), "
                        + "expected \(String(describing: model.first?.time))"
                } else if let first = queue.openedFirstEvent, first != model.first?.event {
                    "step \(step): openedFirstEvent \(first), expected \(String(describing: model.first?.event))"
                } else if let second = queue.openedSecondEvent, model.count < 2 || second != model[1].event {
                    "step \(step): openedSecondEvent \(second), expected \(model.count < 2 ? "none" : "\(model[1].event)")"
                } else if step % 97 == 0, let violation = queue.invariantViolation() {
                    "step \(step): \(violation)"
                } else {
                    nil
                }
            if let mismatch { return (mismatch, largest, queue.count) }
        }
        return (nil, largest, queue.count)
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
        let runs = Self.seeds.map { Self.replay(Self.operations(seed: $0)) }
        let largest = runs.map(\.largest).max() ?? 0
        let emptied = runs.contains { $0.final == 0 }
        #expect(largest > 2 * EventQueue<Int>.debugFullCheckLimit)
        #expect(emptied)
    }
}
