import BranchTree
import Testing

@testable import BranchTreeSim

@Suite struct BatchProgressTests {
    let start = ContinuousClock.now

    @Test func theLineSaysEstimatingUntilASimulationHasFinished() {
        var progress = BatchProgress(estimatedWork: [100, 300, 600], started: start)
        progress.recordAdvance(2, fraction: 0.9)
        #expect(progress.secondsLeft(at: start + .seconds(5)) == nil)
        #expect(progress.statusText(at: start + .seconds(5)) == "0/3 simulations · 0:05 elapsed · estimating…")
    }

    @Test func timeLeftIsTheWorkLeftAtThePaceOfTheWorkDone() {
        var progress = BatchProgress(estimatedWork: [100, 300, 600], started: start)
        #expect(progress.totalWork == 1_000)
        progress.recordAdvance(1, fraction: 0.5)
        progress.recordAdvance(2, fraction: 0.25)
        #expect(progress.recordFinished(0) == 1)
        // 100 + 150 + 150 of 1,000 done in 10 s: 600 left at 40 per second.
        #expect(progress.secondsLeft(at: start + .seconds(10)) == 15)
        #expect(progress.statusText(at: start + .seconds(10)) == "1/3 simulations · 0:10 elapsed · 0:15 left")
        #expect(progress.recordFinished(2) == 2)
        // 100 + 150 + 600 done in 85 s: 150 left, 15 s at 10 per second.
        #expect(progress.secondsLeft(at: start + .seconds(85)) == 15)
        #expect(progress.recordFinished(1) == 3)
        #expect(progress.secondsLeft(at: start + .seconds(90)) == 0)
        #expect(progress.statusText(at: start + .seconds(3_725.5)) == "3/3 simulations · 1:02:05 elapsed · 0:00 left")
    }

    @Test func nothingIsLeftOnceAllHaveFinishedWhateverTheRounding() {
        // 1.1 + 1.3 + 1.2 is 3.6000000000000005, and 1.2 + 1.3 + 1.1 is 3.6.
        var progress = BatchProgress(estimatedWork: [1.1, 1.3, 1.2], started: start)
        for index in [2, 1, 0] { _ = progress.recordFinished(index) }
        #expect(progress.secondsLeft(at: start + .seconds(100)) == 0)
        #expect(progress.statusText(at: start + .seconds(100)) == "3/3 simulations · 1:40 elapsed · 0:00 left")
    }

    @Test func runningSimulationsCountSoParallelThreadsSetThePace() {
        // Two threads, four equal simulations, one unit of work per second each: at 10 s
        // the first two are done and 20 units are left, 10 s at two threads' pace.
        var progress = BatchProgress(estimatedWork: [10, 10, 10, 10], started: start)
        progress.recordAdvance(1, fraction: 1)
        _ = progress.recordFinished(0)
        #expect(progress.secondsLeft(at: start + .seconds(10)) == 10)
        _ = progress.recordFinished(1)
        progress.recordAdvance(2, fraction: 0.5)
        progress.recordAdvance(3, fraction: 0.5)
        #expect(progress.secondsLeft(at: start + .seconds(15)) == 5)
    }

    @Test func fractionsAreClampedAndIgnoredOnceFinished() {
        var progress = BatchProgress(estimatedWork: [10, 10], started: start)
        _ = progress.recordFinished(0)
        progress.recordAdvance(0, fraction: 1)
        progress.recordAdvance(1, fraction: 7)
        #expect(progress.secondsLeft(at: start + .seconds(10)) == 0, "finished once, and the other at most all done")
        progress.recordAdvance(1, fraction: -3)
        #expect(progress.secondsLeft(at: start + .seconds(10)) == 10)
        progress.recordAdvance(1, fraction: .nan)
        #expect(progress.secondsLeft(at: start + .seconds(10)) == 10)
    }

    @Test(arguments: [(0.0, 1.0), (-5, 1), (0.5, 1), (1, 1), (2.5, 2.5), (1e9, 1e9), (.nan, 1), (.infinity, 1)])
    func everySimulationWeighsAtLeastOne(work: Double, weight: Double) {
        #expect(BatchProgress.weight(ofEstimatedWork: work) == weight)
    }

    /// One thread, every simulation taking its work in seconds, in a random order: at
    /// each finish the estimate is exactly the work left.
    @Test(arguments: 0..<20)
    func oneThreadAtAnEvenPaceIsEstimatedExactly(seed: UInt64) {
        var random = Xoshiro256StarStar(seed: seed)
        let works = (0..<(1 + random.next(below: 12))).map { _ in Double(1 + random.next(below: 1_000)) }
        var order = Array(works.indices)
        for position in order.indices.reversed() {
            order.swapAt(position, random.next(below: position + 1))
        }
        var progress = BatchProgress(estimatedWork: works, started: start)
        var elapsed = 0.0
        var left = works.reduce(0, +)
        for (number, index) in order.enumerated() {
            // Halfway through, the running one has done half its work.
            progress.recordAdvance(index, fraction: 0.5)
            let halfway = elapsed + works[index] / 2
            let estimate = progress.secondsLeft(at: start + .seconds(halfway))
            if number == 0 {
                #expect(estimate == nil)
            } else {
                #expect(abs(estimate! - (left - works[index] / 2)) < 1e-6 * left, "seed \(seed)")
            }
            elapsed += works[index]
            left -= works[index]
            #expect(progress.recordFinished(index) == number + 1)
            #expect(abs(progress.secondsLeft(at: start + .seconds(elapsed))! - left) < 1e-6 * works.reduce(0, +))
        }
        #expect(progress.secondsLeft(at: start + .seconds(elapsed)) == 0)
    }

    @Test func redrawsAreRateLimitedUnlessAFinishAsksAndClearedAtTheEnd() {
        var progress = BatchProgress(estimatedWork: [1, 1], started: start)
        #expect(progress.erase() == "", "nothing drawn, nothing to clear")
        #expect(
            progress.redraw(at: start, always: false) == "\r\u{1B}[K0/2 simulations · 0:00 elapsed · estimating…")
        #expect(progress.redraw(at: start + .milliseconds(249), always: false) == nil)
        #expect(progress.redraw(at: start + .milliseconds(250), always: false) != nil)
        _ = progress.recordFinished(1)
        #expect(
            progress.redraw(at: start + .milliseconds(300), always: true)
                == "\r\u{1B}[K1/2 simulations · 0:00 elapsed · 0:01 left", "a second left, rounded up")
        #expect(progress.erase() == "\r\u{1B}[K")
    }

    @Test func anEmptyBatchDrawsNothing() {
        var progress = BatchProgress(estimatedWork: [], started: start)
        #expect(progress.redraw(at: start, always: true) == nil)
        #expect(progress.erase() == "")
    }

    @Test(arguments: [(4.2, "4.2"), (4.25, "4.3"), (0, "0.0"), (-1, "0.0"), (754.04, "754.0")])
    func aFinishedLineNamesTheSimulationAndItsWallTime(seconds: Double, text: String) {
        #expect(
            BatchProgress.finishedLine(3, of: 12, description: "fan-out 3, skyway", wallSeconds: seconds)
                == "[3/12] fan-out 3, skyway: \(text) s\n")
    }
}
