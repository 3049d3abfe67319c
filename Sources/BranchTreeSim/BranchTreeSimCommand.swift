/// The `branchtree-sim` tool: simulates and replays BranchTree relay trees.
///
///     exit(BranchTreeSimCommand.main())     // the executable
///
///     var out = "", err = ""
///     let status = BranchTreeSimCommand.main(
///         arguments: ["replay", "--fanout", "2", "-"], stdin: .text(log), stdout: &out, stderr: &err)
///
/// Subcommands: `run`, `sweep`, `plan`, `replay`. Without arguments it runs the built-in
/// default scenario.
public enum BranchTreeSimCommand {
    /// The version `--version` prints.
    public static let version = ToolVersion.current

    /// The tool's declaration: name, version, help and subcommands.
    package static var tool: CommandLineTool {
        CommandLineTool(
            name: "branchtree-sim", version: version,
            abstract: "Simulate and replay BranchTree relay trees for peer-to-peer live broadcasts.",
            subcommands: [RunCommand.self, SweepCommand.self, PlanCommand.self, ReplayCommand.self, MergeCommand.self],
            defaultSubcommand: RunCommand.self)
    }

    /// Runs the tool in-process with the given arguments (without the program name) and
    /// streams, and returns the exit status.
    public static func main<Output: TextOutputStream, ErrorOutput: TextOutputStream>(
        arguments: [String], stdin: InputSource, stdout: inout Output, stderr: inout ErrorOutput
    ) -> Int32 {
        var io = CommandIO(stdin: stdin, stdout: stdout, stderr: stderr)
        defer {
            stdout = io.stdout
            stderr = io.stderr
        }
        return tool.run(arguments, io: &io)
    }

    /// Runs the tool on the process's arguments and standard streams, and returns the
    /// exit status.
    public static func main() -> Int32 {
        var stdout = StandardOutputStream()
        var stderr = StandardErrorStream()
        return main(
            arguments: Array(CommandLine.arguments.dropFirst()), stdin: .standardInput,
            stdout: &stdout, stderr: &stderr)
    }
}
