/// Why a command stopped: the message for standard error and the exit status.
///
///     throw CommandError.usage("missing argument <file>")        // exit 64, with usage
///     throw CommandError.dataError("line 7: unknown viewer \"X\"") // exit 65
///
/// A usage error (exit 64) is printed with the command's usage line and a pointer to its
/// help; every other error is printed as its message alone.
package struct CommandError: Error, Hashable, Sendable, CustomStringConvertible {
    package var exitCode: ExitCode
    /// One line, without the `Error: ` prefix.
    package var message: String

    package init(exitCode: ExitCode, message: String) {
        self.exitCode = exitCode
        self.message = message
    }

    /// A mistake on the command line (exit 64).
    package static func usage(_ message: String) -> CommandError {
        CommandError(exitCode: .usage, message: message)
    }

    /// Bad input data (exit 65).
    package static func dataError(_ message: String) -> CommandError {
        CommandError(exitCode: .dataError, message: message)
    }

    /// A missing or unreadable input file (exit 66).
    package static func noInput(_ message: String) -> CommandError {
        CommandError(exitCode: .noInput, message: message)
    }

    /// A read that failed part-way (exit 74).
    package static func ioError(_ message: String) -> CommandError {
        CommandError(exitCode: .ioError, message: message)
    }

    /// Whether the command's usage is printed after the message.
    package var showsUsage: Bool { exitCode == .usage }

    package var description: String { "Error: \(message)" }
}
