import Dispatch
import Testing

@testable import BranchTreeSim

@Suite struct BatchProgressReporterTests {
    static let clear = "\r\u{1B}[K"

    @Test func aLinePerSimulationInFinishingOrderAndNothingElse() {
        let reporter = BatchProgressReporter(
            display: .linePerSimulation, estimatedWork: [1, 2, 3], destination: .buffer)
        reporter.simulationAdvanced(1, fraction: 0.5)
        reporter.simulationFinished(2, description: "c", wallSeconds: 0.04)
        reporter.simulationFinished(0, description: "a", wallSeconds: 12.25)
        reporter.simulationFinished(1, description: "b", wallSeconds: 3)
        #expect(reporter.finish() == "[1/3] c: 0.0 s\n[2/3] a: 12.3 s\n[3/3] b: 3.0 s\n")
        #expect(reporter.finish() == "", "the buffer is handed over once")
    }

    @Test func theStatusLineIsDrawnAtOnceRedrawnAsTimePassesAndErased() {
        let clock = ManualClock()
        let reporter = BatchProgressReporter(
            display: .statusLine, estimatedWork: [100, 100], destination: .buffer, now: clock.now)
        clock.advance(by: .seconds(5))
        reporter.simulationAdvanced(0, fraction: 0.5)
        clock.advance(by: .milliseconds(100))
        reporter.simulationAdvanced(1, fraction: 0.5)  // too soon to redraw
        clock.advance(by: .milliseconds(4_900))
        reporter.simulationFinished(0, description: "a", wallSeconds: 10)
        clock.advance(by: .seconds(1))
        reporter.simulationAdvanced(1, fraction: 0.6)
        // At 10 s 100 + 50 of 200 are done: 50 left, 3.3 s; at 11 s 100 + 60: 40 left, 2.75 s.
        #expect(
            reporter.finish()
                == Self.clear + "0/2 simulations · 0:00 elapsed · estimating…"
                + Self.clear + "0/2 simulations · 0:05 elapsed · estimating…"
                + Self.clear + "1/2 simulations · 0:10 elapsed · 0:04 left"
                + Self.clear + "1/2 simulations · 0:11 elapsed · 0:03 left"
                + Self.clear)
    }

    @Test func withBothTheLinesScrollAboveTheStatusLine() {
        let clock = ManualClock()
        let reporter = BatchProgressReporter(
            display: [.statusLine, .linePerSimulation], estimatedWork: [1], destination: .buffer, now: clock.now)
        clock.advance(by: .seconds(2))
        reporter.simulationFinished(0, description: "only", wallSeconds: 2)
        #expect(
            reporter.finish()
                == Self.clear + "0/1 simulations · 0:00 elapsed · estimating…"
                + Self.clear + "[1/1] only: 2.0 s\n"
                + Self.clear + "1/1 simulations · 0:02 elapsed · 0:00 left"
                + Self.clear)
    }

    @Test func standardErrorLeavesNothingBuffered() {
        // Nothing is drawn (lines only), so nothing reaches the test's standard error.
        let reporter = BatchProgressReporter(
            display: .linePerSimulation, estimatedWork: [], destination: .standardError)
        #expect(reporter.finish() == "")
    }

    /// Simulations finishing on many threads at once: every line whole, numbered in
    /// order, each simulation once.
    @Test func finishesFromManyThreadsAreSerialised() {
        let count = 400
        let reporter = BatchProgressReporter(
            display: [.statusLine, .linePerSimulation], estimatedWork: Array(repeating: 1, count: count),
            destination: .buffer)
        DispatchQueue.concurrentPerform(iterations: count) { index in
            reporter.simulationAdvanced(index, fraction: 0.5)
            reporter.simulationFinished(index, description: "simulation \(index)", wallSeconds: 1)
        }
        let lines = reporter.finish().split(separator: "\n", omittingEmptySubsequences: false).map {
            // A line follows the erased status line; the last piece is the status line.
            String($0.split(separator: Self.clear, omittingEmptySubsequences: false).last!)
        }
        let finished = lines.dropLast()
        #expect(finished.count == count)
        var seen = Set<String>()
        for (position, line) in finished.enumerated() {
            let prefix = "[\(position + 1)/\(count)] simulation "
            #expect(line.hasPrefix(prefix) && line.hasSuffix(": 1.0 s"), "\(line)")
            seen.insert(String(line.dropFirst(prefix.count).dropLast(": 1.0 s".count)))
        }
        #expect(seen == Set((0..<count).map(String.init)))
        #expect(lines.last == "", "the status line erased at the end")
    }
}
