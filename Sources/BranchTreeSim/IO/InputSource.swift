/// Where a command reads standard input from: the process's own, or bytes given in
/// advance (for tests and embedding).
///
///     BranchTreeSimCommand.main(arguments: ["replay", "-"], stdin: .text(log), …)
public enum InputSource: Sendable, Hashable {
    /// The process's standard input, read as it arrives.
    case standardInput
    /// Fixed bytes.
    case bytes([UInt8])

    /// Fixed text, as UTF-8.
    public static func text(_ text: String) -> InputSource {
        .bytes(Array(text.utf8))
    }
}
