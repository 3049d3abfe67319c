import Foundation

#if canImport(Darwin)
import Darwin
#endif

/// The machine's physical memory: more than that, a simulation cannot hold resident.
///
///     PhysicalMemory.bytes   // 25_276_973_056 on a 24 GiB machine; nil when the system does not say
enum PhysicalMemory {
    /// A size to use instead of the machine's, so that tests of the refusal give the same
    /// answer on every machine and never start a run they did not mean to.
    @TaskLocal static var override: Int?

    /// Bytes: `MemTotal` of `/proc/meminfo` on Linux, `hw.memsize` on macOS; nil elsewhere
    /// or when unreadable.
    ///
    /// - Complexity: O(1): one small file read or one system call.
    static var bytes: Int? {
        if let override { return override }
        #if os(Linux)
        guard let meminfo = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) else { return nil }
        return memTotal(inMeminfo: meminfo)
        #elseif canImport(Darwin)
        var size: UInt64 = 0
        var length = MemoryLayout<UInt64>.size
        guard sysctlbyname("hw.memsize", &size, &length, nil, 0) == 0 else { return nil }
        return Int(clamping: size)
        #else
        return nil
        #endif
    }

    /// The `MemTotal:` line of a `/proc/meminfo` text, in bytes.
    ///
    ///     PhysicalMemory.memTotal(inMeminfo: "MemTotal:       24683568 kB\n")   // 25_276_973_056
    static func memTotal(inMeminfo text: String) -> Int? {
        for line in text.split(separator: "\n") where line.hasPrefix("MemTotal:") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count == 3, fields[2] == "kB", let kilobytes = Int(fields[1]) else { return nil }
            return kilobytes.multipliedReportingOverflow(by: 1024).overflow ? nil : kilobytes * 1024
        }
        return nil
    }
}
