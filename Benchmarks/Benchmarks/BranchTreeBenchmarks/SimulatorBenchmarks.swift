import Benchmark
import BranchTreeSim

// The simulator's speed, so that a regression of the engine shows: events handled per
// second by `branchtree-sim run` (the full protocol) and `run --model tree`, at 10⁴ and
// 10⁶ viewers of the default workload.
//
// - `Simulator_<model>_<size>`: one iteration is one whole run, called in-process
//   through the tool's public entry point (`BranchTreeSimCommand.main`), warm start
//   included; `eventsPerSecond` is the run's events (its `run.events` figure) over the
//   measured wall time. The 10⁶ full-protocol run simulates 2 minutes, the others 10.

/// The runs measured: model, size label, audience, simulated seconds.
let simulatorRuns: [(model: String, label: String, audience: Int, duration: Int)] = [
    ("full", "10K", 10_000, 600), ("full", "1M", 1_000_000, 120),
    ("tree", "10K", 10_000, 600), ("tree", "1M", 1_000_000, 600),
]

enum SimulatorMetric {
    static let eventsPerSecond = BenchmarkMetric.custom("eventsPerSecond", useScalingFactor: false)
}

/// Runs are long: a few iterations, no warm-up beyond the first, only allocations gated.
func simulatorConfiguration(iterations: Int) -> Benchmark.Configuration {
    let metrics: [BenchmarkMetric] = [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident]
    return Benchmark.Configuration(
        metrics: metrics + [SimulatorMetric.eventsPerSecond],
        timeUnits: .milliseconds,
        warmupIterations: 0,
        maxDuration: .seconds(120),
        maxIterations: iterations,
        thresholds: mallocGate(metrics)
    )
}

/// The events of a run, from the `"events": n` figure of its JSON report (the only
/// figure of that name).
func simulatedEvents(inJSON report: String) -> Int? {
    guard let key = report.range(of: "\"events\": ") else { return nil }
    return Int(report[key.upperBound...].prefix(while: \.isNumber))
}

func registerSimulatorBenchmarks() {
    for run in simulatorRuns {
        let arguments = [
            "run", "--model", run.model, "--audience", String(run.audience), "--duration", String(run.duration),
            "--format", "json", "--reproducible",
        ]
        Benchmark(
            "Simulator_\(run.model)_\(run.label)",
            configuration: simulatorConfiguration(iterations: run.audience > 10_000 ? 1 : 5)
        ) { benchmark in
            var report = ""
            var errors = ""
            let clock = ContinuousClock()
            benchmark.startMeasurement()
            let started = clock.now
            let status = BranchTreeSimCommand.main(
                arguments: arguments, stdin: .text(""), stdout: &report, stderr: &errors)
            let elapsed = clock.now - started
            benchmark.stopMeasurement()
            guard status == 0, let events = simulatedEvents(inJSON: report) else {
                fatalError("branchtree-sim \(arguments.joined(separator: " ")) failed (\(status)): \(errors)")
            }
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            benchmark.measurement(SimulatorMetric.eventsPerSecond, Int(Double(events) / seconds))
        }
    }
}
