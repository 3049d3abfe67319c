import BranchTreeSim
import Testing

@Suite struct BranchTreeSimCommandTests {
    @Test func noArgumentsPrintsTheHelpAndSucceeds() {
        let run = SimRun([])
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix("OVERVIEW: "))
        #expect(run.stdout.contains("USAGE: branchtree-sim <subcommand>"))
        #expect(run.stdout.contains("SUBCOMMANDS:\n  replay "))
        #expect(run.stderr.isEmpty)
    }

    @Test(arguments: [["--help"], ["-h"], ["help"]])
    func helpPrintsTheToolHelp(arguments: [String]) {
        let run = SimRun(arguments)
        #expect(run.status == 0)
        #expect(run.stdout == SimRun([]).stdout)
        #expect(run.stderr.isEmpty)
    }

    @Test(arguments: [["--version"], ["replay", "--version"]])
    func versionPrintsNameAndVersion(arguments: [String]) {
        let run = SimRun(arguments)
        #expect(run.status == 0)
        #expect(run.stdout == "branchtree-sim \(BranchTreeSimCommand.version)\n")
        #expect(run.stderr.isEmpty)
    }

    @Test(arguments: [["replay", "--help"], ["replay", "-h"], ["help", "replay"], ["replay", "x", "--fanout", "0", "--help"]])
    func subcommandHelpGoesToStdout(arguments: [String]) {
        let run = SimRun(arguments)
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix("OVERVIEW: Replay a JSON Lines log"))
        #expect(run.stdout.contains("USAGE: branchtree-sim replay [--fanout <n>]"))
        for option in ["--fanout <n>", "--broadcaster-fanout <n>", "--policy <name>", "--root-id <id>", "--each", "<file>"] {
            #expect(run.stdout.contains(option))
        }
        #expect(run.stderr.isEmpty)
    }

    @Test func unknownSubcommandIsAUsageError() {
        let run = SimRun(["replya", "x"])
        #expect(run.status == 64)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr == """
            Error: unknown subcommand 'replya' (did you mean 'replay'?)
            Usage: branchtree-sim <subcommand>
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
