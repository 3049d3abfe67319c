import Testing

@testable import BranchTree

@Suite struct ProtocolTimingsTests {
    @Test func defaultsAreTheDocumentedWaits() {
        let timings = ProtocolTimings()
        #expect(timings.joinRetry == .seconds(3))
        #expect(timings.connectTimeout == .seconds(15))
        #expect(timings.repairTimeout == .seconds(40))
        #expect(timings.restoreWindow == .seconds(10))
    }

    /// Every wait reads back as the whole nanoseconds it was set to, and a deadline made
    /// from the stored nanoseconds is the one `Timestamp + Duration` gives, saturation
    /// included.
    @Test(arguments: [
        Timestamp.zero, .seconds(12.5), Timestamp(nanoseconds: .max - 5), Timestamp(nanoseconds: .min + 5),
    ])
    func deadlinesAgreeWithDurationArithmetic(now: Timestamp) {
        for duration in TimestampTests.durations() {
            var timings = ProtocolTimings()
            timings.joinRetry = duration
            timings.connectTimeout = duration
            timings.repairTimeout = duration
            timings.restoreWindow = duration
            let whole = Duration.nanoseconds(duration.nanosecondsClamped)
            #expect(timings.joinRetry == whole && timings.connectTimeout == whole, "\(duration)")
            #expect(timings.repairTimeout == whole && timings.restoreWindow == whole, "\(duration)")
            let expected = now + duration
            #expect(now.adding(nanoseconds: timings.joinRetryNanoseconds) == expected, "\(duration)")
            #expect(now.adding(nanoseconds: timings.connectTimeoutNanoseconds) == expected, "\(duration)")
            #expect(now.adding(nanoseconds: timings.repairTimeoutNanoseconds) == expected, "\(duration)")
            #expect(now.adding(nanoseconds: timings.restoreWindowNanoseconds) == expected, "\(duration)")
        }
    }

    @Test func theInitialiserTakesEachWait() {
        let timings = ProtocolTimings(
            joinRetry: .milliseconds(1), connectTimeout: .milliseconds(2), repairTimeout: .milliseconds(3),
            restoreWindow: .milliseconds(4))
        #expect(timings.joinRetryNanoseconds == 1_000_000)
        #expect(timings.connectTimeoutNanoseconds == 2_000_000)
        #expect(timings.repairTimeoutNanoseconds == 3_000_000)
        #expect(timings.restoreWindowNanoseconds == 4_000_000)
        #expect(timings != ProtocolTimings())
    }
}
