import BranchTree

/// The options that describe a ``Scenario``, shared by every command that simulates
/// (`run`, `sweep`, `plan`): one option per scenario parameter, plus `--scenario FILE`.
///
///     static let spec = CommandSpec(name: "run", …, options: ScenarioOptions.specs + [format.spec])
///     let scenario = try ScenarioOptions.scenario(from: arguments)
///
/// A command that takes some parameters differently (a sweep's grid of fan-outs) declares
/// ``specs(excluding:)`` and its own options under those names: ``scenario(from:)`` reads
/// only the options the command declares exactly as they are declared here.
///
/// Options given on the command line override the scenario file's values, and both start
/// from the defaults of ``Scenario/init()``.
package enum ScenarioOptions {
    /// How viewers arrive, as `--arrivals` names it.
    package enum Arrivals: String, Sendable, Hashable, CaseIterable {
        /// A Poisson process at the rate the audience implies (or `--arrival-rate`).
        case poisson
        /// Pareto inter-arrival times (shape 2.52) at the same mean rate.
        case pareto
    }

    private static let defaults = Scenario()
    private static let limits = Scenario.Limits.self

    package static let scenarioFile = TypedOption(
        name: "scenario", valueName: "file",
        help: "Read the scenario from this JSON file (see --print-scenario); options given as well override it.",
        parser: .nonEmptyString)
    package static let seed = TypedOption(
        name: "seed", valueName: "n", help: "The random seed: same seed and options, same report.",
        parser: .unsignedInteger, defaultDescription: String(defaults.seed))
    package static let duration = TypedOption(
        name: "duration", valueName: "seconds", help: "Simulated time during which viewers arrive and leave.",
        parser: .decimal(in: limits.duration), defaultDescription: NumberFormat.shortest(defaults.duration))
    package static let audience = TypedOption(
        name: "audience", valueName: "n",
        help: "Target concurrent viewers: sets the arrival rate by Little's law and the warm-start tree.",
        parser: .integer(in: limits.audience), defaultDescription: String(defaults.audience))
    package static let arrivalRate = TypedOption(
        name: "arrival-rate", valueName: "per-second", help: "Arrivals per second instead of the audience's rate.",
        parser: .decimal(in: limits.arrivalRate))
    package static let rateChanges = TypedOption(
        name: "rate-changes", valueName: "s:rate,...",
        help: "Piecewise arrival rate: from s seconds on, rate arrivals per second (e.g. 600:40,1800:5); none.",
        parser: .rateChanges, defaultDescription: "none")
    package static let arrivals = TypedOption(
        name: "arrivals", valueName: "model",
        help: "poisson, or pareto (heavy-tailed inter-arrival times, shape 2.52, at the same mean rate).",
        parser: .choice(Arrivals.self), defaultDescription: Arrivals.poisson.rawValue)
    package static let flashCrowd = TypedOption(
        name: "flash-crowd", valueName: "x:s",
        help: "Multiply the arrival rate by x for the first s seconds (e.g. 10:300); none.",
        parser: .flashCrowd, defaultDescription: "none")
    package static let sessions = TypedOption(
        name: "sessions", valueName: "dist",
        help: "Session lengths in seconds: lognormal:MU,SIGMA, exponential:MEAN or pareto:SHAPE,SCALE.",
        parser: .sessionLengths, defaultDescription: "lognormal:5.19,1.44")
    package static let uplinks = TypedOption(
        name: "uplinks", valueName: "classes",
        help: "Uplink classes NAME:SHARE[:CAPACITY],... with CAPACITY children (0: cannot relay; absent: "
            + "the fan-out) or an uplink rate such as 10Mbps (with --stream-bitrate).",
        parser: .uplinkClasses, defaultDescription: "relay:1")
    package static let nonRelayable = TypedOption(
        name: "non-relayable", valueName: "share",
        help: "Shorthand for --uplinks relay:1-share,no-relay:share:0 (share in 0...0.9).",
        parser: .decimal(in: 0...0.9))
    package static let streamBitrate = TypedOption(
        name: "stream-bitrate", valueName: "rate",
        help: "The stream's bitrate (e.g. 2.5Mbps), to turn --uplinks rates into capacities: uplink ÷ bitrate, "
            + "at most the fan-out.",
        parser: .bitrate)
    package static let fanout = TypedOption(
        name: "fanout", valueName: "n", help: "Children per viewer, in \(limits.fanout).",
        parser: .integer(in: limits.fanout), defaultDescription: String(defaults.fanout))
    package static let broadcasterFanout = TypedOption(
        name: "broadcaster-fanout", valueName: "n", help: "First viewers the broadcaster feeds.",
        parser: .integer(in: limits.fanout), defaultDescription: String(defaults.broadcasterFanout))
    package static let policy = TypedOption(
        name: "policy", valueName: "name",
        help: "skyway (the tail takes the leaver's place), rejoin or stable (old viewers climb).",
        parser: .choice(Policy.self), defaultDescription: defaults.policy.rawValue)
    package static let coldStart = Flag(
        name: "cold-start", help: "Start from an empty tree instead of a steady-state one of --audience viewers.")
    package static let warmStart = Flag(
        name: "warm-start", help: "Start from a steady-state tree (the default; overrides a scenario file).")
    package static let abruptShare = TypedOption(
        name: "abrupt-share", valueName: "share",
        help: "Share of departures that are abrupt (noticed only after the detection delay); the rest are clean.",
        parser: .decimal(in: limits.abruptShare), defaultDescription: NumberFormat.shortest(defaults.abruptShare))
    package static let departureReports = TypedOption(
        name: "departure-reports", valueName: "who",
        help: "Who tells the broadcaster a viewer left: server (its socket closed; and the parents) or "
            + "parents (close_branch only, as in the seed).",
        parser: .choice(DepartureReports.self), defaultDescription: defaults.departureReports.rawValue)
    package static let detectionDelay = TypedOption(
        name: "detection-delay", valueName: "s...s", help: "How long peers take to notice an abrupt departure.",
        parser: .secondsRange(in: limits.delaySeconds), defaultDescription: rangeText(defaults.detectionDelay))
    package static let signallingLatency = TypedOption(
        name: "signalling-latency", valueName: "s...s", help: "One-way signalling latency.",
        parser: .secondsRange(in: limits.delaySeconds), defaultDescription: rangeText(defaults.signallingLatency))
    package static let connectionSetup = TypedOption(
        name: "connection-setup", valueName: "s...s", help: "Time for a new peer connection to carry media.",
        parser: .secondsRange(in: limits.delaySeconds), defaultDescription: rangeText(defaults.connectionSetup))
    package static let connectionFailureRate = TypedOption(
        name: "connection-failure-rate", valueName: "share", help: "Share of new peer connections that fail.",
        parser: .decimal(in: limits.connectionFailureRate),
        defaultDescription: NumberFormat.shortest(defaults.connectionFailureRate))
    package static let restarts = TypedOption(
        name: "restart-at", valueName: "s,...", help: "Restart the broadcaster at these times (seconds); none.",
        parser: .timesOrNone(in: limits.restartTime), defaultDescription: "none")
    package static let restartDowntime = TypedOption(
        name: "restart-downtime", valueName: "seconds", help: "How long each restart keeps the broadcaster down.",
        parser: .decimal(in: limits.waitSeconds), defaultDescription: NumberFormat.shortest(defaults.restartDowntime))
    package static let restartStrategy = TypedOption(
        name: "restart-strategy", valueName: "name", help: "restore (keep the tree) or reconnect-all (the seed's).",
        parser: .choice(RestartStrategy.self), defaultDescription: defaults.restartStrategy.rawValue)
    package static let persistInterval = TypedOption(
        name: "persist-interval", valueName: "seconds",
        help: "How often the broadcaster saves its tree for a restart to reload.",
        parser: .decimal(in: limits.waitSeconds), defaultDescription: NumberFormat.shortest(defaults.persistInterval))
    package static let joinRetry = TypedOption(
        name: "join-retry", valueName: "seconds", help: "A viewer re-sends join this often until placed.",
        parser: .decimal(in: limits.waitSeconds), defaultDescription: NumberFormat.seconds(defaults.timings.joinRetry))
    package static let connectTimeout = TypedOption(
        name: "connect-timeout", valueName: "seconds", help: "How long a new link may take before it counts as failed.",
        parser: .decimal(in: limits.waitSeconds),
        defaultDescription: NumberFormat.seconds(defaults.timings.connectTimeout))
    package static let repairTimeout = TypedOption(
        name: "repair-timeout", valueName: "seconds",
        help: "How long a viewer whose upstream broke waits to be repaired before it joins again.",
        parser: .decimal(in: limits.waitSeconds),
        defaultDescription: NumberFormat.seconds(defaults.timings.repairTimeout))
    package static let restoreWindow = TypedOption(
        name: "restore-window", valueName: "seconds",
        help: "After a restore restart, how long saved viewers have to confirm their place.",
        parser: .decimal(in: limits.waitSeconds),
        defaultDescription: NumberFormat.seconds(defaults.timings.restoreWindow))

    /// Every option that describes a scenario, in help order.
    package static var specs: [OptionSpec] {
        [
            scenarioFile.spec, seed.spec, duration.spec, audience.spec, arrivalRate.spec, rateChanges.spec,
            arrivals.spec, flashCrowd.spec, sessions.spec, uplinks.spec, nonRelayable.spec, streamBitrate.spec,
            fanout.spec, broadcasterFanout.spec, policy.spec, coldStart.spec, warmStart.spec, abruptShare.spec,
            departureReports.spec, detectionDelay.spec, signallingLatency.spec, connectionSetup.spec,
            connectionFailureRate.spec,
            restarts.spec, restartDowntime.spec, restartStrategy.spec, persistInterval.spec, joinRetry.spec,
            connectTimeout.spec, repairTimeout.spec, restoreWindow.spec,
        ]
    }

    /// ``specs`` without the options with these long names (a command that takes those
    /// differently, e.g. sweep's grid).
    ///
    /// - Complexity: O(number of options)
    package static func specs(excluding names: Set<String>) -> [OptionSpec] {
        specs.filter { !names.contains($0.name) }
    }

    /// The scenario the options describe: the defaults, or the `--scenario` file if given,
    /// with every option given on the command line applied over them; validated.
    ///
    /// Reads only the options `arguments.command` declares as ``specs`` declares them.
    ///
    /// - Throws: A usage error (exit 64) for a bad or contradictory option; a data error
    ///   (exit 65) naming the field for a bad scenario file; exit 66 when it cannot be read.
    package static func scenario(from arguments: ParsedArguments) throws(CommandError) -> Scenario {
        try scenarioAndReplicates(from: arguments).scenario
    }

    /// ``scenario(from:)``, and the replicates of the report given as `--scenario`, if it
    /// was one: what the command runs unless `--replicates` says otherwise.
    ///
    /// - Throws: As ``scenario(from:)``.
    package static func scenarioAndReplicates(
        from arguments: ParsedArguments
    ) throws(CommandError) -> (scenario: Scenario, replicates: Int?) {
        let reader = Reader(arguments: arguments)
        var scenario = Scenario()
        var replicates: Int?
        if let path = try reader.value(scenarioFile) {
            let file = try ScenarioFile.read(path: path)
            scenario = file.scenario
            replicates = file.replicates
        }
        if let value = try reader.value(seed) { scenario.seed = value }
        if let value = try reader.value(duration) { scenario.duration = value }
        if let value = try reader.value(audience) { scenario.audience = value }
        if let value = try reader.value(arrivalRate) { scenario.arrivalRate = value }
        if let value = try reader.value(rateChanges) { scenario.rateChanges = value }
        if let value = try reader.value(arrivals) { scenario.heavyTailedArrivals = value == .pareto }
        if let value = try reader.value(flashCrowd) { scenario.flashCrowd = value }
        if let value = try reader.value(sessions) { scenario.sessions = value }
        if let value = try reader.value(fanout) { scenario.fanout = value }
        if let value = try reader.value(broadcasterFanout) { scenario.broadcasterFanout = value }
        if let value = try reader.value(policy) { scenario.policy = value }
        if let value = try reader.value(abruptShare) { scenario.abruptShare = value }
        if let value = try reader.value(departureReports) { scenario.departureReports = value }
        if let value = try reader.value(detectionDelay) { scenario.detectionDelay = value }
        if let value = try reader.value(signallingLatency) { scenario.signallingLatency = value }
        if let value = try reader.value(connectionSetup) { scenario.connectionSetup = value }
        if let value = try reader.value(connectionFailureRate) { scenario.connectionFailureRate = value }
        if let value = try reader.value(restarts) { scenario.restarts = value }
        if let value = try reader.value(restartDowntime) { scenario.restartDowntime = value }
        if let value = try reader.value(restartStrategy) { scenario.restartStrategy = value }
        if let value = try reader.value(persistInterval) { scenario.persistInterval = value }
        if let value = try reader.value(joinRetry) { scenario.timings.joinRetry = Scenario.duration(seconds: value) }
        if let value = try reader.value(connectTimeout) {
            scenario.timings.connectTimeout = Scenario.duration(seconds: value)
        }
        if let value = try reader.value(repairTimeout) {
            scenario.timings.repairTimeout = Scenario.duration(seconds: value)
        }
        if let value = try reader.value(restoreWindow) {
            scenario.timings.restoreWindow = Scenario.duration(seconds: value)
        }
        switch (reader.isSet(coldStart), reader.isSet(warmStart)) {
        case (true, true): throw .usage("'--cold-start' and '--warm-start' contradict each other")
        case (true, false): scenario.warmStart = false
        case (false, true): scenario.warmStart = true
        case (false, false): break
        }
        // After the fan-out: an uplink rate becomes a capacity of at most the fan-out.
        if let uplinkClasses = try uplinkClasses(reader, fanout: scenario.fanout) {
            scenario.uplinks = uplinkClasses
        }
        do {
            try scenario.validate()
        } catch {
            throw .usage(error.description)
        }
        return (scenario, replicates)
    }

    /// The uplink classes `--uplinks` or `--non-relayable` give, or nil when neither is given.
    private static func uplinkClasses(_ reader: Reader, fanout: Int) throws(CommandError) -> UplinkClasses? {
        let specs = try reader.value(uplinks)
        let nonRelayableShare = try reader.value(nonRelayable)
        let bitrate = try reader.value(streamBitrate)
        if specs != nil, nonRelayableShare != nil {
            throw .usage("'\(uplinks.spec.synopsis)' and '\(nonRelayable.spec.synopsis)' contradict each other")
        }
        var classes: [UplinkClass] = []
        if let nonRelayableShare {
            classes = [
                UplinkClass(name: "relay", share: 1 - nonRelayableShare),
                UplinkClass(name: "no-relay", share: nonRelayableShare, relayable: false),
            ]
        }
        for spec in specs ?? [] {
            classes.append(
                try spec.uplinkClass { (uplink) throws(CommandError) -> Int in
                    guard let bitrate else {
                        throw .usage(
                            "'\(uplinks.spec.synopsis)': class \"\(spec.name)\" gives an uplink rate, which needs "
                                + "'\(streamBitrate.spec.synopsis)'")
                    }
                    do throws(WorkloadError) {
                        return try UplinkClasses.relayCapacity(
                            uplinkBitsPerSecond: uplink.bitsPerSecond, streamBitsPerSecond: bitrate.bitsPerSecond,
                            fanout: fanout)
                    } catch {
                        throw .usage("'\(uplinks.spec.synopsis)': \(error.description)")
                    }
                })
        }
        guard !classes.isEmpty else { return nil }
        do {
            return try UplinkClasses(classes)
        } catch {
            let option = specs == nil ? nonRelayable.spec : uplinks.spec
            throw .usage("'\(option.synopsis)': \(error.description)")
        }
    }

    /// `0.05...0.1`, or `5` for a range of one value.
    static func rangeText(_ range: ClosedRange<Double>) -> String {
        let low = NumberFormat.shortest(range.lowerBound)
        return range.lowerBound == range.upperBound ? low : low + "..." + NumberFormat.shortest(range.upperBound)
    }

    /// Reads an option only when the command declares it as this type declares it, so a
    /// command's own option of the same name is left to the command.
    private struct Reader {
        let arguments: ParsedArguments

        func value<Value>(_ option: TypedOption<Value>) throws(CommandError) -> Value? {
            guard arguments.command.options.contains(option.spec) else { return nil }
            return try arguments.valueIfPresent(of: option)
        }

        func isSet(_ flag: Flag) -> Bool {
            arguments.command.options.contains(flag.spec) && arguments.isSet(flag)
        }
    }
}
