import BranchTree
import BranchTreeTesting
import Testing

@testable import BranchTreeSim

@Suite struct TreeEventQueueTests {
    @Test func equalTimesPopInPushOrderAndLimitsStopThePop() {
        var queue = TreeEventQueue<String>()
        queue.push("late", at: .seconds(7_200))
        queue.push("b", at: .seconds(1))
        queue.push("c", at: .seconds(1))
        queue.push("a", at: .zero)
        #expect(queue.count == 4)
        #expect(queue.popFirst(before: nil)?.event == "a")
        #expect(queue.popFirst(before: .seconds(1)) == nil)
        #expect(queue.popFirst(before: .seconds(2))?.event == "b")
        #expect(queue.popFirst(before: nil)?.event == "c")
        // Far beyond the ring (about 4.9 hours): from the overflow.
        #expect(queue.popFirst(before: nil).map { ($0.time, $0.event) } ?? (.zero, "") == (.seconds(7_200), "late"))
        #expect(queue.popFirst(before: nil) == nil && queue.count == 0)
    }

    /// Times for one generated run: ties, the calendar's scales (fine and coarse buckets,
    /// beyond the ring), and the extremes of `Int64`.
    static func time(_ random: inout Xoshiro256StarStar, seed: UInt64, now: Int64) -> Int64 {
        switch random.next(below: 40) {
        case 0: return .max
        case 1: return .min
        case 2: return now  // due at once
        default:
            let span: UInt64 =
                switch seed % 4 {
                case 0: 40
                case 1: UInt64(1) << UInt64(TreeEventQueue<Int>.fineShift + 3)
                case 2: UInt64(1) << UInt64(TreeEventQueue<Int>.coarseShift + 5)
                default: UInt64(3 * TreeEventQueue<Int>.ringSize) << UInt64(TreeEventQueue<Int>.coarseShift)
                }
            let (sum, overflow) = now.addingReportingOverflow(Int64(random.next() % span))
            return overflow ? .max : sum
        }
    }

    /// Pushes and pops (some before a limit) on this queue and on ``EventQueue``, whose
    /// order is the contract, and returns the first step where they differ.
    static func firstMismatch(seed: UInt64) -> String? {
        var random = Xoshiro256StarStar(seed: seed)
        var queue = TreeEventQueue<Int>()
        var reference = EventQueue<Int>()
        var now: Int64 = 0
        for step in 0..<6_000 {
            // Phases that fill the queue and drain it again.
            let pushProbability = [0.9, 0.3, 0.7, 0.1][step / 1_500]
            if random.nextBool(probability: pushProbability) {
                let time = Timestamp(nanoseconds: time(&random, seed: seed, now: now))
                queue.push(step, at: time)
                reference.push(step, at: time)
            } else {
                let limit: Timestamp? =
                    random.nextBool(probability: 0.2)
                    ? Timestamp(nanoseconds: time(&random, seed: seed, now: now)) : nil
                let popped = queue.popFirst(before: limit)
                let expected = reference.popFirst(before: limit)
                guard popped?.time == expected?.time, popped?.event == expected?.event else {
                    return
                        "seed \(seed), step \(step): popped \(String(describing: popped)), expected \(String(describing: expected))"
                }
                // The simulation's clock only moves forward; `.min` may still be pushed.
                if let time = popped?.time.nanoseconds, time > now { now = time }
            }
            guard queue.count == reference.count else { return "seed \(seed), step \(step): count \(queue.count)" }
        }
        return nil
    }

    @Test(arguments: Thoroughness.current.seeds(1...16, quick: 8))
    func popsInTheOrderOfEventQueue(seed: UInt64) {
        if let mismatch = Self.firstMismatch(seed: seed) { Issue.record(Comment(rawValue: mismatch)) }
    }
}
