/// One subcommand of a ``CommandLineTool``: its declaration and what it does.
///
///     enum ReplayCommand: Subcommand {
///         static let spec = CommandSpec(name: "replay", abstract: "…", options: […])
///         static func run<Output, ErrorOutput>(
///             _ arguments: ParsedArguments, io: inout CommandIO<Output, ErrorOutput>
///         ) throws(CommandError) { … }
///     }
///
/// The tool parses the arguments and handles `--help` and `--version` before calling
/// ``run(_:io:)``; `run` writes its results to `io.stdout` and throws a
/// ``CommandError`` to fail. Returning means exit status 0.
package protocol Subcommand {
    static var spec: CommandSpec { get }

    static func run<Output: TextOutputStream, ErrorOutput: TextOutputStream>(
        _ arguments: ParsedArguments, io: inout CommandIO<Output, ErrorOutput>
    ) throws(CommandError)
}
