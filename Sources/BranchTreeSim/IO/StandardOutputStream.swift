import Foundation

/// A `TextOutputStream` over the process's standard output, unbuffered: each `write`
/// reaches the file descriptor at once, so `--each` lines stream through pipes.
///
///     var out = StandardOutputStream()
///     print("{…}", to: &out)
///
/// Write errors (a closed pipe) are ignored.
public struct StandardOutputStream: TextOutputStream, Sendable {
    public init() {}

    public mutating func write(_ string: String) {
        guard !string.isEmpty else { return }
        try? FileHandle.standardOutput.write(contentsOf: Data(string.utf8))
    }
}
