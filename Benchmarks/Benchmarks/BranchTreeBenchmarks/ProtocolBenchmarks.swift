import Benchmark
import BranchTree

// Message-handling throughput of the broadcaster's state machine under churn (issue
// target: at least 1 M messages/s). The stream is ProtocolWorkload's; see there for
// exactly what it holds.
//
// - `Protocol_<policy>_<size>`: one iteration is 1,000 inputs (`scalingFactor: .kilo`)
//   handed to `handle(_:at:into:)`, one actions array reused; the printed time is per
//   input (ns), throughput in thousands of inputs per second, mallocs per input.
// - `ProtocolTreeOps_<policy>_<size>`: the same batches, but only the `join` or `leave`
//   each input causes, applied to a bare `BranchTree`, still counted per input: the
//   tree operations' part of the figure above.

/// The viewer counts measured.
let protocolSizes: [(label: String, count: Int)] = [("10K", 10_000), ("1M", 1_000_000)]

/// A benchmark whose workload is built by its setup hook (untimed), checked and dropped
/// by its teardown hook.
func protocolBenchmark(_ name: String, policy: Policy, size: Int, target: ProtocolWorkload.Target) {
    nonisolated(unsafe) var workload: ProtocolWorkload?
    Benchmark(
        name, configuration: operationConfiguration(),
        closure: { benchmark in
            guard let workload else { fatalError("setup did not build the workload") }
            workload.prepare(benchmark.scaledIterations.count)
            workload.replay(measuring: benchmark)
        },
        setup: { workload = try ProtocolWorkload(policy: policy, size: size, target: target) },
        teardown: {
            if let workload {
                workload.finish()
                if abs(workload.viewerCount - workload.size) > 1 {
                    fatalError("\(name): the tree drifted to \(workload.viewerCount) viewers")
                }
            }
            workload = nil
        }
    )
}

func registerProtocolBenchmarks() {
    for policy in Policy.allCases {
        for (label, count) in protocolSizes {
            protocolBenchmark("Protocol_\(policy)_\(label)", policy: policy, size: count, target: .machine)
            protocolBenchmark(
                "ProtocolTreeOps_\(policy)_\(label)", policy: policy, size: count, target: .treeOperations)
        }
    }
}
