import BranchTree

/// `branchtree-sim run`: simulates one broadcast and reports what churn cost.
///
///     branchtree-sim run --audience 50000 --fanout 4 --format json
///     branchtree-sim run --scenario flash-crowd.json --seed 2 --svg chart.svg
///
/// Also what `branchtree-sim` runs without arguments: the built-in default scenario
/// (10,000 viewers, fan-out 3, the seed policy, one simulated hour). Every scenario
/// parameter is an option (``ScenarioOptions``); the options here only shape the output.
package enum RunCommand: Subcommand {
    package static let format = TypedOption(
        name: "format", valueName: "name", help: "table, json or csv.", parser: .choice(ReportFormat.self),
        default: ReportFormat.table)
    package static let reproducible = Flag(
        name: "reproducible", help: "Leave out wall time, speed and memory, so equal runs print equal bytes.")
    package static let svg = TypedOption(
        name: "svg", valueName: "file",
        help: "Also draw viewers and interrupted viewers over time and the depth histogram as an SVG chart.",
        parser: .nonEmptyString)
    package static let replicates = Replicates.option(default: 1)
    package static let printScenario = Flag(
        name: "print-scenario",
        help: "Print the scenario as JSON (for --scenario) instead of running it.")

    package static let spec = CommandSpec(
        name: "run",
        abstract: "Simulate one broadcast with churn and report what repairs cost.",
        discussion: """
            Viewers arrive (Poisson, at the rate the audience implies) and leave after
            lognormal sessions (median about 3 minutes, mean about 8.5), through the real
            broadcaster and viewer state machines over a simulated network. The report
            gives the cost per departure (interrupted viewers, reconnections, control
            messages, repair latency), per viewer (interruptions, interrupted and start-up
            seconds per viewer-hour, continuity, start-up delay), the tree, protocol health
            (ghosts and stranded viewers: both must be 0) and the run itself.

            Report figures (the README's report table defines each, with its unit):
              perDeparture  mean, p50, p99, max over the viewers the broadcaster
                            removed; controlMessages: that repair's own messages
              perViewer     a viewer-hour is an hour of one viewer's presence;
                            continuityIndex: share 0-1 of present viewer-seconds with
                            media (waiting for the first frame counts as without);
                            neverServed: sessions that never got a first frame (1 % or
                            more of sessions: a warning on standard error)
              protocol      restartMessages: messages the restarts caused, apart from
                            controlMessages

            Value forms: ranges are LOW...HIGH seconds or one number (--signalling-latency
            0.05...0.1); sessions lognormal:5.19,1.44, exponential:506 or pareto:1.5,60;
            uplinks fibre:0.6,dsl:0.3:1,mobile:0.1:0 (NAME:SHARE[:CAPACITY], CAPACITY 0
            cannot relay) or with rates, fibre:0.6:20Mbps with --stream-bitrate 2.5Mbps;
            rate changes 600:40,1800:5 (from 600 s, 40 arrivals/s); flash crowd 10:300.

            --print-scenario writes every parameter as JSON; --scenario reads such a file
            back (unknown keys are errors) and options given with it override it:
              branchtree-sim run --fanout 4 --flash-crowd 10:300 --print-scenario > s.json
              branchtree-sim run --scenario s.json --seed 2 --svg chart.svg
            The report's scenario section echoes every setting, the replicates and the
            tool's version, so a JSON report is a scenario file too: run --scenario
            report.json runs it again, figure for figure.

            --replicates r runs the scenario r times (seed --seed and seeds derived from
            it, on --jobs cores) and reports each figure as the mean with its 95 %
            confidence interval (Student t): in the table mean ± half-width, in JSON
            and CSV mean, low and high. Percentiles pool every replicate's events.

            --model tree drives the tree alone with the same workload: no messages,
            latencies, timers or failures, every departure repaired at once. It reports
            the tree's figures (interrupted viewers and reconnections per departure,
            interruptions per viewer-hour, depth, fan-out use) in a fraction of the time:
            a first pass over big audiences and grids.

            When standard error is a terminal, a progress line is drawn there (for one
            replicate).

            Exit status: 0 success, 64 usage error (also a run estimated to need more
            memory than the machine has), 65 bad scenario file (naming the field), 66
            scenario file missing or unreadable, 73 --svg file cannot be written, 74
            scenario file read failed part-way.
            """,
        options: ScenarioOptions.specs + [
            SimulationModel.option.spec, replicates.spec, SimulationBatch.jobs.spec, format.spec, reproducible.spec,
            svg.spec, printScenario.spec,
        ])

    /// Runs the scenario under `model`, with a progress line on the terminal when `shown`.
    static func runShowingProgress(
        _ scenario: Scenario, model: SimulationModel, shown: Bool
    ) throws(WorkloadError) -> SimulationReport {
        guard shown else { return try model.run(scenario) }
        var terminal = StandardErrorStream()
        var line = ProgressLine(totalSeconds: scenario.duration, started: .now)
        let report = try model.run(scenario) { progress in
            let text = line.update(simulatedSeconds: progress.simulatedSeconds, events: progress.events, now: .now)
            if let text { terminal.write(text) }
        }
        terminal.write(line.finish())
        return report
    }

    package static func run<Output: TextOutputStream, ErrorOutput: TextOutputStream>(
        _ arguments: ParsedArguments, io: inout CommandIO<Output, ErrorOutput>
    ) throws(CommandError) {
        let (scenario, fileReplicates) = try ScenarioOptions.scenarioAndReplicates(from: arguments)
        let replicateCount = try arguments.valueIfPresent(of: replicates) ?? fileReplicates ?? 1
        let jobCount = try SimulationBatch.jobs(from: arguments)
        let format = try arguments.value(of: format)
        let reproducible = arguments.isSet(Self.reproducible)
        let svgPath = try arguments.valueIfPresent(of: Self.svg)
        if arguments.isSet(printScenario) {
            io.stdout.write(JSONWriter.string(scenario.json, style: .pretty(expandedDepth: 1)) + "\n")
            return
        }
        let model = try arguments.value(of: SimulationModel.option)
        do {
            try model.validate(scenario)
        } catch {
            throw .usage(error.description)
        }
        try MemoryCheck.requireFits(
            scenario.replicates(0..<replicateCount), jobs: jobCount, of: replicateCount > 1 ? "replicate" : nil,
            hint: replicateCount > 1
                ? "lower --audience, the arrival rate or --jobs" : "lower --audience or the arrival rate")
        // Opened before the run, so that a path that cannot be written fails at once.
        let chartFile = try svgPath.map { path throws(CommandError) in try OutputFile(path: path) }
        let replicateReports: [SimulationReport]
        do {
            if replicateCount == 1 {
                replicateReports = [
                    try runShowingProgress(scenario, model: model, shown: ProgressLine.isShown(on: io.stderr))
                ]
            } else {
                replicateReports = try SimulationBatch.run(
                    [scenario], described: ["replicate"], replicates: 0..<replicateCount, jobs: jobCount,
                    model: model, progress: ProgressLine.isShown(on: io.stderr) ? .statusLine : [],
                    stderr: &io.stderr)[0]
            }
        } catch {
            throw .usage(error.description)
        }
        let report = SimulationReport.combining(replicateReports)
        switch format {
        case .table: io.stdout.write(report.table(reproducible: reproducible))
        case .json: io.stdout.write(JSONWriter.string(report.json(reproducible: reproducible), style: .pretty) + "\n")
        case .csv:
            io.stdout.write(
                report.csvHeader(reproducible: reproducible) + "\n" + report.csvRow(reproducible: reproducible) + "\n")
        }
        if let warning = report.neverServedWarning { io.stderr.write(warning + "\n") }
        if let chartFile {
            try chartFile.write(SimulationReport.chart(of: scenario, replicates: replicateReports).render())
        }
    }
}
