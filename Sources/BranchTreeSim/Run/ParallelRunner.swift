import Dispatch
import Foundation

/// Runs independent jobs on up to `jobs` threads and returns their results in input
/// order, whatever order they finish in.
///
///     let reports = ParallelRunner.map(scenarios, jobs: 2, startOrder: biggestFirst) { scenario in
///         var simulation = try! Simulation(scenario: scenario)
///         return simulation.run()
///     }
///
/// Workers take the next job from a shared queue (in `startOrder`, e.g. the biggest first
/// so that a big job started last does not leave the other workers idle) and write its
/// result into the job's own slot. The result therefore depends only on the inputs and
/// `body`, never on the number of threads or the schedule — provided `body` is
/// deterministic, as ``Simulation`` is.
package enum ParallelRunner {
    /// The cores available to this process: the default number of jobs.
    package static var availableCores: Int {
        max(1, ProcessInfo.processInfo.activeProcessorCount)
    }

    /// `body` applied to every input, on up to `jobs` threads at once (at most one per
    /// core; `jobs` 1 runs everything on the calling thread).
    ///
    /// - Parameters:
    ///   - startOrder: the indices of `inputs` in the order to start them; nil for input
    ///     order. Must be a permutation of `inputs.indices`.
    /// - Complexity: O(n) besides the jobs themselves.
    package static func map<Input: Sendable, Output: Sendable>(
        _ inputs: [Input], jobs: Int, startOrder: [Int]? = nil, _ body: @Sendable (Input) -> Output
    ) -> [Output] {
        let order = startOrder ?? Array(inputs.indices)
        precondition(order.sorted() == Array(inputs.indices), "startOrder must be a permutation of the inputs' indices")
        let workers = min(max(1, jobs), inputs.count)
        guard workers > 1 else {
            var results = [Output?](repeating: nil, count: inputs.count)
            for index in order { results[index] = body(inputs[index]) }
            return results.map { $0! }
        }
        let board = JobBoard<Output>(order: order)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let index = board.take() {
                board.finish(index, with: body(inputs[index]))
            }
        }
        return board.results()
    }
}

/// The queue of job indices and the result slots, shared by the workers.
///
/// `@unchecked Sendable` is sound: both mutable fields are only touched with `lock` held,
/// and each slot is written once, by the worker that took its index.
private final class JobBoard<Output: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private let order: [Int]
    private var nextPosition = 0
    private var slots: [Output?]

    init(order: [Int]) {
        self.order = order
        self.slots = Array(repeating: nil, count: order.count)
    }

    /// The next job's index, or nil when every job has been taken.
    func take() -> Int? {
        lock.withLock {
            guard nextPosition < order.count else { return nil }
            nextPosition += 1
            return order[nextPosition - 1]
        }
    }

    func finish(_ index: Int, with result: Output) {
        lock.withLock { slots[index] = result }
    }

    /// Every result, in input order. Call after every worker has returned.
    func results() -> [Output] {
        lock.withLock { slots.map { $0! } }
    }
}
