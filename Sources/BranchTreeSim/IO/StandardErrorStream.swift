import Foundation

/// A `TextOutputStream` over the process's standard error, for diagnostics.
///
///     var stderr = StandardErrorStream()
///     print("Error: …", to: &stderr)
///
/// Write errors are ignored.
public struct StandardErrorStream: TextOutputStream, Sendable {
    public init() {}

    public mutating func write(_ string: String) {
        guard !string.isEmpty else { return }
        try? FileHandle.standardError.write(contentsOf: Data(string.utf8))
    }
}
