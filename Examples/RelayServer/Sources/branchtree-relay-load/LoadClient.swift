import BranchTree
import Foundation
import HummingbirdWSClient

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@main
struct LoadClient {
    static func main() async {
        switch Options.parse(Array(CommandLine.arguments.dropFirst())) {
        case .help:
            print(Options.usage)
            exit(0)
        case .bad(let problem):
            printError("branchtree-relay-load: \(problem) (see --help)")
            exit(64)
        case .run(let options):
            let status = await Run(options: options).execute()
            exit(status)
        }
    }
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Samples the server's VmRSS (every 250 ms), the counters and the CPU use (every second)
/// while the run goes on.
final class Sampler: @unchecked Sendable {
    struct Point: Sendable {
        var seconds: Double
        var phase: String
        var connected: Int
        var sent: Int
        var received: Int
        var joins: Int
        var joinMaxMilliseconds: Double
        var rssKiB: Int?
        /// Cores in use over the last second: the machine's, the server's, this client's, the rest.
        var machineCores: Double?
        var serverCores: Double?
        var clientCores: Double?
        var otherCores: Double?
    }

    private let lock = NSLock()
    private var _peakKiB: Int?
    private var _points: [Point] = []

    var peakKiB: Int? { lock.withLock { _peakKiB } }
    var points: [Point] { lock.withLock { _points } }

    func run(pid: Int32?, stats: Stats, start: ContinuousClock.Instant, progressSeconds: Double) async {
        var tick = 0
        var lastProgress = start
        var lastSent = 0
        var lastReceived = 0
        var lastCPU = CPUTimes.read(serverPID: pid)
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(250))
            let rss = pid.flatMap(residentKiB(pid:))
            lock.withLock {
                if let rss { _peakKiB = max(_peakKiB ?? 0, rss) }
            }
            tick += 1
            guard tick % 4 == 0 else { continue }
            let counters = stats.snapshot()
            let window = stats.takeWindow()
            let cpu = CPUTimes.read(serverPID: pid)
            let cores = cpu.flatMap { now in lastCPU.flatMap { now.cores(since: $0) } }
            lastCPU = cpu
            let now = ContinuousClock.now
            let point = Point(
                seconds: (now - start).milliseconds / 1000, phase: counters.phase, connected: counters.connected,
                sent: counters.sent, received: counters.received, joins: window.joins,
                joinMaxMilliseconds: window.maxMilliseconds, rssKiB: rss, machineCores: cores?.machine,
                serverCores: cores?.server, clientCores: cores?.client, otherCores: cores?.others)
            lock.withLock { _points.append(point) }
            if progressSeconds > 0, (now - lastProgress).milliseconds >= progressSeconds * 1000 - 1 {
                let span = (now - lastProgress).milliseconds / 1000
                let errors = counters.errorsByCode.values.reduce(0, +)
                let line =
                    String(
                        format: "[%6.1f s] %@: %d viewers, sent %.0f/s, received %.0f/s, ", point.seconds, point.phase,
                        counters.connected, Double(counters.sent - lastSent) / span,
                        Double(counters.received - lastReceived) / span)
                    + "\(errors) errors, \(counters.drops.values.reduce(0, +)) dropped, "
                    + "server RSS \(rss.map { mib($0) } ?? "?"), "
                    + String(format: "other processes %.2f cores", cores?.others ?? 0)
                printError(line)
                lastProgress = now
                lastSent = counters.sent
                lastReceived = counters.received
            }
        }
    }
}

func mib(_ kib: Int) -> String { String(format: "%.1f MiB", Double(kib) / 1024) }

/// One load run: set up, ramp, churn, settle, check, tear down, report.
struct Run {
    let options: Options

    func execute() async -> Int32 {
        let fileLimit = raiseOpenFileLimit()
        if fileLimit >= 0, fileLimit < options.viewers + 64 {
            printError(
                "branchtree-relay-load: warning: open-file limit \(fileLimit) is below \(options.viewers) viewers")
        }
        watchdog.handleSignals()
        watchdog.arm(seconds: options.hardLimitSeconds)

        var server: ServerProcess?
        var host = options.host
        var port = options.port
        var path = options.path
        var serverPID = options.serverPID
        if let spawn = options.spawnServer {
            let logPath = options.serverLog ?? "/tmp/branchtree-relay-load-server.\(getpid()).log"
            do {
                let started = try ServerProcess(
                    path: spawn, fanout: options.fanout, extra: options.serverArguments, logPath: logPath)
                server = started
                host = "127.0.0.1"
                port = started.port
                path = "/ws"
                serverPID = started.pid
                printError(
                    "branchtree-relay-load: started \(spawn) (pid \(started.pid)) on 127.0.0.1:\(started.port), "
                        + "log \(logPath)")
            } catch {
                printError("branchtree-relay-load: \(error)")
                return 2
            }
        }
        defer { server?.stop() }
        let spawned = server
        let pid = serverPID
        let progressSeconds = options.progressSeconds
        let url = "ws://\(host):\(port)\(path)"

        // The room must be free of a broadcaster and the server reachable.
        switch await httpGet(host: host, port: port, path: "/healthz") {
        case .success(let response) where response.status == 200:
            break
        case .success(let response):
            printError("branchtree-relay-load: GET /healthz answered \(response.status)")
            return 2
        case .failure(let error):
            printError("branchtree-relay-load: GET /healthz failed: \(error)")
            return 2
        }

        let stats = Stats()
        let sampler = Sampler()
        let start = ContinuousClock.now
        let samplerTask = Task {
            await sampler.run(pid: pid, stats: stats, start: start, progressSeconds: progressSeconds)
        }
        defer { samplerTask.cancel() }

        let outcome = await withDiscardingTaskGroup(returning: Outcome.self) { group in
            await drive(
                group: &group, url: url, host: host, port: port, serverPID: pid, server: spawned, stats: stats,
                sampler: sampler)
        }
        samplerTask.cancel()
        let finished = ContinuousClock.now

        var runProblems = outcome.problems
        if let server, !server.process.isRunning {
            runProblems.append(
                "the server exited during the run (status \(server.process.terminationStatus); log \(server.logPath))")
        }
        let report = Report(
            options: options, url: url, serverPID: serverPID, spawned: server != nil, outcome: outcome,
            stats: stats.snapshot(),
            sampler: sampler, elapsedSeconds: (finished - start).milliseconds / 1000, runProblems: runProblems)
        report.print(json: options.json)
        if outcome.aborted { return 2 }
        return report.passed ? 0 : 1
    }

    struct Cores: Sendable {
        var machine: Double
        var server: Double?
        var client: Double
        var others: Double
    }

    /// What the driver hands the report.
    struct Outcome: Sendable {
        var aborted = false
        var problems: [String] = []
        /// FNV-1a of the indices of the viewers picked to leave, in order.
        var churnDigest: UInt64 = 0xCBF2_9CE4_8422_2325
        /// Worth saying, but not a failed check.
        var notes: [String] = []
        var rssBeforeKiB: Int?
        var rssAtFullKiB: Int?
        var viewersAtFull = 0
        var rampSeconds = 0.0
        var churnSeconds = 0.0
        var settleSeconds = 0.0
        var unsettled = 0
        var check: TreeCheck?
        var serverStats: [String: Any]? {
            get { serverStatsJSON.flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] } }
            set { serverStatsJSON = newValue.flatMap { try? JSONSerialization.data(withJSONObject: $0) } }
        }
        var serverStatsJSON: Data?
        var messagesDuringRamp = (sent: 0, received: 0)
        var messagesDuringChurn = (sent: 0, received: 0)
        var teardownSeconds = 0.0
        /// Average cores in use from the ramp's start to the check.
        var cores: Cores?
        var tasksLeftRunning = 0
    }

    private func drive(
        group: inout DiscardingTaskGroup, url: String, host: String, port: Int, serverPID: Int32?,
        server: ServerProcess?,
        stats: Stats, sampler: Sampler
    ) async -> Outcome {
        var outcome = Outcome()
        let room = options.room
        var nextIndex = 0
        var live: [Page] = []
        var rng = Xoshiro256StarStar(seed: options.seed)

        func open() {
            let page = Page(index: nextIndex, role: .viewer)
            nextIndex += 1
            live.append(page)
            stats.withCounters { $0.viewersOpened += 1 }
            group.addTask { await page.run(url: url, room: room, stats: stats, onWelcome: { _ in }) }
        }

        // The broadcaster first; the room must be ours.
        stats.phase = "broadcaster"
        let broadcaster = Page(index: -1, role: .broadcaster)
        group.addTask { await broadcaster.run(url: url, room: room, stats: stats, onWelcome: { _ in }) }
        let broadcasterDeadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < broadcasterDeadline {
            let state = broadcaster.snapshot()
            if state.phase == .welcomed || state.phase == .dropped || state.phase == .failed || state.refusal != nil {
                break
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
        let broadcasterState = broadcaster.snapshot()
        guard broadcasterState.phase == .welcomed else {
            let why = broadcasterState.refusal.map { "error \($0)" } ?? broadcasterState.phase.rawValue
            outcome.aborted = true
            outcome.problems.append("the broadcaster was not welcomed in room \(room): \(why)")
            if let writer = broadcaster.requestClose(stats: stats) { await Page.leave(writer, stats: stats) }
            group.cancelAll()
            return outcome
        }

        try? await Task.sleep(for: .milliseconds(300))
        outcome.rssBeforeKiB = serverPID.flatMap(residentKiB(pid:))
        let cpuAtStart = CPUTimes.read(serverPID: serverPID)
        let interval = Duration.seconds(1) / options.rate

        // Ramp: one join every 1/rate s up to --viewers.
        stats.phase = "ramp"
        let rampStart = ContinuousClock.now
        for i in 0..<options.viewers {
            let due = rampStart + interval * i
            if due > ContinuousClock.now { try? await Task.sleep(until: due, clock: .continuous) }
            open()
        }
        // Let the last joins land before reading the memory at full size.
        let fullDeadline = ContinuousClock.now + .seconds(5)
        while stats.snapshot().connected < options.viewers, ContinuousClock.now < fullDeadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        outcome.rampSeconds = (ContinuousClock.now - rampStart).milliseconds / 1000
        try? await Task.sleep(for: .milliseconds(300))
        outcome.rssAtFullKiB = serverPID.flatMap(residentKiB(pid:))
        outcome.viewersAtFull = stats.snapshot().connected
        let afterRamp = stats.snapshot()
        outcome.messagesDuringRamp = (afterRamp.sent, afterRamp.received)

        // Churn: every 1/rate s one random viewer leaves and a new one joins.
        stats.phase = "churn"
        let churnStart = ContinuousClock.now
        let churnSteps = options.rate * options.duration
        for k in 0..<churnSteps {
            let due = churnStart + interval * k
            if due > ContinuousClock.now { try? await Task.sleep(until: due, clock: .continuous) }
            var victim: Page?
            while victim == nil, !live.isEmpty {
                let j = Int(rng.next(below: UInt64(live.count)))
                let page = live[j]
                live.swapAt(j, live.count - 1)
                live.removeLast()
                let phase = page.snapshot().phase
                if phase != .dropped && phase != .failed { victim = page }
            }
            if let victim {
                // FNV-1a over the leaving viewers' indices: equal for equal seeds (unless a drop intervened).
                for byte in withUnsafeBytes(of: UInt64(victim.index).littleEndian, Array.init) {
                    outcome.churnDigest = (outcome.churnDigest ^ UInt64(byte)) &* 0x100_0000_01B3
                }
                stats.withCounters { $0.viewersLeft += 1 }
                if let writer = victim.requestClose(stats: stats) {
                    group.addTask { await Page.leave(writer, stats: stats) }
                }
            }
            open()
        }
        outcome.churnSeconds = options.duration > 0 ? (ContinuousClock.now - churnStart).milliseconds / 1000 : 0
        let afterChurn = stats.snapshot()
        outcome.messagesDuringChurn = (afterChurn.sent - afterRamp.sent, afterChurn.received - afterRamp.received)

        // Settle: every viewer placed with its upstream link confirmed.
        stats.phase = "settle"
        let settleStart = ContinuousClock.now
        let settleDeadline = settleStart + .milliseconds(Int(options.settleSeconds * 1000))
        var unsettled = 0
        repeat {
            unsettled =
                live.filter { page in
                    let phase = page.snapshot().phase
                    return phase != .dropped && phase != .failed && !page.isSettled
                }.count
            if unsettled == 0 { break }
            try? await Task.sleep(for: .milliseconds(100))
        } while ContinuousClock.now < settleDeadline
        // Let the last link reports reach the server.
        try? await Task.sleep(for: .milliseconds(200))
        outcome.settleSeconds = (ContinuousClock.now - settleStart).milliseconds / 1000
        outcome.unsettled = unsettled

        if let now = CPUTimes.read(serverPID: serverPID), let cpuAtStart, let cores = now.cores(since: cpuAtStart) {
            outcome.cores = Run.Cores(
                machine: cores.machine, server: cores.server, client: cores.client, others: cores.others)
        }

        // Check the tree against the viewers held.
        stats.phase = "check"
        var held: [String: String?] = [:]
        for page in live {
            let state = page.snapshot()
            if state.phase == .welcomed, let id = state.id { held[id] = state.placedParent }
        }
        switch await httpGet(host: host, port: port, path: "/api/rooms/\(room)/tree") {
        case .success(let response):
            if response.status == 200,
                let tree = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any]
            {
                outcome.check = TreeCheck(tree: tree, held: held, fanoutFallback: options.fanout)
            } else {
                outcome.problems.append(
                    "GET /api/rooms/\(room)/tree answered \(response.status) with \(response.body.count) bytes "
                        + "that are not a JSON object")
            }
        case .failure(let error):
            outcome.problems.append("GET /api/rooms/\(room)/tree failed: \(error)")
        }
        if case .success(let response) = await httpGet(host: host, port: port, path: "/api/rooms/\(room)/stats"),
            response.status == 200
        {
            outcome.serverStats = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any]
        }

        // Tear down: every page leaves and closes at once (as when a broadcast ends); whatever is
        // still open after 10 s + 2 ms per page is cancelled.
        stats.phase = "teardown"
        let teardownStart = ContinuousClock.now
        for page in live + [broadcaster] {
            if let writer = page.requestClose(stats: stats) { group.addTask { await Page.leave(writer, stats: stats) } }
        }
        let teardownLimit = Duration.seconds(10) + .milliseconds(2 * (live.count + 1))
        let teardownDeadline = teardownStart + teardownLimit
        while stats.snapshot().runningTasks > 0, ContinuousClock.now < teardownDeadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        outcome.tasksLeftRunning = stats.snapshot().runningTasks
        if outcome.tasksLeftRunning > 0 {
            outcome.notes.append(
                "\(outcome.tasksLeftRunning) sockets were still open \(teardownLimit.milliseconds / 1000) s "
                    + "after every page left; cancelled")
        }
        group.cancelAll()
        outcome.teardownSeconds = (ContinuousClock.now - teardownStart).milliseconds / 1000
        return outcome
    }
}

/// A blocking GET on its own thread, so that it never holds one of the few cooperative threads.
func httpGet(host: String, port: Int, path: String) async -> Result<HTTP.Response, any Error> {
    await withCheckedContinuation { continuation in
        let thread = Thread {
            continuation.resume(returning: Result { try HTTP.get(host: host, port: port, path: path) })
        }
        thread.start()
    }
}
