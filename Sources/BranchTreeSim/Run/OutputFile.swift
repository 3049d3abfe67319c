#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A file a command writes a result to (`--svg chart.svg`), opened before the work starts
/// so that a path that cannot be written fails at once, not after a long run.
///
///     let chart = try OutputFile(path: "chart.svg")   // created or truncated now
///     …
///     try chart.write(svg)
///
/// Failures are exit 73 (`EX_CANTCREAT`) with the path and the system's reason.
package final class OutputFile {
    package let path: String
    private let descriptor: Int32

    /// Creates or truncates the file.
    /// - Throws: exit 73 when it cannot be created (a missing folder, no permission, a
    ///   directory).
    package init(path: String) throws(CommandError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw Self.failure(writing: path) }
        self.path = path
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }

    /// Writes `text` as UTF-8 (the file is closed when the value is released).
    /// - Throws: exit 73 when a write fails (a full disk).
    package func write(_ text: String) throws(CommandError) {
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { raw in
                systemWrite(descriptor, raw.baseAddress! + written, raw.count - written)
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw Self.failure(writing: path)
            }
            written += result
        }
    }

    /// Exit 73 for `path`, with the system's reason for the last failure.
    private static func failure(writing path: String) -> CommandError {
        CommandError(exitCode: .cannotCreate, message: "cannot write '\(path)': \(String(cString: strerror(errno)))")
    }
}

/// write(2), out of reach of ``OutputFile/write(_:)``'s name.
private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}
