import Testing

@testable import BranchTree

@Suite struct TimestampTests {
    /// Durations across the whole range: tiny, around a second, huge, and the extremes
    /// where the nanosecond count no longer fits 64 bits.
    static func durations() -> [Duration] {
        var random = Xoshiro256StarStar(seed: 128)
        var result: [Duration] = [
            .zero, .nanoseconds(1), .nanoseconds(-1), .nanoseconds(999), .seconds(1), .seconds(-1),
            .nanoseconds(Int64.max), .nanoseconds(Int64.min), .seconds(Int64.max), .seconds(Int64.min),
            .seconds(9_223_372_036), .seconds(9_223_372_037), .seconds(-9_223_372_037),
        ]
        for _ in 0..<5_000 {
            let seconds = Int64(bitPattern: random.next()) >> Int64(random.next(below: 64))
            let attoseconds = Int64(random.next(below: 1_000_000_000_000_000_000))
            let sign: Int64 = random.nextBool(probability: 0.5) ? 1 : -1
            result.append(Duration(secondsComponent: seconds, attosecondsComponent: sign * attoseconds))
        }
        return result
    }

    @Test func nanosecondsAgreeWithTheComponentsComputation() {
        for duration in Self.durations() {
            #expect(duration.nanosecondsClamped == duration.nanosecondsClampedFromComponents, "\(duration)")
        }
    }

    @Test func addingSaturatesInsteadOfWrapping() {
        #expect(Timestamp(nanoseconds: .max - 1) + .seconds(1) == Timestamp(nanoseconds: .max))
        #expect(Timestamp(nanoseconds: .min + 1) + .seconds(-1) == Timestamp(nanoseconds: .min))
        #expect(Timestamp.zero + .seconds(Int64.max) == Timestamp(nanoseconds: .max))
        #expect(Timestamp.seconds(1) + .milliseconds(1_500) == Timestamp(nanoseconds: 2_500_000_000))
        #expect(Timestamp.seconds(1) + .nanoseconds(-3) == Timestamp(nanoseconds: 999_999_997))
    }

    @Test func addingNanosecondsSaturatesLikeAddingADuration() {
        #expect(Timestamp(nanoseconds: .max - 1).adding(nanoseconds: 2) == Timestamp(nanoseconds: .max))
        #expect(Timestamp(nanoseconds: .min + 1).adding(nanoseconds: -2) == Timestamp(nanoseconds: .min))
        #expect(Timestamp.seconds(1).adding(nanoseconds: -3) == Timestamp(nanoseconds: 999_999_997))
        for duration in Self.durations() {
            let start = Timestamp(nanoseconds: duration.nanosecondsClamped / 3)
            #expect(start.adding(nanoseconds: duration.nanosecondsClamped) == start + duration, "\(duration)")
        }
    }

    @Test func secondsOfADuration() {
        #expect(Duration.milliseconds(1_500).secondsDouble == 1.5)
        #expect(Duration.nanoseconds(-250_000_000).secondsDouble == -0.25)
    }
}
