import Foundation

/// Shows a batch's progress (``BatchProgress``) from the worker threads that run it.
///
///     let reporter = BatchProgressReporter(display: [.statusLine], estimatedWork: work, destination: .standardError)
///     // on any thread, while simulation i runs and when it has finished:
///     reporter.simulationAdvanced(i, fraction: 0.5)
///     reporter.simulationFinished(i, description: "fan-out 3, skyway", wallSeconds: 4.2)
///     _ = reporter.finish()   // erases the status line
///
/// The unit is one simulation, known by its index in `estimatedWork`: the reporter numbers
/// them in the order they finish, so a batch that runs several simulations per case only
/// passes more of them.
///
/// Every write happens with the lock held, so lines never interleave and their numbers
/// come in order. What it writes goes to standard error, or into a buffer for a caller
/// whose error stream cannot be written from other threads (``finish()`` returns it);
/// nothing here reaches a report.
///
/// `@unchecked Sendable` is sound: the mutable fields (`progress`, `buffered`) are only
/// touched with `lock` held, and the rest are constants of `Sendable` types.
package final class BatchProgressReporter: @unchecked Sendable {
    /// Where the text goes.
    package enum Destination: Sendable {
        /// The process's standard error, as soon as it is written.
        case standardError
        /// A buffer, returned by ``BatchProgressReporter/finish()``.
        case buffer
    }

    private let display: BatchProgress.Display
    private let destination: Destination
    private let now: @Sendable () -> ContinuousClock.Instant
    private let lock = NSLock()
    private var progress: BatchProgress
    private var buffered = ""

    /// A reporter for a batch of simulations of these estimated works, starting now; it
    /// draws the status line at once when `display` has one.
    ///
    /// - Parameter now: The clock, read only for the status line's times and never for
    ///   the simulations; tests pass a fake one.
    package init(
        display: BatchProgress.Display, estimatedWork: [Double], destination: Destination,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }
    ) {
        self.display = display
        self.destination = destination
        self.now = now
        self.progress = BatchProgress(estimatedWork: estimatedWork, started: now())
        if display.contains(.statusLine), let text = progress.redraw(at: now(), always: true) { write(text) }
    }

    /// Records that simulation `index` finished, on whichever thread ran it: its line
    /// (with ``BatchProgress/Display/linePerSimulation``) and the redrawn status line.
    ///
    /// - Parameters:
    ///   - description: What the simulation was, e.g. ``SweepPoint/summary``.
    ///   - wallSeconds: The wall time it took.
    /// - Complexity: O(simulations + `description`), and waits for any other thread
    ///   writing.
    package func simulationFinished(_ index: Int, description: String, wallSeconds: Double) {
        lock.withLock {
            let instant = now()
            let number = progress.recordFinished(index)
            var text = ""
            if display.contains(.linePerSimulation) {
                // The status line is erased first, so the line starts at the margin.
                text +=
                    progress.erase()
                    + BatchProgress.finishedLine(
                        number, of: progress.simulations, description: description, wallSeconds: wallSeconds)
            }
            if display.contains(.statusLine), let line = progress.redraw(at: instant, always: true) { text += line }
            write(text)
        }
    }

    /// Records that simulation `index` has done `fraction` of its run (simulated time over
    /// duration), and redraws the status line if that is due, so that the times move
    /// while long simulations run. Cheap enough for a simulation's progress callback.
    ///
    /// - Complexity: O(1), O(simulations) when it redraws; waits for any other thread
    ///   writing.
    package func simulationAdvanced(_ index: Int, fraction: Double) {
        guard display.contains(.statusLine) else { return }
        lock.withLock {
            progress.recordAdvance(index, fraction: fraction)
            if let text = progress.redraw(at: now(), always: false) { write(text) }
        }
    }

    /// Erases the status line and returns the buffered text (empty for standard error).
    /// Call once, after every simulation has finished.
    ///
    /// - Complexity: O(1)
    package func finish() -> String {
        lock.withLock {
            write(progress.erase())
            defer { buffered = "" }
            return buffered
        }
    }

    /// Writes `text`. Call with `lock` held.
    private func write(_ text: String) {
        switch destination {
        case .standardError:
            var stderr = StandardErrorStream()
            stderr.write(text)
        case .buffer:
            buffered += text
        }
    }
}
