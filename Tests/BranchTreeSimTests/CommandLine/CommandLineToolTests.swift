import BranchTreeSim
import Testing

/// A subcommand that echoes its argument, or fails as asked.
private enum EchoCommand: Subcommand {
    static let times = TypedOption(
        name: "times", valueName: "n", help: "Repeat.", parser: .integer(in: 1...3), default: 1)
    static let fail = TypedOption(name: "fail", valueName: "code", help: "Fail.", parser: .integer)
    static let word = ArgumentSpec(name: "word", help: "The word.", isOptional: true)
    static let spec = CommandSpec(
        name: "echo", abstract: "Echo a word.", options: [times.spec, fail.spec], arguments: [word])

    static func run<Output: TextOutputStream, ErrorOutput: TextOutputStream>(
        _ arguments: ParsedArguments, io: inout CommandIO<Output, ErrorOutput>
    ) throws(CommandError) {
        let times = try arguments.value(of: Self.times)
        if let code = try arguments.valueIfPresent(of: fail) {
            throw CommandError(exitCode: ExitCode(rawValue: Int32(code)), message: "failed as asked")
        }
        for _ in 0..<times { io.stdout.write((arguments.argument(word) ?? "default") + "\n") }
    }
}

@Suite struct CommandLineToolTests {
    private func run(_ arguments: [String], defaultSubcommand: (any Subcommand.Type)? = nil) -> (Int32, String, String)
    {
        let tool = CommandLineTool(
            name: "tool", version: "9.9", abstract: "A tool.", subcommands: [EchoCommand.self],
            defaultSubcommand: defaultSubcommand)
        var io = CommandIO(stdin: .bytes([]), stdout: "", stderr: "")
        let status = tool.run(arguments, io: &io)
        return (status, io.stdout, io.stderr)
    }

    @Test func dispatchesToTheSubcommand() {
        let (status, out, err) = run(["echo", "--times=2", "hi"])
        #expect(status == 0)
        #expect(out == "hi\nhi\n")
        #expect(err.isEmpty)
    }

    @Test func defaultSubcommandRunsWithoutArguments() {
        #expect(run([], defaultSubcommand: EchoCommand.self).1 == "default\n")
        #expect(run([]).1.hasPrefix("OVERVIEW: A tool."))
    }

    @Test func usageErrorsPrintTheWrongLineAndAHint() {
        let (status, out, err) = run(["echo", "--times", "4"])
        #expect(status == 64)
        #expect(out.isEmpty)
        #expect(
            err == """
                Error: invalid value '4' for '--times <n>': expected an integer in 1...3
                See 'tool echo --help'.

                """)
    }

    @Test func otherErrorsPrintOnlyTheMessage() {
        let (status, out, err) = run(["echo", "--fail", "66"])
        #expect(status == 66)
        #expect(out.isEmpty)
        #expect(err == "Error: failed as asked\n")
    }

    @Test func helpAndVersion() {
        #expect(run(["echo", "--help"]).1.hasPrefix("OVERVIEW: Echo a word.\n\nUSAGE: tool echo "))
        #expect(run(["--version"]).1 == "tool 9.9\n")
        #expect(run(["help"]).1.contains("SUBCOMMANDS:\n  echo                    Echo a word.\n"))
    }
}
