#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The most memory this process has held resident.
///
/// On Linux it is the high-water mark of the process's own address space (`VmHWM` in
/// `/proc/self/status`). `getrusage`'s `ru_maxrss` is the fallback only: it survives
/// `exec`, so under `swift run` it reported the package manager's own peak (124 MB for
/// a run that held 31 MB).
enum PeakMemory {
    /// Bytes, or 0 when the system tells nothing.
    ///
    /// - Complexity: O(1): one small file read or one system call.
    static func residentBytes() -> Int {
        #if os(Linux)
        if let status = try? procStatus(), let bytes = highWaterMark(inStatus: status) { return bytes }
        #endif
        var usage = rusage()
        #if canImport(Glibc) || canImport(Musl)
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        // Kilobytes on Linux, bytes on Darwin.
        #if canImport(Darwin)
        return Int(usage.ru_maxrss)
        #else
        return Int(usage.ru_maxrss) * 1024
        #endif
    }

    /// The `VmHWM:` line of a `/proc/<pid>/status` text, in bytes.
    static func highWaterMark(inStatus status: String) -> Int? {
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count == 3, fields[2] == "kB", let kilobytes = Int(fields[1]) else { return nil }
            return kilobytes * 1024
        }
        return nil
    }

    #if os(Linux)
    private struct Unreadable: Error {}

    private static func procStatus() throws -> String {
        let descriptor = open("/proc/self/status", O_RDONLY)
        guard descriptor >= 0 else { throw Unreadable() }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            bytes.append(contentsOf: chunk[..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
    #endif
}
