import Testing

@testable import BranchTreeSim

@Suite struct BranchTreeSimCommandTests {
    // Without arguments the tool runs the built-in default scenario (too slow with the
    // `InternalChecks` trait, which validates the tree after every change): check the
    // wiring.
    @Test func noArgumentsRunsTheDefaultScenario() {
        #expect(
            BranchTreeSimCommand.tool.defaultSubcommand.map(ObjectIdentifier.init) == ObjectIdentifier(RunCommand.self))
    }

    @Test func helpListsTheSubcommands() {
        let run = SimRun(["--help"])
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix("OVERVIEW: "))
        #expect(run.stdout.contains("USAGE: branchtree-sim <subcommand>"))
        #expect(run.stdout.contains("SUBCOMMANDS:\n  run "))
        #expect(run.stdout.contains("\n  replay "))
        #expect(run.stderr.isEmpty)
    }

    @Test(arguments: [["--help"], ["-h"], ["help"]])
    func helpPrintsTheToolHelp(arguments: [String]) {
        let run = SimRun(arguments)
        #expect(run.status == 0)
        #expect(run.stdout == SimRun(["--help"]).stdout)
        #expect(run.stderr.isEmpty)
    }

    @Test(arguments: [["--version"], ["replay", "--version"]])
    func versionPrintsNameAndVersion(arguments: [String]) {
        let run = SimRun(arguments)
        #expect(run.status == 0)
        #expect(run.stdout == "branchtree-sim \(BranchTreeSimCommand.version)\n")
        #expect(run.stderr.isEmpty)
    }

    @Test(arguments: [
        ["replay", "--help"], ["replay", "-h"], ["help", "replay"], ["replay", "x", "--fanout", "0", "--help"],
    ])
    func subcommandHelpGoesToStdout(arguments: [String]) {
        let run = SimRun(arguments)
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix("OVERVIEW: Replay a JSON Lines log"))
        #expect(run.stdout.contains("USAGE: branchtree-sim replay [--fanout <n>]"))
        for option in [
            "--fanout <n>", "--broadcaster-fanout <n>", "--policy <name>", "--root-id <id>", "--each", "<file>",
        ] {
            #expect(run.stdout.contains(option))
        }
        #expect(run.stderr.isEmpty)
    }

    @Test func unknownSubcommandIsAUsageError() {
        let run = SimRun(["replya", "x"])
        #expect(run.status == 64)
        #expect(run.stdout.isEmpty)
        #expect(
            run.stderr == """
                Error: unknown subcommand 'replya' (did you mean 'replay'?)
                See 'branchtree-sim --help'.

                """)
    }

    @Test(arguments: [["--fanout", "2"], ["help", "nope"], ["frobnicate"]])
    func unknownWordsBeforeASubcommandAreUsageErrors(arguments: [String]) {
        let run = SimRun(arguments)
        #expect(run.status == 64)
        #expect(run.stderr.hasPrefix("Error: unknown "))
        #expect(run.stderr.hasSuffix("See 'branchtree-sim --help'.\n"))
    }
}
