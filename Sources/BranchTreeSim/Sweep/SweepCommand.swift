import BranchTree

/// `branchtree-sim sweep`: simulates a grid of scenarios, in parallel, one row per point.
///
///     branchtree-sim sweep --fanout 2,3,4 --audience 1000,10000 --policy skyway,rejoin --churn 1,2
///
/// Every scenario option of `run` is accepted and sets the base scenario; fan-out,
/// audience and policy take lists, and `--churn` scales the turnover
/// (``Scenario/scaledChurn(by:)``). Points run on `--jobs` threads; rows come out in grid
/// order (``SweepGrid``), byte for byte the same whatever the number of threads.
package enum SweepCommand: Subcommand {
    private static let limits = Scenario.Limits.self

    package static let fanouts = TypedOption(
        name: "fanout", valueName: "n,...", help: "Fan-outs to sweep, each in \(limits.fanout).",
        parser: .list(of: .integer(in: limits.fanout)), defaultDescription: "the scenario's, 3")
    package static let audiences = TypedOption(
        name: "audience", valueName: "n,...", help: "Target concurrent audiences to sweep.",
        parser: .list(of: .integer(in: limits.audience)), defaultDescription: "the scenario's, 10000")
    package static let policies = TypedOption(
        name: "policy", valueName: "name,...", help: "Policies to sweep: skyway, rejoin, stable.",
        parser: .list(of: .choice(Policy.self)), defaultDescription: "the scenario's, skyway")
    package static let churns = TypedOption(
        name: "churn", valueName: "x,...",
        help: "Churn multipliers to sweep: x makes every session x times shorter and arrivals x times as "
            + "frequent, so the audience stays and x times as many viewers come and go.",
        parser: .list(of: .decimal(in: churnRange)), defaultDescription: "1")
    package static let replicates = Replicates.option(default: 5)
    package static let format = TypedOption(
        name: "format", valueName: "name",
        help: "table (headline figures), csv (every figure, a row per point) or json (every figure, an array).",
        parser: .choice(ReportFormat.self), default: ReportFormat.table)
    package static let shard = TypedOption(
        name: "shard", valueName: "I/N",
        help: "Run only shard I of N (points I−1, I−1+N, … in grid order) and write a shard file for "
            + "`branchtree-sim merge` instead of the rows.",
        parser: .shard)
    package static let timing = Flag(
        name: "timing",
        help: "Add each point's wall time and speed, and the process's peak memory (output no longer reproducible).")

    /// Churn multipliers accepted.
    package static let churnRange: ClosedRange<Double> = 0.01...100

    /// The scenario options the grid replaces.
    static let axisNames: Set<String> = ["fanout", "audience", "policy"]

    package static let spec = CommandSpec(
        name: "sweep",
        abstract: "Simulate a grid of scenarios in parallel: a row per point.",
        discussion: """
            The scenario options set the base scenario, as for run; --fanout, --audience
            and --policy take comma-separated lists, --churn a list of churn multipliers,
            and every combination is simulated, --replicates times with different seeds
            (the same seeds at every point); each figure is the replicates' mean with its
            95 % confidence interval. Rows come in grid order — fan-out outermost, then
            audience, policy and churn — whatever order the runs finish in, and the same
            options always print the same bytes, whatever --jobs is.

            --model tree sweeps the tree alone (see run --help): tree figures only, far
            faster, for a first pass over a big grid.

            Progress goes to standard error: on a terminal, one line redrawn in place
            (simulations done, time elapsed and an estimate of the time left); with
            --progress, also a line per finished simulation, into a pipe or a file too:
              [3/12] fan-out 3, audience 10000, skyway, churn 1, seed 1: 4.2 s
            Standard output is the same either way.

            Across machines: --shard I/N runs only every N-th point from the I-th, and
            writes a shard file instead of the rows; branchtree-sim merge joins the N
            files into the output the whole sweep prints, byte for byte:
              branchtree-sim sweep … --shard 2/4 > part-2.json   (one job per shard)
              branchtree-sim merge part-*.json --format csv

            Exit status: 0 success, 64 usage error (also points estimated to need more
            memory than the machine has), 65 bad scenario file, 66 unreadable scenario
            file.
            """,
        options: ScenarioOptions.specs(excluding: axisNames) + [
            fanouts.spec, audiences.spec, policies.spec, churns.spec, SimulationModel.option.spec, replicates.spec,
            SimulationBatch.jobs.spec,
            format.spec, timing.spec, SimulationBatch.progress.spec, shard.spec,
        ])

    package static func run<Output: TextOutputStream, ErrorOutput: TextOutputStream>(
        _ arguments: ParsedArguments, io: inout CommandIO<Output, ErrorOutput>
    ) throws(CommandError) {
        let (base, fileReplicates) = try ScenarioOptions.scenarioAndReplicates(from: arguments)
        let grid = SweepGrid(
            fanouts: try arguments.valueIfPresent(of: fanouts) ?? [base.fanout],
            audiences: try arguments.valueIfPresent(of: audiences) ?? [base.audience],
            policies: try arguments.valueIfPresent(of: policies) ?? [base.policy],
            churns: try arguments.valueIfPresent(of: churns) ?? [1])
        let replicateCount = try arguments.valueIfPresent(of: replicates) ?? fileReplicates ?? 5
        let jobCount = try SimulationBatch.jobs(from: arguments)
        let model = try arguments.value(of: SimulationModel.option)
        let format = try arguments.value(of: format)
        let reproducible = !arguments.isSet(timing)
        let progress = BatchProgress.Display(arguments, stderr: io.stderr)
        let shard = try arguments.valueIfPresent(of: Self.shard)
        if shard != nil, !arguments.rawValues(of: Self.format.spec).isEmpty {
            throw .usage("'--format' does not apply with '--shard': give it to 'branchtree-sim merge'")
        }

        let allPoints = grid.points(base: base)
        let points = shard.map { shard in allPoints.filter { shard.contains(point: $0.index) } } ?? allPoints
        for point in points {
            do {
                try point.scenario.validate()
            } catch {
                throw .usage("sweep point \(point.index) (\(point.summary)): \(error.description)")
            }
        }
        try MemoryCheck.requireFits(
            points.flatMap { $0.scenario.replicates(0..<replicateCount) }, jobs: jobCount, of: "sweep point",
            hint: "lower --audience or --jobs")
        let replicateReports: [[SimulationReport]]
        do {
            replicateReports = try SimulationBatch.run(
                points.map(\.scenario), described: points.map(\.summary), replicates: 0..<replicateCount,
                jobs: jobCount, model: model, progress: progress, stderr: &io.stderr)
        } catch {
            throw .usage(error.description)
        }
        let rows = zip(points, replicateReports).map { point, reports in
            point.labelled(SimulationReport.combining(reports))
        }
        if let shard {
            let file = SweepShardFile(
                shard: shard, points: allPoints.count, toolVersion: ToolVersion.current, reproducible: reproducible,
                rows: rows)
            io.stdout.write(JSONWriter.string(file.json, style: .pretty(expandedDepth: 2)) + "\n")
        } else {
            io.stdout.write(SweepRendering(rows, reproducible: reproducible).text(format))
        }
    }
}
