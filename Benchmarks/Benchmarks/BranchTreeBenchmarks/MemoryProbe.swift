#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's resident memory, read from `/proc/self`: the resident set and its
/// high-water mark. Linux only; elsewhere every reading is nil.
///
/// (Live heap bytes come from the benchmark library's own `memoryLeakedBytes` metric,
/// which the malloc interposer counts.)
enum MemoryProbe {
    /// Resident set size, from `/proc/self/statm`.
    static func residentBytes() -> Int? {
        #if os(Linux)
        guard let text = readProcFile("/proc/self/statm") else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
        #else
        return nil
        #endif
    }

    /// Resets the resident high-water mark (`VmHWM`) to the current resident size, by
    /// writing `5` to `/proc/self/clear_refs`. Returns false when the kernel refuses.
    @discardableResult
    static func resetPeakResident() -> Bool {
        #if os(Linux)
        let descriptor = open("/proc/self/clear_refs", O_WRONLY)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var five: UInt8 = UInt8(ascii: "5")
        return write(descriptor, &five, 1) == 1
        #else
        return false
        #endif
    }

    /// The resident high-water mark since the last reset (`VmHWM` of `/proc/self/status`).
    static func peakResidentBytes() -> Int? {
        #if os(Linux)
        guard let text = readProcFile("/proc/self/status") else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let digits = line.dropFirst("VmHWM:".count).filter(\.isNumber)
            return Int(digits).map { $0 * 1024 }
        }
        return nil
        #else
        return nil
        #endif
    }

    #if os(Linux)
    private static func readProcFile(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            bytes.append(contentsOf: buffer[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
    #endif
}
