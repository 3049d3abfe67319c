import BranchTree

/// `branchtree-sim run`: simulates one broadcast and reports what churn cost.
///
///     branchtree-sim run --audience 50000 --fanout 4 --format json
///
/// Also what `branchtree-sim` runs without arguments: the built-in default scenario
/// (10,000 viewers, fan-out 3, the seed policy, one simulated hour).
package enum RunCommand: Subcommand {
    package static let audience = TypedOption(
        name: "audience", valueName: "n",
        help: "Target concurrent viewers: sets the arrival rate by Little's law and the warm-start tree.",
        parser: .integer(in: 0...50_000_000), default: Scenario().audience)
    package static let duration = TypedOption(
        name: "duration", valueName: "seconds", help: "Simulated time during which viewers arrive and leave.",
        parser: .number(in: 1...31_536_000), default: Scenario().duration)
    package static let seed = TypedOption(
        name: "seed", valueName: "n", help: "The random seed: same seed and options, same report.",
        parser: .unsignedInteger, default: Scenario().seed)
    package static let fanout = TypedOption(
        name: "fanout", valueName: "n", help: "Children per viewer, in \(BranchTree.Configuration.fanoutRange).",
        parser: .integer(in: BranchTree.Configuration.fanoutRange), default: Scenario().fanout)
    package static let broadcasterFanout = TypedOption(
        name: "broadcaster-fanout", valueName: "n", help: "First viewers the broadcaster feeds.",
        parser: .integer(in: BranchTree.Configuration.fanoutRange), default: Scenario().broadcasterFanout)
    package static let policy = TypedOption(
        name: "policy", valueName: "name", help: "skyway (the tail takes the leaver's place) or rejoin.",
        parser: .choice(Policy.self), default: Scenario().policy)
    package static let arrivalRate = TypedOption(
        name: "arrival-rate", valueName: "per-second", help: "Arrivals per second instead of the audience's rate.",
        parser: .number(in: 0.000_001...10_000_000))
    package static let nonRelayable = TypedOption(
        name: "non-relayable", valueName: "share", help: "Share of viewers that cannot relay (0...0.9).",
        parser: .number(in: 0...0.9), default: 0)
    package static let abruptShare = TypedOption(
        name: "abrupt-share", valueName: "share",
        help: "Share of departures that are abrupt (noticed only after the detection delay).",
        parser: .number(in: 0...1), default: Scenario().abruptShare)
    package static let connectionFailureRate = TypedOption(
        name: "connection-failure-rate", valueName: "share", help: "Share of new peer connections that fail.",
        parser: .number(in: 0...0.49), default: Scenario().connectionFailureRate)
    package static let restarts = TypedOption(
        name: "restart-at", valueName: "seconds,...", help: "Restart the broadcaster at these times.",
        parser: .list(of: .number(in: 0...31_536_000)))
    package static let restartStrategy = TypedOption(
        name: "restart-strategy", valueName: "name", help: "restore (keep the tree) or reconnect-all (the seed's).",
        parser: .choice(RestartStrategy.self), default: Scenario().restartStrategy)
    package static let coldStart = Flag(
        name: "cold-start", help: "Start from an empty tree instead of a steady-state one.")
    package static let format = TypedOption(
        name: "format", valueName: "name", help: "table, json or csv.", parser: .choice(ReportFormat.self),
        default: ReportFormat.table)
    package static let reproducible = Flag(
        name: "reproducible", help: "Leave out wall time, speed and memory, so equal runs print equal bytes.")

    package static let spec = CommandSpec(
        name: "run",
        abstract: "Simulate one broadcast with churn and report what repairs cost.",
        discussion: """
            Viewers arrive (Poisson, at the rate the audience implies) and leave after
            lognormal sessions (median about 3 minutes, mean about 8.5), through the real
            broadcaster and viewer state machines over a simulated network. The report
            gives the cost per departure (interrupted viewers, reconnections, control
            messages, repair latency), per viewer (interruptions and interrupted seconds
            per viewer-hour, continuity, start-up delay), the tree, protocol health
            (ghosts and stranded viewers: both must be 0) and the run itself.

            Exit status: 0 success, 64 usage error.
            """,
        options: [
            audience.spec, duration.spec, seed.spec, fanout.spec, broadcasterFanout.spec, policy.spec,
            arrivalRate.spec, nonRelayable.spec, abruptShare.spec, connectionFailureRate.spec, restarts.spec,
            restartStrategy.spec, coldStart.spec, format.spec, reproducible.spec,
        ])

    /// The scenario the options describe.
    static func scenario(from arguments: ParsedArguments) throws(CommandError) -> Scenario {
        var scenario = Scenario()
        scenario.audience = try arguments.value(of: audience)
        scenario.duration = try arguments.value(of: duration)
        scenario.seed = try arguments.value(of: seed)
        scenario.fanout = try arguments.value(of: fanout)
        scenario.broadcasterFanout = try arguments.value(of: broadcasterFanout)
        scenario.policy = try arguments.value(of: policy)
        scenario.arrivalRate = try arguments.valueIfPresent(of: arrivalRate)
        let nonRelayableShare = try arguments.value(of: nonRelayable)
        if nonRelayableShare > 0 {
            do {
                scenario.uplinks = try UplinkClasses([
                    UplinkClass(name: "relay", share: 1 - nonRelayableShare),
                    UplinkClass(name: "no-relay", share: nonRelayableShare, relayable: false),
                ])
            } catch {
                throw .usage(error.description)
            }
        }
        scenario.abruptShare = try arguments.value(of: abruptShare)
        scenario.connectionFailureRate = try arguments.value(of: connectionFailureRate)
        scenario.restarts = try arguments.valueIfPresent(of: restarts) ?? []
        scenario.restartStrategy = try arguments.value(of: restartStrategy)
        scenario.warmStart = !arguments.isSet(coldStart)
        do {
            try scenario.validate()
        } catch {
            throw .usage(error.description)
        }
        return scenario
    }

    package static func run<Output: TextOutputStream, ErrorOutput: TextOutputStream>(
        _ arguments: ParsedArguments, io: inout CommandIO<Output, ErrorOutput>
    ) throws(CommandError) {
        let scenario = try scenario(from: arguments)
        let format = try arguments.value(of: Self.format)
        let reproducible = arguments.isSet(Self.reproducible)
        var simulation: Simulation
        do {
            simulation = try Simulation(scenario: scenario)
        } catch {
            throw .usage(error.description)
        }
        let report = simulation.run()
        switch format {
        case .table: io.stdout.write(report.table(reproducible: reproducible))
        case .json: io.stdout.write(JSONWriter.string(report.json(reproducible: reproducible), style: .pretty) + "\n")
        case .csv: io.stdout.write(report.csvHeader(reproducible: reproducible) + "\n" + report.csvRow(reproducible: reproducible) + "\n")
        }
    }
}
