import Benchmark
import BranchTree

// Benchmarks for BranchTree's issue targets: O(log n) or better per join and leave for
// every policy; at least 2 M operations/s for a mix of joins and leaves at 10⁶ viewers;
// per-operation cost within 2× from 10³ to 10⁶ viewers; at most 200 bytes per viewer.
//
// Names are `<Kind>_<policy>_<size>[_<id style>]`, without spaces or '/', so that
// `--filter` and baselines match them plainly. Each benchmark runs in its own process.

/// The viewer counts measured.
let sizes: [(label: String, count: Int)] = [
    ("1K", 1_000), ("10K", 10_000), ("100K", 100_000), ("1M", 1_000_000),
]

/// Only the allocation count is gated; wall-clock figures on a shared machine are far
/// too noisy for a threshold, so every time and memory metric has none.
func mallocGate(_ metrics: [BenchmarkMetric]) -> [BenchmarkMetric: BenchmarkThresholds] {
    var thresholds: [BenchmarkMetric: BenchmarkThresholds] = [:]
    for metric in metrics { thresholds[metric] = metric == .mallocCountTotal ? .default : BenchmarkThresholds.none }
    return thresholds
}

/// One iteration is 1,000 operations (`scalingFactor: .kilo`): the printed time is per
/// operation (ns), and throughput is in thousands of operations per second.
func operationConfiguration() -> Benchmark.Configuration {
    let metrics: [BenchmarkMetric] = [.wallClock, .throughput, .mallocCountTotal]
    return Benchmark.Configuration(
        metrics: metrics,
        timeUnits: .nanoseconds,
        warmupIterations: 10,
        scalingFactor: .kilo,
        maxDuration: .seconds(1),
        maxIterations: 2_000,
        thresholds: mallocGate(metrics)
    )
}

/// Resident bytes a viewer costs: the process's resident set (high-water mark during the
/// build, and after it) minus the resident set before, divided by the viewers built.
enum MemoryMetric {
    static let peakResidentBytesPerViewer = BenchmarkMetric.custom(
        "peakResidentBytesPerViewer", useScalingFactor: false)
    static let residentBytesPerViewer = BenchmarkMetric.custom(
        "residentBytesPerViewer", useScalingFactor: false)
}

/// One build of 10⁶ viewers (`scalingFactor: .mega`, one join per scaled iteration), so
/// that the scaled figures are per viewer: `memoryLeakedBytes` is the heap bytes still
/// allocated when the build ends (requested sizes, counted by the malloc interposer),
/// the time is per join. One build per process and no warm-up: a second build would
/// reuse pages the first one freed, and the resident figures would mean nothing.
func memoryConfiguration() -> Benchmark.Configuration {
    let metrics: [BenchmarkMetric] = [
        .wallClock, .mallocCountTotal, .memoryLeakedBytes,
        MemoryMetric.peakResidentBytesPerViewer, MemoryMetric.residentBytesPerViewer,
    ]
    return Benchmark.Configuration(
        metrics: metrics,
        timeUnits: .nanoseconds,
        warmupIterations: 0,
        scalingFactor: .mega,
        maxDuration: .seconds(60),
        maxIterations: 1,
        thresholds: mallocGate(metrics)
    )
}

/// A benchmark whose workload is built by its setup hook (untimed) and dropped by its
/// teardown hook.
func churnBenchmark(
    _ name: String, policy: Policy, size: Int, idStyle: ViewerIDSource.Style = .short,
    measure: @escaping (ChurnWorkload, Benchmark) throws -> Void
) {
    nonisolated(unsafe) var workload: ChurnWorkload?
    Benchmark(
        name, configuration: operationConfiguration(),
        closure: { benchmark in
            guard let workload else { fatalError("setup did not build the workload") }
            try measure(workload, benchmark)
        },
        setup: { workload = try ChurnWorkload(policy: policy, size: size, idStyle: idStyle) },
        teardown: {
            if let workload, abs(workload.viewerCount - workload.size) > 1 {
                fatalError("\(name): the tree drifted to \(workload.viewerCount) viewers")
            }
            workload = nil
        }
    )
}

/// Joins a batch of fresh ids (timed), then removes as many random viewers (untimed).
func measureJoins(_ workload: ChurnWorkload, _ benchmark: Benchmark) throws {
    let batch = benchmark.scaledIterations.count
    workload.prepareJoins(batch)
    try workload.applyJoins(measuring: benchmark)
    workload.prepareLeaves(batch)
    try workload.applyLeaves()
}

/// Removes a batch of uniformly random viewers (timed), then joins as many fresh ids
/// (untimed).
func measureLeaves(_ workload: ChurnWorkload, _ benchmark: Benchmark) throws {
    let batch = benchmark.scaledIterations.count
    workload.prepareLeaves(batch)
    try workload.applyLeaves(measuring: benchmark)
    workload.prepareJoins(batch)
    try workload.applyJoins()
}

/// Alternating leave (uniformly random viewer) and join (fresh id), all timed.
func measureMix(_ workload: ChurnWorkload, _ benchmark: Benchmark) throws {
    workload.prepareMix(benchmark.scaledIterations.count)
    try workload.applyMix(measuring: benchmark)
}

/// Builds a tree of 10⁶ viewers by joins from empty, with ids generated on the fly (so
/// their storage, if any, is counted), and keeps it alive past the measurement, so that
/// the bytes it holds count as "leaked".
///
/// The figures are the process's resident growth, so run one memory benchmark per
/// invocation (`--filter '^Memory_skyway_1M$'`): a later one in the same run reuses what
/// an earlier one freed, and with several selected the tool prints no table.
func memoryBenchmark(_ name: String, policy: Policy, idStyle: ViewerIDSource.Style) {
    Benchmark(name, configuration: memoryConfiguration()) { benchmark in
        let size = benchmark.scaledIterations.count
        var ids = ViewerIDSource(style: idStyle, seed: 0xB7A1_C4EE &+ 1)
        var tree = try BranchTree(fanout: 3, policy: policy)
        let residentBefore = MemoryProbe.residentBytes()
        let peakWasReset = MemoryProbe.resetPeakResident()

        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { try tree.join(ids.next()) }
        benchmark.stopMeasurement()

        let residentAfter = MemoryProbe.residentBytes()
        let peakAfter = peakWasReset ? MemoryProbe.peakResidentBytes() : nil
        precondition(tree.count == size)
        if let before = residentBefore {
            if let peakAfter {
                benchmark.measurement(MemoryMetric.peakResidentBytesPerViewer, (peakAfter - before) / size)
            }
            if let residentAfter {
                benchmark.measurement(MemoryMetric.residentBytesPerViewer, (residentAfter - before) / size)
            }
        }
        withExtendedLifetime(tree) {}
    }
}

let benchmarks: @Sendable () -> Void = {
    for policy in Policy.allCases {
        for (label, count) in sizes {
            churnBenchmark("Join_\(policy)_\(label)", policy: policy, size: count, measure: measureJoins)
            churnBenchmark("Leave_\(policy)_\(label)", policy: policy, size: count, measure: measureLeaves)
            churnBenchmark("Mix_\(policy)_\(label)", policy: policy, size: count, measure: measureMix)
        }
    }
    // The same mix with 36-character UUID ids, which cost a heap allocation each.
    for policy in Policy.allCases {
        churnBenchmark("Mix_\(policy)_1M_uuid", policy: policy, size: 1_000_000, idStyle: .uuid, measure: measureMix)
    }
    for policy in Policy.allCases {
        memoryBenchmark("Memory_\(policy)_1M", policy: policy, idStyle: .short)
        memoryBenchmark("Memory_\(policy)_1M_uuid", policy: policy, idStyle: .uuid)
    }
    registerProtocolBenchmarks()
    registerSimulatorBenchmarks()
}
