import BranchTree
import Testing

@testable import BranchTreeSim

/// The scenario `run` would simulate with `options`, read back from `--print-scenario`.
private func printedScenario(_ options: [String]) throws -> Scenario {
    let run = SimRun(["run"] + options + ["--print-scenario"])
    try #require(run.status == 0, "\(options): \(run.stderr)")
    #expect(run.stderr.isEmpty)
    return try Scenario(jsonBytes: Array(run.stdout.utf8))
}

/// The default scenario changed by `change`.
private func scenario(_ change: (inout Scenario) -> Void) -> Scenario {
    var scenario = Scenario()
    change(&scenario)
    return scenario
}

private let validCases: [(options: [String], expected: Scenario)] = [
    ([], Scenario()),
    (["--seed", "18446744073709551615"], scenario { $0.seed = .max }),
    (["--duration", "90.5"], scenario { $0.duration = 90.5 }),
    (["--audience", "0"], scenario { $0.audience = 0 }),
    (["--arrival-rate", "12.5"], scenario { $0.arrivalRate = 12.5 }),
    (
        ["--rate-changes", "600:40,1800:0"],
        scenario {
            $0.rateChanges = [.init(at: 600, rate: 40), .init(at: 1_800, rate: 0)]
        }
    ),
    (["--rate-changes", "none"], Scenario()),
    (["--arrivals", "pareto"], scenario { $0.heavyTailedArrivals = true }),
    (["--arrivals", "poisson"], Scenario()),
    (["--flash-crowd", "10:300"], scenario { $0.flashCrowd = .init(multiplier: 10, duration: .seconds(300)) }),
    (["--flash-crowd=2.5:0.5"], scenario { $0.flashCrowd = .init(multiplier: 2.5, duration: .milliseconds(500)) }),
    (["--flash-crowd", "none"], Scenario()),
    (["--sessions", "lognormal:5,1.2"], scenario { $0.sessions = .lognormal(mu: 5, sigma: 1.2) }),
    (["--sessions", "exponential:506"], scenario { $0.sessions = .exponential(mean: 506) }),
    (["--sessions", "pareto:1.5,60"], scenario { $0.sessions = .pareto(shape: 1.5, scale: 60) }),
    (
        ["--uplinks", "fibre:0.6,dsl:0.3:1,mobile:0.1:0"],
        scenario {
            $0.uplinks = try! UplinkClasses([
                UplinkClass(name: "fibre", share: 0.6), UplinkClass(name: "dsl", share: 0.3, capacity: 1),
                UplinkClass(name: "mobile", share: 0.1, relayable: false, capacity: 0),
            ])
        }
    ),
    // 20 Mbps carries 8 streams of 2.5 Mbps, capped at the fan-out; 1 Mbps none.
    (
        [
            "--uplinks", "fast:0.5:20Mbps,slow:0.4:6000kbps,none:0.1:1Mbps", "--stream-bitrate", "2.5Mbps", "--fanout",
            "4",
        ],
        scenario {
            $0.fanout = 4
            $0.uplinks = try! UplinkClasses([
                UplinkClass(name: "fast", share: 0.5, capacity: 4), UplinkClass(name: "slow", share: 0.4, capacity: 2),
                UplinkClass(name: "none", share: 0.1, relayable: false, capacity: 0),
            ])
        }
    ),
    (
        ["--non-relayable", "0.25"],
        scenario {
            $0.uplinks = try! UplinkClasses([
                UplinkClass(name: "relay", share: 0.75), UplinkClass(name: "no-relay", share: 0.25, relayable: false),
            ])
        }
    ),
    (["--fanout", "64"], scenario { $0.fanout = 64 }),
    (["--broadcaster-fanout", "5"], scenario { $0.broadcasterFanout = 5 }),
    (["--policy", "rejoin"], scenario { $0.policy = .rejoin }),
    (["--cold-start"], scenario { $0.warmStart = false }),
    (["--warm-start"], Scenario()),
    (["--abrupt-share", "1"], scenario { $0.abruptShare = 1 }),
    (["--departure-reports", "parents"], scenario { $0.departureReports = .parents }),
    (["--detection-delay", "2...8"], scenario { $0.detectionDelay = 2...8 }),
    (["--signalling-latency", "0.02"], scenario { $0.signallingLatency = 0.02...0.02 }),
    (["--connection-setup", "0...0.5"], scenario { $0.connectionSetup = 0...0.5 }),
    (["--connection-failure-rate", "0"], scenario { $0.connectionFailureRate = 0 }),
    (["--restart-at", "600,1200.5"], scenario { $0.restarts = [600, 1_200.5] }),
    (["--restart-at", "none"], Scenario()),
    (["--restart-downtime", "30"], scenario { $0.restartDowntime = 30 }),
    (["--restart-strategy", "reconnect-all"], scenario { $0.restartStrategy = .reconnectAll }),
    (["--persist-interval", "2.5"], scenario { $0.persistInterval = 2.5 }),
    (["--join-retry", "0.25"], scenario { $0.timings.joinRetry = .milliseconds(250) }),
    (["--connect-timeout", "10"], scenario { $0.timings.connectTimeout = .seconds(10) }),
    (["--repair-timeout", "20"], scenario { $0.timings.repairTimeout = .seconds(20) }),
    (["--restore-window", "0.001"], scenario { $0.timings.restoreWindow = .milliseconds(1) }),
]

/// Bad values and combinations, with the option the message must name.
private let invalidCases: [(options: [String], names: String)] = [
    (["--seed", "-1"], "--seed <n>"),
    (["--duration", "0"], "--duration <seconds>"),
    (["--audience", "lots"], "--audience <n>"),
    (["--arrival-rate", "0"], "--arrival-rate <per-second>"),
    (["--rate-changes", "600"], "--rate-changes <s:rate,...>"),
    (["--rate-changes", "600:40,"], "--rate-changes <s:rate,...>"),
    (["--rate-changes", "0:40"], "--rate-changes <s:rate,...>"),
    (["--arrivals", "bursty"], "--arrivals <model>"),
    (["--flash-crowd", "10"], "--flash-crowd <x:s>"),
    (["--flash-crowd", "10:0"], "--flash-crowd <x:s>"),
    (["--sessions", "lognormal:5.19"], "--sessions <dist>"),
    (["--sessions", "exponential:0"], "--sessions <dist>"),
    (["--sessions", "weibull:1,2"], "--sessions <dist>"),
    (["--sessions", "pareto:1.5,60,7"], "--sessions <dist>"),
    (["--uplinks", "fibre"], "--uplinks <classes>"),
    (["--uplinks", "fibre:1.5"], "--uplinks <classes>"),
    (["--uplinks", ":1"], "--uplinks <classes>"),
    (["--uplinks", "fibre:1:65"], "--uplinks <classes>"),
    (["--uplinks", "fibre:1:1e7"], "--uplinks <classes>"),  // a rate needs its unit
    (["--uplinks", "fibre:0.5,dsl:0.4"], "--uplinks <classes>"),  // shares add up to 0.9
    (["--uplinks", "a:0.5,a:0.5"], "--uplinks <classes>"),
    (["--uplinks", "fibre:1:20Mbps"], "--stream-bitrate <rate>"),
    (["--uplinks", "fibre:1", "--non-relayable", "0.1"], "--non-relayable <share>"),
    (["--non-relayable", "0.95"], "--non-relayable <share>"),
    (["--stream-bitrate", "0"], "--stream-bitrate <rate>"),
    (["--stream-bitrate", "fast"], "--stream-bitrate <rate>"),
    (["--fanout", "0"], "--fanout <n>"),
    (["--broadcaster-fanout", "65"], "--broadcaster-fanout <n>"),
    (["--policy", "skyways"], "--policy <name>"),
    (["--cold-start", "--warm-start"], "--cold-start"),
    (["--abrupt-share", "1.1"], "--abrupt-share <share>"),
    (["--departure-reports", "nobody"], "--departure-reports <who>"),
    (["--detection-delay", "30...5"], "--detection-delay <s...s>"),
    (["--detection-delay", "5-30"], "--detection-delay <s...s>"),
    (["--signalling-latency", "0.05..0.1"], "--signalling-latency <s...s>"),
    (["--connection-setup", "1...3601"], "--connection-setup <s...s>"),
    (["--connection-failure-rate", "0.5"], "--connection-failure-rate <share>"),
    (["--restart-at", "10,x"], "--restart-at <s,...>"),
    (["--restart-downtime", "0"], "--restart-downtime <seconds>"),
    (["--restart-strategy", "reconnect_all"], "--restart-strategy <name>"),
    (["--persist-interval", "-1"], "--persist-interval <seconds>"),
    (["--join-retry", "0"], "--join-retry <seconds>"),
    (["--connect-timeout", "86401"], "--connect-timeout <seconds>"),
    (["--repair-timeout", "inf"], "--repair-timeout <seconds>"),
    (["--restore-window", "nan"], "--restore-window <seconds>"),
]

@Suite struct ScenarioOptionsTests {
    @Test(arguments: validCases)
    func eachOptionSetsItsParameter(options: [String], expected: Scenario) throws {
        #expect(try printedScenario(options) == expected)
    }

    @Test(arguments: invalidCases)
    func badValuesAreUsageErrorsNamingTheOption(options: [String], names option: String) {
        let run = SimRun(["run"] + options + ["--print-scenario"])
        #expect(run.status == 64, "\(options)")
        #expect(run.stdout.isEmpty)
        let firstLine = run.stderr.prefix { $0 != "\n" }
        #expect(firstLine.hasPrefix("Error: "))
        #expect(firstLine.contains("'\(option)"), "\(options): \(firstLine)")
        #expect(run.stderr.hasSuffix("\nSee 'branchtree-sim run --help'.\n"))
    }

    /// A restart after the end is a combination no single option's parser sees.
    @Test func contradictoryOptionsAreUsageErrors() {
        let run = SimRun(["run", "--duration", "60", "--restart-at", "90", "--print-scenario"])
        #expect(run.status == 64)
        #expect(run.stderr.hasPrefix("Error: restart time 90.0 must be within the duration\n"))
    }

    @Test func everyScenarioParameterHasAnOption() {
        // One option per key of the scenario file, plus the file itself and the shorthands.
        let names = Set(ScenarioOptions.specs.map(\.name))
        #expect(names.count == ScenarioOptions.specs.count)
        #expect(
            names == [
                "scenario", "seed", "duration", "audience", "arrival-rate", "rate-changes", "arrivals", "flash-crowd",
                "sessions", "uplinks", "non-relayable", "stream-bitrate", "fanout", "broadcaster-fanout", "policy",
                "cold-start", "warm-start", "abrupt-share", "departure-reports", "detection-delay",
                "signalling-latency",
                "connection-setup", "connection-failure-rate", "restart-at", "restart-downtime", "restart-strategy",
                "persist-interval", "join-retry", "connect-timeout", "repair-timeout", "restore-window",
            ])
        #expect(RunCommand.spec.options.starts(with: ScenarioOptions.specs))
    }

    @Test func specsCanLeaveOptionsOut() {
        let specs = ScenarioOptions.specs(excluding: ["fanout", "policy"])
        #expect(specs.map(\.name) == ScenarioOptions.specs.map(\.name).filter { $0 != "fanout" && $0 != "policy" })
    }

    /// A command that declares its own `--fanout` (a sweep's list) keeps it from the
    /// scenario: only options declared as ScenarioOptions declares them are read.
    @Test func aCommandsOwnOptionOfTheSameNameIsNotRead() throws {
        let fanouts = TypedOption(
            name: "fanout", valueName: "n,...", help: "Fan-outs.", parser: .list(of: .integer(in: 1...64)))
        let command = CommandSpec(
            name: "sweep", abstract: "test", options: ScenarioOptions.specs(excluding: ["fanout"]) + [fanouts.spec])
        guard
            case .arguments(let arguments) = try ArgumentParser.parse(["--fanout", "2,3", "--seed", "9"], for: command)
        else {
            Issue.record("not parsed as arguments")
            return
        }
        let scenario = try ScenarioOptions.scenario(from: arguments)
        #expect(scenario.fanout == Scenario().fanout)
        #expect(scenario.seed == 9)
        #expect(try arguments.value(of: fanouts) == [2, 3])
    }
}

@Suite struct ScenarioFileOptionTests {
    @Test func optionsOverrideTheFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.write(
            "s.json", #"{"fanout": 4, "seed": 3, "warmStart": false, "flashCrowd": {"multiplier": 5, "duration": 60}}"#)
        #expect(
            try printedScenario(["--scenario", file])
                == scenario {
                    $0.fanout = 4
                    $0.seed = 3
                    $0.warmStart = false
                    $0.flashCrowd = .init(multiplier: 5, duration: .seconds(60))
                })
        // Given before or after --scenario, an option wins over the file.
        for options in [
            ["--fanout", "2", "--scenario", file, "--warm-start", "--flash-crowd", "none"],
            ["--scenario", file, "--fanout", "2", "--warm-start", "--flash-crowd", "none"],
        ] {
            #expect(
                try printedScenario(options)
                    == scenario {
                        $0.fanout = 2
                        $0.seed = 3
                    })
        }
    }

    @Test func uplinkRatesUseTheFinalFanout() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.write("s.json", #"{"fanout": 2}"#)
        let scenario = try printedScenario([
            "--scenario", file, "--uplinks", "fast:1:100Mbps", "--stream-bitrate", "1Mbps",
        ])
        #expect(scenario.uplinks.classes == [UplinkClass(name: "fast", share: 1, capacity: 2)])
    }

    @Test func printedScenariosReadBackTheSame() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let options = [
            "--seed", "42", "--duration", "1800", "--audience", "2500", "--rate-changes", "600:3.5", "--flash-crowd",
            "20:120",
            "--sessions", "pareto:1.8,45", "--uplinks", "fibre:0.7:3,mobile:0.3:0", "--fanout", "5", "--policy",
            "rejoin",
            "--cold-start", "--abrupt-share", "0.45", "--detection-delay", "3...12", "--signalling-latency",
            "0.03...0.2",
            "--connection-setup", "0.8...4", "--connection-failure-rate", "0.07", "--restart-at", "300,900",
            "--restart-downtime", "8", "--restart-strategy", "reconnect-all", "--persist-interval", "4",
            "--join-retry", "2", "--connect-timeout", "12.5", "--repair-timeout", "33", "--restore-window", "6",
        ]
        let first = SimRun(["run"] + options + ["--print-scenario"])
        #expect(first.status == 0)
        let file = try directory.write("saved.json", first.stdout)
        let second = SimRun(["run", "--scenario", file, "--print-scenario"])
        #expect(second.status == 0)
        #expect(second.stdout == first.stdout)
        #expect(try Scenario(jsonBytes: Array(second.stdout.utf8)) == printedScenario(options))
    }

    @Test func aBadFileIsADataErrorNamingFileAndField() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.write("scenario.json", #"{"fanout": 99}"#)
        let run = SimRun(["run", "--scenario", file])
        #expect(run.status == 65)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr == "Error: \(file): \"fanout\": must be an integer in 1...64, got 99\n")
        let typo = try directory.write("typo.json", #"{"fanuot": 4}"#)
        #expect(
            SimRun(["run", "--scenario", typo]).stderr
                == "Error: \(typo): \"fanuot\": unknown key (did you mean \"fanout\"?)\n")
    }

    @Test(
        "A fraction or exponent for an integer, -0 for the seed, or a repeated key exit 65 naming the field",
        arguments: [
            (#"{"fanout": 3.0}"#, #""fanout": must be an integer in 1...64, got 3.0"#),
            (#"{"audience": 1e4}"#, #""audience": must be an integer in 0...50000000, got 1e4"#),
            (#"{"seed": -0}"#, #""seed": must be an integer in 0...18446744073709551615, got -0"#),
            (#"{"timings": {"joinRetry": 3, "joinRetry": 3}}"#, #""timings.joinRetry": appears more than once"#),
        ])
    func looseFilesAreDataErrors(text: String, message: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.write("scenario.json", text)
        for command in [["run"], ["sweep"], ["plan"]] {
            let run = SimRun(command + ["--scenario", file])
            #expect(run.status == 65)
            #expect(run.stdout.isEmpty)
            #expect(run.stderr == "Error: \(file): \(message)\n")
        }
    }

    @Test func anOversizedFileIsRefusedWithoutBeingRead() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // One line, no newline: refused at the size limit, not read to the end first.
        let file = try directory.write("huge.json", [UInt8](repeating: UInt8(ascii: " "), count: 3 << 20))
        let run = SimRun(["run", "--scenario", file])
        #expect(run.status == 65)
        #expect(run.stderr == "Error: \(file): larger than 1024 KiB, not a scenario file\n")
    }

    @Test func aBadFileIsReportedEvenWhenAnOptionWouldOverrideIt() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.write("scenario.json", #"{"fanout": 99}"#)
        #expect(SimRun(["run", "--scenario", file, "--fanout", "3", "--print-scenario"]).status == 65)
    }

    @Test func aMissingFileIsExit66() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let run = SimRun(["run", "--scenario", directory.path + "/missing.json"])
        #expect(run.status == 66)
        #expect(run.stderr.hasPrefix("Error: cannot open '\(directory.path)/missing.json': "))
        #expect(SimRun(["run", "--scenario", directory.path]).status == 66)
    }

    /// Random mutations of a saved scenario, through the command: exit 0 or 65, never
    /// anything else, and a message naming the file.
    @Test func mutatedFilesExit0Or65() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let valid = SimRun(["run", "--uplinks", "a:0.5,b:0.5:1", "--flash-crowd", "3:60", "--print-scenario"]).stdout
        var random = Xoshiro256StarStar(seed: 65)
        let bytes = Array(valid.utf8)
        for index in 0..<40 {
            var mutated = bytes
            let position = Int(random.next(below: UInt64(mutated.count)))
            switch index % 3 {
            case 0: mutated.remove(at: position)
            case 1: mutated[position] = UInt8(truncatingIfNeeded: random.next())
            default: mutated.insert(contentsOf: Array(#""x": 1,"#.utf8), at: position)
            }
            let file = try directory.write("m\(index).json", mutated)
            let run = SimRun(["run", "--scenario", file, "--print-scenario"])
            #expect(run.status == 0 || run.status == 65)
            if run.status == 65 { #expect(run.stderr.hasPrefix("Error: \(file): ")) }
        }
    }
}
