import BranchTree

/// How far a batch of simulations has got, and the text that shows it on standard error:
///
///     3/12 simulations · 0:42 elapsed · 1:10 left                        a terminal's line
///     [3/12] fan-out 3, audience 10000, skyway, churn 1, seed 1: 4.2 s   --progress, one each
///
/// The time left is estimated from the estimated work (``Scenario/estimatedWork``) of the
/// simulations rather than from their number, since one may take a hundred times as long
/// as another: the work done so far over the time taken is the pace, and the work left at
/// that pace is the time left. The work done counts the finished simulations and the
/// share of simulated time that the running ones have reached — without the latter, the
/// first simulation to finish, while the other threads are nearly done with theirs, would
/// make the pace look as many times too slow as there are threads. Until a simulation has
/// finished the line says `estimating…`.
///
/// A value with no clock and no output: every instant is passed in, so tests drive it,
/// and ``BatchProgressReporter`` shares one between the batch's threads.
package struct BatchProgress {
    /// What each simulation counts for (see ``weight(ofEstimatedWork:)``).
    private let weights: [Double]
    /// The estimated work of them all.
    package let totalWork: Double
    private let started: ContinuousClock.Instant
    /// The simulations finished so far.
    package private(set) var finished = 0
    private var isFinished: [Bool]
    private var finishedWork = 0.0
    /// The work done by each running simulation.
    private var runningWork: [Double]
    private var lastDrawn: ContinuousClock.Instant?

    /// A batch of simulations of these estimated works, started at `started`.
    package init(estimatedWork: [Double], started: ContinuousClock.Instant) {
        self.weights = estimatedWork.map(Self.weight(ofEstimatedWork:))
        self.totalWork = weights.reduce(0, +)
        self.started = started
        self.isFinished = Array(repeating: false, count: estimatedWork.count)
        self.runningWork = Array(repeating: 0, count: estimatedWork.count)
    }

    /// The simulations in the batch.
    package var simulations: Int { weights.count }

    /// What a simulation counts for in the estimate: its estimated work, but at least 1,
    /// since even a run with no viewers takes some time.
    ///
    /// - Complexity: O(1)
    package static func weight(ofEstimatedWork work: Double) -> Double {
        work.isFinite ? max(work, 1) : 1
    }

    /// Records that simulation `index` has done `fraction` of its run (its simulated time
    /// over its duration).
    ///
    /// - Complexity: O(1)
    package mutating func recordAdvance(_ index: Int, fraction: Double) {
        guard !isFinished[index] else { return }
        runningWork[index] = weights[index] * (fraction.isNaN ? 0 : min(max(fraction, 0), 1))
    }

    /// Records that simulation `index` has finished and returns its number in finishing
    /// order, from 1.
    ///
    /// - Complexity: O(1)
    package mutating func recordFinished(_ index: Int) -> Int {
        precondition(!isFinished[index], "simulation \(index) finished twice")
        isFinished[index] = true
        runningWork[index] = 0
        finishedWork += weights[index]
        finished += 1
        return finished
    }

    /// The estimated seconds left at `now`, or nil while no simulation has finished.
    ///
    /// - Complexity: O(``simulations``)
    package func secondsLeft(at now: ContinuousClock.Instant) -> Double? {
        guard finished > 0 else { return nil }
        // Sums in another order may differ in the last bit, which must not show as a second.
        guard finished < simulations else { return 0 }
        let done = min(finishedWork + runningWork.reduce(0, +), totalWork)
        return (now - started).secondsDouble * (totalWork - done) / done
    }

    /// `3/12 simulations · 0:42 elapsed · 1:10 left`.
    ///
    /// - Complexity: O(``simulations``)
    package func statusText(at now: ContinuousClock.Instant) -> String {
        let elapsed = NumberFormat.clock((now - started).secondsDouble)
        let left = secondsLeft(at: now).map { "\(NumberFormat.clock($0.rounded(.up))) left" } ?? "estimating…"
        return "\(finished)/\(simulations) simulations · \(elapsed) elapsed · \(left)"
    }

    /// The bytes that redraw the status line, or nil when it was drawn less than a
    /// quarter of a second ago (``ProgressLine/updatesPerSecond``) and nothing asks for it
    /// (`always`, after a simulation finished). An empty batch draws nothing.
    ///
    /// - Complexity: O(``simulations``) when it redraws, else O(1)
    package mutating func redraw(at now: ContinuousClock.Instant, always: Bool) -> String? {
        guard simulations > 0 else { return nil }
        if !always, let lastDrawn, now - lastDrawn < .milliseconds(1_000 / ProgressLine.updatesPerSecond) {
            return nil
        }
        lastDrawn = now
        return ProgressLine.clear + statusText(at: now)
    }

    /// The bytes that erase the status line if it was drawn, else nothing.
    ///
    /// - Complexity: O(1)
    package func erase() -> String {
        lastDrawn == nil ? "" : ProgressLine.clear
    }

    /// `[3/12] fan-out 3, audience 10000, skyway, churn 1, seed 1: 4.2 s` and a newline:
    /// simulation `number` of `total` to finish, and its wall time.
    ///
    /// - Complexity: O(`description`)
    package static func finishedLine(_ number: Int, of total: Int, description: String, wallSeconds: Double) -> String {
        "[\(number)/\(total)] \(description): \(NumberFormat.fixed(max(0, wallSeconds), places: 1)) s\n"
    }
}
