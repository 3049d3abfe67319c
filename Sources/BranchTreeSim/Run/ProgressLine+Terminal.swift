#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension ProgressLine {
    /// Whether a command shows progress on `stderr`: only on the process's own standard
    /// error, and only when that is a terminal — never into a pipe, a log file, or the
    /// string an in-process caller (a test) collects.
    ///
    /// - Complexity: O(1)
    package static func isShown(on stderr: some TextOutputStream) -> Bool {
        stderr is StandardErrorStream && isatty(STDERR_FILENO) == 1
    }
}
