import BranchTree
import Testing

@testable import BranchTreeSim

@Suite struct TimestampNanosecondsTests {
    /// Times and spans from nanoseconds to decades (below 2⁶² ns), either sign,
    /// and the ends of `Int64`.
    static func samples(seed: UInt64) -> [(Int64, Int64)] {
        var random = Xoshiro256StarStar(seed: seed)
        var pairs: [(Int64, Int64)] = [(0, 0), (.max, 1), (.min, -1), (.max - 5, 10), (.min + 5, -10), (1, .max)]
        for _ in 0..<2_000 {
            let scale = Int64(1) << Int64(random.next(below: 43))
            let time = Int64(random.next(below: 1 << 20)) * scale
            let span = Int64(random.next(below: 1 << 20)) * scale
            pairs.append(
                (random.nextBool(probability: 0.8) ? time : -time, random.nextBool(probability: 0.8) ? span : -span))
        }
        return pairs
    }

    @Test("advanced(byNanoseconds:) is + Duration, saturating alike", arguments: [1, 2, 3] as [UInt64])
    func advancedMatchesDuration(seed: UInt64) {
        for (time, span) in Self.samples(seed: seed) {
            let start = Timestamp(nanoseconds: time)
            #expect(start.advanced(byNanoseconds: span) == start + .nanoseconds(span), "\(time) + \(span)")
        }
    }

    @Test("seconds(since:) is (a - b).secondsDouble to the bit", arguments: [1, 2, 3] as [UInt64])
    func secondsMatchDuration(seed: UInt64) {
        for (time, span) in Self.samples(seed: seed) where time.subtractingReportingOverflow(span).overflow == false {
            let later = Timestamp(nanoseconds: time)
            let earlier = Timestamp(nanoseconds: time - span)
            let expected = (later - earlier).secondsDouble
            #expect(later.seconds(since: earlier).bitPattern == expected.bitPattern, "\(time) - \(time - span)")
        }
    }
}
