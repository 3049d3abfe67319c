import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The server under load: a process the client started, or one it was pointed at.
final class ServerProcess: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let process: Process
    let port: Int
    let logPath: String

    var pid: Int32 { process.processIdentifier }

    /// Starts `path --host 127.0.0.1 --port P --fanout F extra...` on a free loopback port and
    /// waits (at most `readyTimeout` seconds) for its `branchtree-relay listening on` line.
    init(path: String, fanout: Int, extra: [String], logPath: String, readyTimeout: Double = 30) throws {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw Failure(description: "no executable at \(path)")
        }
        let chosen = try Self.freeLoopbackPort()
        self.logPath = logPath
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        guard let log = FileHandle(forWritingAtPath: logPath) else {
            throw Failure(description: "cannot write \(logPath)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["--host", "127.0.0.1", "--port", String(chosen), "--fanout", String(fanout)] + extra
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        self.process = process
        try process.run()
        watchdog.setServerPID(process.processIdentifier)

        // Drain stdout for the whole life of the server (so it never blocks on a full pipe),
        // copying it to the log and keeping the head to find the `listening` line.
        let reader = stdout.fileHandleForReading
        let head = OutputHead()
        let thread = Thread {
            while true {
                let data = reader.availableData
                if data.isEmpty { break }
                log.write(data)
                head.append(data)
            }
        }
        thread.start()

        let deadline = ContinuousClock.now + .milliseconds(Int(readyTimeout * 1000))
        var announced: Int?
        while ContinuousClock.now < deadline {
            let text = head.text
            if let range = text.range(of: "branchtree-relay listening on http://") {
                let rest = text[range.upperBound...]
                let line = rest.prefix { $0 != "\n" && $0 != "\r" }
                if let colon = line.lastIndex(of: ":") {
                    announced = Int(line[line.index(after: colon)...].prefix { $0.isNumber })
                }
                if announced != nil { break }
            }
            if !process.isRunning {
                throw Failure(
                    description:
                        "the server exited with status \(process.terminationStatus) before listening (log: \(logPath))")
            }
            usleep(20_000)
        }
        guard let announced else {
            process.terminate()
            throw Failure(
                description:
                    "the server printed no `branchtree-relay listening on` line in \(readyTimeout) s (log: \(logPath))")
        }
        port = announced
    }

    /// Stops the server: SIGTERM, then SIGKILL after `grace` seconds.
    func stop(grace: Double = 5) {
        guard process.isRunning else { return }
        kill(pid, SIGTERM)
        let deadline = ContinuousClock.now + .milliseconds(Int(grace * 1000))
        while process.isRunning, ContinuousClock.now < deadline { usleep(20_000) }
        if process.isRunning { kill(pid, SIGKILL) }
        process.waitUntilExit()
        watchdog.setServerPID(nil)
    }

    /// A port that was free on 127.0.0.1 a moment ago (bind to 0, read it back, close).
    static func freeLoopbackPort() throws -> Int {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = in_addr_t(UInt32(0x7F00_0001).bigEndian)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else { throw Failure(description: "bind: errno \(errno)") }
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw Failure(description: "getsockname: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// The first 64 KiB of the server's stdout.
final class OutputHead: @unchecked Sendable {
    private let lock = NSLock()
    private var output = ""

    var text: String { lock.withLock { output } }

    func append(_ data: Data) {
        lock.withLock {
            if output.utf8.count < 65536 { output += String(decoding: data, as: UTF8.self) }
        }
    }
}

/// VmRSS of a process in KiB, from /proc/<pid>/status (Linux); nil when it cannot be read.
func residentKiB(pid: Int32) -> Int? {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
    for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") {
        return Int(line.dropFirst("VmRSS:".count).split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "")
    }
    return nil
}

/// Raises the soft limit of open files to the hard limit: 2,000 viewers need 2,000 sockets here
/// and as many in a spawned server (which inherits the limit).
func raiseOpenFileLimit() -> Int {
    var limit = rlimit()
    #if canImport(Glibc)
    let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
    let resource = RLIMIT_NOFILE
    #endif
    guard getrlimit(resource, &limit) == 0 else { return -1 }
    if limit.rlim_cur < limit.rlim_max {
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(resource, &limit)
        _ = getrlimit(resource, &limit)
    }
    return Int(clamping: limit.rlim_cur)
}

/// The hard time limit: a timer on its own queue that kills a spawned server and exits with 3,
/// whatever the run is doing.
final class Watchdog: @unchecked Sendable {
    private let lock = NSLock()
    private var serverPID: Int32?
    private var timer: DispatchSourceTimer?

    func setServerPID(_ pid: Int32?) { lock.withLock { serverPID = pid } }

    func arm(seconds: Double) {
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "branchtree-relay-load.watchdog"))
        timer.schedule(deadline: .now() + seconds)
        timer.setEventHandler { [self] in
            let pid = lock.withLock { serverPID }
            FileHandle.standardError.write(
                Data("branchtree-relay-load: hard time limit of \(Int(seconds)) s hit; stopping\n".utf8))
            if let pid { kill(pid, SIGKILL) }
            exit(3)
        }
        lock.withLock { self.timer = timer }
        timer.resume()
    }

    /// Kills a spawned server on SIGINT/SIGTERM too, so that an interrupted run leaves nothing behind.
    func handleSignals() {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(
                signal: signalNumber, queue: DispatchQueue(label: "branchtree-relay-load.signal"))
            source.setEventHandler { [self] in
                let pid = lock.withLock { serverPID }
                if let pid { kill(pid, SIGKILL) }
                exit(130)
            }
            source.resume()
            lock.withLock { signalSources.append(source) }
        }
    }

    private var signalSources: [any DispatchSourceSignal] = []
}

let watchdog = Watchdog()

/// CPU time, in seconds, of the machine (busy and all, over every core), the server and this client.
struct CPUTimes: Sendable {
    var machineBusy = 0.0
    var machineTotal = 0.0
    var server: Double?
    var client = 0.0

    static let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
    static let cores = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))

    static func read(serverPID: Int32?) -> CPUTimes? {
        guard let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
            let line = stat.split(separator: "\n").first, line.hasPrefix("cpu ")
        else { return nil }
        let fields = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard fields.count >= 8 else { return nil }
        // user nice system idle iowait irq softirq steal
        let idle = fields[3] + fields[4]
        let busy = fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + fields[7]
        var times = CPUTimes()
        times.machineBusy = busy / ticksPerSecond
        times.machineTotal = (busy + idle) / ticksPerSecond
        times.server = serverPID.flatMap { processSeconds("/proc/\($0)/stat") }
        times.client = processSeconds("/proc/self/stat") ?? 0
        return times
    }

    /// utime + stime of /proc/<pid>/stat.
    private static func processSeconds(_ path: String) -> Double? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // fields[0] is the state (field 3); utime and stime are fields 14 and 15.
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / ticksPerSecond
    }

    /// Cores used on average between `earlier` and `self`: (machine, server, client, others).
    func cores(since earlier: CPUTimes) -> (machine: Double, server: Double?, client: Double, others: Double)? {
        let wall = (machineTotal - earlier.machineTotal) / Double(max(CPUTimes.cores, 1))
        guard wall > 0 else { return nil }
        let machine = (machineBusy - earlier.machineBusy) / wall
        var server: Double?
        if let now = self.server, let then = earlier.server { server = (now - then) / wall }
        let client = (self.client - earlier.client) / wall
        return (machine, server, client, max(0, machine - (server ?? 0) - client))
    }
}
