/// A command-line tool made of subcommands: dispatch, help, version and error reporting.
///
///     let tool = CommandLineTool(
///         name: "branchtree-sim", version: "0.1.0", abstract: "…",
///         subcommands: [ReplayCommand.self])
///     let status = tool.run(["replay", "--each", "log.jsonl"], io: &io)
///
/// - No arguments: runs ``defaultSubcommand`` with none, or prints the tool's help
///   (exit 0) when there is none.
/// - `--help`, `-h`, `help`: the tool's help on standard output, exit 0;
///   `help <subcommand>` and `<subcommand> --help`: that subcommand's help.
/// - `--version`: `<name> <version>` on standard output, exit 0.
/// - Anything else names a subcommand, which gets the remaining arguments.
///
/// Errors go to standard error as `Error: …`, one line that names what is wrong. A usage
/// error (exit 64) is followed by `See '<name> <subcommand> --help'.` rather than the
/// whole usage, which would bury that line; other errors exit with their own status.
package struct CommandLineTool {
    package var name: String
    package var version: String
    package var abstract: String
    package var discussion: String?
    package var subcommands: [any Subcommand.Type]
    /// What runs when the tool is called without arguments; nil prints the help.
    package var defaultSubcommand: (any Subcommand.Type)?

    package init(
        name: String, version: String, abstract: String, discussion: String? = nil,
        subcommands: [any Subcommand.Type], defaultSubcommand: (any Subcommand.Type)? = nil
    ) {
        self.name = name
        self.version = version
        self.abstract = abstract
        self.discussion = discussion
        self.subcommands = subcommands
        self.defaultSubcommand = defaultSubcommand
    }

    /// `branchtree-sim 0.1.0`.
    package var versionLine: String { "\(name) \(version)" }

    /// The tool's help screen.
    package var help: String {
        HelpFormatter.toolHelp(
            toolName: name, abstract: abstract, discussion: discussion, subcommands: subcommands.map { $0.spec })
    }

    /// Runs the tool on `arguments` (without the program name) and returns the exit status.
    package func run<Output: TextOutputStream, ErrorOutput: TextOutputStream>(
        _ arguments: [String], io: inout CommandIO<Output, ErrorOutput>
    ) -> Int32 {
        guard let first = arguments.first else {
            if let defaultSubcommand { return run(defaultSubcommand, [], io: &io) }
            io.stdout.write(help)
            return ExitCode.success.rawValue
        }
        switch first {
        case "--help", "-h":
            io.stdout.write(help)
            return ExitCode.success.rawValue
        case "--version":
            io.stdout.write(versionLine + "\n")
            return ExitCode.success.rawValue
        case "help":
            guard arguments.count > 1 else {
                io.stdout.write(help)
                return ExitCode.success.rawValue
            }
            guard let subcommand = subcommand(named: arguments[1]) else {
                return reportUnknown(arguments[1], io: &io)
            }
            io.stdout.write(HelpFormatter.help(of: subcommand.spec, toolName: name))
            return ExitCode.success.rawValue
        default:
            guard let subcommand = subcommand(named: first) else { return reportUnknown(first, io: &io) }
            return run(subcommand, Array(arguments.dropFirst()), io: &io)
        }
    }

    private func subcommand(named name: String) -> (any Subcommand.Type)? {
        subcommands.first { $0.spec.name == name }
    }

    private func run<Output: TextOutputStream, ErrorOutput: TextOutputStream>(
        _ subcommand: any Subcommand.Type, _ arguments: [String], io: inout CommandIO<Output, ErrorOutput>
    ) -> Int32 {
        let spec = subcommand.spec
        do {
            switch try ArgumentParser.parse(arguments, for: spec) {
            case .help:
                io.stdout.write(HelpFormatter.help(of: spec, toolName: name))
            case .version:
                io.stdout.write(versionLine + "\n")
            case .arguments(let parsed):
                try subcommand.run(parsed, io: &io)
            }
            return ExitCode.success.rawValue
        } catch {
            io.stderr.write("\(error)\n")
            if error.showsUsage { io.stderr.write("See '\(name) \(spec.name) --help'.\n") }
            return error.exitCode.rawValue
        }
    }

    private func reportUnknown<Output: TextOutputStream, ErrorOutput: TextOutputStream>(
        _ word: String, io: inout CommandIO<Output, ErrorOutput>
    ) -> Int32 {
        let what = word.hasPrefix("-") ? "option" : "subcommand"
        let hint = NameSuggestion.hint(for: word, among: subcommands.map { $0.spec.name })
        io.stderr.write("Error: unknown \(what) '\(word)'\(hint)\n")
        io.stderr.write("See '\(name) --help'.\n")
        return ExitCode.usage.rawValue
    }
}
