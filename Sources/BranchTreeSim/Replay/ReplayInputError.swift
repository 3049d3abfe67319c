/// A replay log line that cannot be replayed: malformed, or refused by the tree.
///
///     ReplayInputError(line: 7, message: "unknown viewer \"X\"").description
///     // line 7: unknown viewer "X"
///
/// Reported as `Error: line 7: …` with exit status 65.
package struct ReplayInputError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The 1-based line number in the input.
    package var line: Int
    package var message: String

    package init(line: Int, message: String) {
        self.line = line
        self.message = message
    }

    package var description: String { "line \(line): \(message)" }
}
