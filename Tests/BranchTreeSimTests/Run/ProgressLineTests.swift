import Testing

@testable import BranchTreeSim

@Suite struct ProgressLineTests {
    @Test func theLineSaysTimeEventsAndSpeed() {
        #expect(
            ProgressLine.text(simulatedSeconds: 720, totalSeconds: 3_600, events: 812_345, eventsPerSecond: 1_234_567)
                == "simulated 12:00 / 1:00:00 · 812,345 events · 1.2 M events/s")
        #expect(
            ProgressLine.text(simulatedSeconds: 4_000, totalSeconds: 3_600, events: 7, eventsPerSecond: 950.4)
                == "simulated 1:00:00 / 1:00:00 · 7 events · 950 events/s")
    }

    @Test(arguments: [(0.0, "0"), (9_999, "9999"), (12_345, "12.3 k"), (1_250_000, "1.3 M"), (-1, "0"), (.nan, "0")])
    func rate(perSecond: Double, text: String) {
        #expect(ProgressLine.rate(perSecond) == text)
    }

    @Test func updatesAreRateLimitedAndClearedAtTheEnd() {
        let start = ContinuousClock.Instant.now
        var line = ProgressLine(totalSeconds: 60, started: start)
        #expect(line.finish() == "", "nothing drawn, nothing to clear")
        let first = line.update(simulatedSeconds: 1, events: 10, now: start + .milliseconds(10))
        #expect(first == "\r\u{1B}[Ksimulated 0:01 / 1:00 · 10 events · 1000 events/s")
        #expect(line.update(simulatedSeconds: 2, events: 20, now: start + .milliseconds(100)) == nil)
        #expect(line.update(simulatedSeconds: 3, events: 30, now: start + .milliseconds(259)) == nil)
        #expect(line.update(simulatedSeconds: 4, events: 40, now: start + .milliseconds(260)) != nil)
        #expect(line.finish() == "\r\u{1B}[K")
    }

    @Test func progressIsNeverShownOnAStringOrAPipe() {
        #expect(!ProgressLine.isShown(on: ""))
        // Under `swift test` standard error is a pipe or a file unless run by hand.
        let run = SimRun(["run", "--audience", "50", "--duration", "60"])
        #expect(run.stderr.isEmpty)
    }
}
