import BranchTree

/// `branchtree-sim plan`: which fan-out and policy to use for an audience, and what to
/// expect.
///
///     branchtree-sim plan --audience 20000 --stream-bitrate 2.5Mbps \
///         --uplinks low:0.25:1Mbps,mid:0.45:5Mbps,high:0.3:20Mbps --max-depth 10
///
/// Every candidate fan-out (up to what the uplinks can feed) is simulated with each policy
/// — short runs from a steady-state tree, in parallel — and ``PlanDecision`` picks the
/// recommendation. Exit status 0 also when no candidate meets the limits: the output says
/// so and shows the closest.
package enum PlanCommand: Subcommand {
    private static let limits = Scenario.Limits.self

    /// The uplink mix assumed when none is given: a quarter of viewers on about 1 Mbit/s
    /// up (mobile, old DSL), 45 % on about 5 (cable, DSL), 30 % on about 20 (fibre).
    // Source: none — this project's assumption; the measurement studies cited for the
    // workload give no uplink mix.
    package static let defaultUplinks = "low:0.25:1Mbps,mid:0.45:5Mbps,high:0.3:20Mbps"

    package static let streamBitrate = TypedOption(
        name: "stream-bitrate", valueName: "rate", help: "The stream's bitrate, e.g. 2500kbps or 2.5Mbps.",
        parser: .bitrate, default: ScenarioSyntax.Bitrate(bitsPerSecond: 2_500_000), defaultDescription: "2.5Mbps")
    package static let uplinks = TypedOption(
        name: "uplinks", valueName: "classes",
        help: "The viewers' uplinks, NAME:SHARE:RATE,... (e.g. mobile:0.3:1Mbps); CAPACITY children instead "
            + "of RATE, or nothing for the full fan-out, as for run.",
        parser: .uplinkClasses, default: ScenarioSyntax.uplinkClasses(defaultUplinks),
        defaultDescription: defaultUplinks)
    package static let headroom = TypedOption(
        name: "headroom", valueName: "share",
        help: "The share of an uplink a viewer may spend relaying: it relays ⌊uplink × headroom ÷ bitrate⌋ "
            + "children.",
        parser: .decimal(in: 0.01...1), default: 0.8)
    package static let maxDepth = TypedOption(
        name: "max-depth", valueName: "d",
        help: "No viewer deeper than d: at most d relaying viewers between the broadcaster and anyone "
            + "(first viewers are at depth 0).",
        parser: .integer(in: 0...1_000_000))
    package static let maxInterruptions = TypedOption(
        name: "max-interruptions-per-hour", valueName: "r", help: "At most r interruptions per viewer-hour.",
        parser: .decimal(in: 0...1_000_000))
    package static let fanouts = TypedOption(
        name: "fanout", valueName: "n,...",
        help:
            "Candidate fan-outs; those above what any uplink feeds are left out (the widest it feeds stands in when all are).",
        parser: .list(of: .integer(in: limits.fanout)), default: Array(2...8), defaultDescription: "2,3,4,5,6,7,8")
    package static let policies = TypedOption(
        name: "policy", valueName: "name,...", help: "Candidate policies.",
        parser: .list(of: .choice(Policy.self)), default: Policy.allCases,
        defaultDescription: Policy.allCases.map(\.rawValue).joined(separator: ","))
    package static let broadcasterFanouts = TypedOption(
        name: "broadcaster-fanout", valueName: "n,...",
        help: "Candidate broadcaster fan-outs: how many first viewers the broadcaster feeds, each a copy of the "
            + "stream on its uplink. With one, the whole audience goes dark whenever that viewer leaves.",
        parser: .list(of: .integer(in: limits.fanout)), default: [1, 2], defaultDescription: "1,2")
    package static let replicates = Replicates.option(default: 5)
    package static let maxReplicates = TypedOption(
        name: "max-replicates", valueName: "r",
        help: "The most replicates per candidate: while a limit lies inside a candidate's 95 % interval, or a "
            + "comparison that could change the answer is open, plan runs --replicates more, up to this.",
        parser: .integer(in: Replicates.range), default: 40)
    package static let duration = TypedOption(
        name: "duration", valueName: "seconds",
        help: "Simulated time per candidate (from a steady-state tree): longer is steadier and slower.",
        parser: .decimal(in: limits.duration), default: 600)
    package static let format = TypedOption(
        name: "format", valueName: "name",
        help: "table (the recommendation and every candidate), json, or csv (a row per candidate).",
        parser: .choice(ReportFormat.self), default: ReportFormat.table)

    /// The scenario options plan sets itself or takes differently.
    static let replacedNames: Set<String> = [
        "fanout", "broadcaster-fanout", "policy", "duration", "uplinks", "non-relayable", "stream-bitrate",
    ]

    package static let spec = CommandSpec(
        name: "plan",
        abstract: "Recommend a fan-out and policy for an audience, its uplinks and your limits.",
        discussion: """
            Each viewer relays floor(uplink × headroom ÷ stream bitrate) children, at most
            the fan-out. Every candidate fan-out — up to the most any uplink feeds — is
            simulated with every candidate broadcaster fan-out and policy: --replicates
            short runs each from a steady-state tree, in parallel, the same seeds for
            all. A fan-out whose viewers bring fewer relay slots than the audience needs
            is not simulated. Every figure is the replicates' mean with its 95 %
            confidence interval, and a limit is met when the interval's pessimistic end
            meets it; while a limit lies inside a candidate's interval, plan runs more
            replicates of it (up to --max-replicates), and then runs every candidate
            within the limits as often as the most-run of them, so that they are compared
            on the same seeds.

            The recommendation: among the candidates within --max-depth and
            --max-interruptions-per-hour, those not measurably worse than the fewest
            interruptions per viewer-hour by more than 10 % (seed by seed, the 95 %
            interval of the difference reaches down to 10 % of the fewest or below) are
            equally good, and the simplest of them is chosen — fewest broadcaster
            streams, then smallest fan-out, then skyway. While that interval straddles
            the 10 % for a simpler candidate, plan runs --replicates more of every
            candidate within the limits (up to --max-replicates), so the answer does not
            hang on the seed. When none is within the limits, plan says so and shows the
            closest (the least excess over the limits, relative to them).

            The other scenario options (audience, sessions, network, seed...) are those of
            run.

            --model tree simulates the tree alone (see run --help), far faster: a first
            pass over many candidates or a big audience. Its figures are the tree's depth
            and the interruptions per viewer-hour, so only --max-depth and
            --max-interruptions-per-hour and the comparison of interruptions decide, as
            above; it has no interrupted seconds, continuity index or stranded viewers (no
            latencies, failures or protocol), and those columns are left out. Check the
            answer with the full model.

            Progress goes to standard error: on a terminal, one line redrawn in place
            (simulations done, time elapsed and an estimate of the time left); with
            --progress, also a line per finished run (candidate and seed), into a pipe
            or a file too:
              [3/100] fan-out 4, broadcaster fan-out 1, skyway, seed 1: 2.1 s
            Standard output is the same either way.

            Exit status: 0 success (also when no candidate meets the limits), 64 usage
            error (also candidates estimated to need more memory than the machine has),
            65 bad scenario file, 66 unreadable scenario file.
            """,
        options: ScenarioOptions.specs(excluding: replacedNames) + [
            streamBitrate.spec, uplinks.spec, headroom.spec, maxDepth.spec, maxInterruptions.spec, fanouts.spec,
            broadcasterFanouts.spec, policies.spec, duration.spec, replicates.spec, maxReplicates.spec,
            SimulationModel.option.spec, SimulationBatch.jobs.spec, format.spec, SimulationBatch.progress.spec,
        ])

    package static func run<Output: TextOutputStream, ErrorOutput: TextOutputStream>(
        _ arguments: ParsedArguments, io: inout CommandIO<Output, ErrorOutput>
    ) throws(CommandError) {
        let (scenario, fileReplicates) = try ScenarioOptions.scenarioAndReplicates(from: arguments)
        var base = scenario
        base.duration = try arguments.value(of: duration)
        let replicateCount = try arguments.valueIfPresent(of: replicates) ?? fileReplicates ?? 5
        let replicateCap = try arguments.value(of: maxReplicates)
        guard replicateCap >= replicateCount else {
            throw .usage(
                "'\(maxReplicates.spec.synopsis)' (\(replicateCap)) must be at least the replicates (\(replicateCount))"
            )
        }
        let bitrate = try arguments.value(of: streamBitrate)
        let headroom = try arguments.value(of: headroom)
        let uplinkSpecs = try arguments.value(of: uplinks)
        let planUplinks: PlanUplinks
        do {
            planUplinks = try PlanUplinks(uplinkSpecs, streamBitsPerSecond: bitrate.bitsPerSecond, headroom: headroom)
        } catch {
            throw .usage("'\(uplinks.spec.synopsis)': \(error.description)")
        }
        base.uplinks = planUplinks.classes
        let constraints = PlanConstraints(
            maxDepth: try arguments.valueIfPresent(of: maxDepth),
            maxInterruptionsPerViewerHour: try arguments.valueIfPresent(of: maxInterruptions))
        let requestedFanouts = try arguments.value(of: fanouts)
        let candidatePolicies = try arguments.value(of: policies)
        let jobCount = try SimulationBatch.jobs(from: arguments)
        let format = try arguments.value(of: format)
        let model = try arguments.value(of: SimulationModel.option)
        let progress = BatchProgress.Display(arguments, stderr: io.stderr)

        let inputs = PlanInputs(
            scenario: base, streamBitsPerSecond: bitrate.bitsPerSecond, headroom: headroom, uplinks: planUplinks,
            constraints: constraints, requestedFanouts: requestedFanouts,
            broadcasterFanouts: try arguments.value(of: broadcasterFanouts), policies: candidatePolicies, model: model)
        var candidates = inputs.candidates()
        let simulated = candidates.indices.filter { inputs.canCarry(candidates[$0]) }
        let scenarios = simulated.map { inputs.scenario(for: candidates[$0]) }
        try MemoryCheck.requireFits(
            scenarios.flatMap { $0.replicates(0..<replicateCount) }, jobs: jobCount, of: "candidate",
            hint: "lower --audience or --jobs")
        do {
            // The last request sees the final reports: its figures are the ones to show.
            var measured: [PlanCandidate] = []
            _ = try PlanReplicates.run(
                scenarios, described: simulated.map { candidates[$0].summary }, replicates: replicateCount,
                cap: replicateCap, jobs: jobCount, model: model, progress: progress, stderr: &io.stderr,
                wanted: { reports in
                    measured = zip(simulated, reports).map { index, replicateReports in
                        var candidate = candidates[index]
                        candidate.figures = PlanFigures(replicates: replicateReports)
                        return candidate
                    }
                    return PlanDecision.replicatesWanted(
                        measured, constraints: constraints, step: replicateCount, cap: replicateCap)
                })
            for (index, candidate) in zip(simulated, measured) { candidates[index] = candidate }
        } catch {
            throw .usage(error.description)
        }
        let decision = PlanDecision(candidates, constraints: constraints)
        io.stdout.write(
            PlanOutput.render(
                inputs, candidates: candidates, decision: decision, replicates: replicateCount, cap: replicateCap,
                format: format))
    }
}
