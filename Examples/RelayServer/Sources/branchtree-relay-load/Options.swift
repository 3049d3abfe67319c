import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Command-line options. Parsed by hand: the target depends on nothing but the WebSocket client.
struct Options: Sendable {
    /// The WebSocket URL of a running server (`ws://127.0.0.1:PORT/ws`); nil when spawning one.
    var url: String?
    /// A `branchtree-relay` binary to start on a free loopback port for the run.
    var spawnServer: String?
    /// Extra arguments handed to the spawned server (repeatable `--server-arg`).
    var serverArguments: [String] = []
    /// `--fanout` handed to the spawned server.
    var fanout = 2
    /// Where the spawned server's output goes.
    var serverLog: String?
    /// The pid whose VmRSS is measured when the server is not spawned here.
    var serverPID: Int32?
    var room = "load"
    var viewers = 2000
    var rate = 100
    var duration = 30
    var seed: UInt64 = 1
    var json = false
    /// After the churn: how long to wait for every viewer to be placed with its upstream confirmed.
    var settleSeconds = 10.0
    /// The hard limit of the whole run; nil: ramp + duration + settle + 90 s + 2 ms per viewer
    /// (the teardown's allowance).
    var timeLimitSeconds: Double?
    /// Print a progress line to stderr about every this many seconds (0: none).
    var progressSeconds = 5.0

    /// host and port of `url`, set by `validate`.
    var host = "127.0.0.1"
    var port = 0
    var path = "/ws"

    var rampSeconds: Double { Double(viewers) / Double(rate) }
    var hardLimitSeconds: Double {
        timeLimitSeconds ?? (rampSeconds + Double(duration) + settleSeconds + 90 + 0.002 * Double(viewers))
    }

    static let usage = """
        usage: branchtree-relay-load (--url ws://127.0.0.1:PORT/ws | --spawn-server PATH) [options]

        Opens --viewers signalling-only viewers (no media) and one signalling-only broadcaster in
        one room of a branchtree-relay server over loopback WebSockets. It ramps up to --viewers
        concurrent viewers at --rate joins per second, then churns for --duration seconds: every
        second --rate random viewers leave (sending `leave`) and as many new ones join. Each
        simulated page answers offers, sends offers on `open` and reports its links as a page
        would. At the end it checks GET /api/rooms/{room}/tree against the viewers it holds.

          --url URL             the server's WebSocket endpoint, loopback only (127.x.x.x)
          --spawn-server PATH   start the branchtree-relay binary at PATH on a free port of
                                127.0.0.1 for the run (and stop it at the end)
          --server-arg ARG      an extra argument for the spawned server (repeatable), e.g.
                                --server-arg --max-viewers --server-arg 5000
          --fanout N            --fanout for the spawned server (default 2)
          --server-log PATH     where the spawned server's output goes
                                (default /tmp/branchtree-relay-load-server.<pid>.log)
          --server-pid PID      the server's pid, to read its VmRSS (with --url)
          --room NAME           the room (default load)
          --viewers N           concurrent viewers to reach (default 2000)
          --rate N              joins per second while ramping, and leaves plus joins per
                                second while churning (default 100)
          --duration S          seconds of churn after the ramp (default 30; 0: none)
          --seed N              seed of the choice of leaving viewers (default 1)
          --settle S            seconds to wait at the end for every viewer to be placed and
                                linked before reading the tree (default 10)
          --time-limit S        hard limit of the whole run (default: ramp + duration +
                                settle + 90 s + 2 ms per viewer)
          --progress S          a progress line on stderr every S seconds (default 5, 0: none)
          --json                print the report as JSON on stdout (the table goes to stderr)
          --help                this text

        Exit status: 0 the tree check passed; 1 it failed; 2 the run could not be carried out
        (server did not start, broadcaster refused, ...); 3 the hard time limit was hit;
        64 bad options.
        """

    enum ParseResult {
        case run(Options)
        case help
        case bad(String)
    }

    static func parse(_ arguments: [String]) -> ParseResult {
        var options = Options()
        var index = 0
        func value(_ name: String) -> String? {
            guard index + 1 < arguments.count else { return nil }
            index += 1
            return arguments[index]
        }
        while index < arguments.count {
            let argument = arguments[index]
            // Accept --name=value too.
            var name = argument
            var inline: String?
            if argument.hasPrefix("--"), let eq = argument.firstIndex(of: "=") {
                name = String(argument[..<eq])
                inline = String(argument[argument.index(after: eq)...])
            }
            func take() -> String? {
                if let inline { return inline }
                return value(name)
            }
            func int(_ low: Int, _ high: Int) -> Int? {
                guard let text = take(), let number = Int(text), number >= low, number <= high else { return nil }
                return number
            }
            func double(_ low: Double, _ high: Double) -> Double? {
                guard let text = take(), let number = Double(text), number.isFinite, number >= low, number <= high
                else {
                    return nil
                }
                return number
            }
            switch name {
            case "--help", "-h":
                return .help
            case "--json":
                guard inline == nil else { return .bad("--json takes no value") }
                options.json = true
            case "--url":
                guard let text = take() else { return .bad("--url needs a value") }
                options.url = text
            case "--spawn-server":
                guard let text = take(), !text.isEmpty else { return .bad("--spawn-server needs a path") }
                options.spawnServer = text
            case "--server-arg":
                guard let text = take() else { return .bad("--server-arg needs a value") }
                options.serverArguments.append(text)
            case "--server-log":
                guard let text = take(), !text.isEmpty else { return .bad("--server-log needs a path") }
                options.serverLog = text
            case "--fanout":
                guard let number = int(1, 64) else { return .bad("--fanout needs an integer in 1...64") }
                options.fanout = number
            case "--server-pid":
                guard let number = int(1, Int(Int32.max)) else { return .bad("--server-pid needs a pid") }
                options.serverPID = Int32(number)
            case "--room":
                guard let text = take(), Options.validRoom(text) else {
                    return .bad("--room needs a name of 1 to 64 characters from [A-Za-z0-9_-]")
                }
                options.room = text
            case "--viewers":
                guard let number = int(1, 100_000) else { return .bad("--viewers needs an integer in 1...100000") }
                options.viewers = number
            case "--rate":
                guard let number = int(1, 10_000) else { return .bad("--rate needs an integer in 1...10000") }
                options.rate = number
            case "--duration":
                guard let number = int(0, 86_400) else { return .bad("--duration needs an integer in 0...86400") }
                options.duration = number
            case "--seed":
                guard let text = take(), let number = UInt64(text) else {
                    return .bad("--seed needs an unsigned integer")
                }
                options.seed = number
            case "--settle":
                guard let number = double(0, 3600) else { return .bad("--settle needs seconds in 0...3600") }
                options.settleSeconds = number
            case "--time-limit":
                guard let number = double(1, 86_400 * 2) else { return .bad("--time-limit needs seconds ≥ 1") }
                options.timeLimitSeconds = number
            case "--progress":
                guard let number = double(0, 3600) else { return .bad("--progress needs seconds in 0...3600") }
                options.progressSeconds = number
            default:
                return .bad("unknown option \(argument)")
            }
            index += 1
        }
        if let problem = options.validate() { return .bad(problem) }
        return .run(options)
    }

    static func validRoom(_ text: String) -> Bool {
        guard (1...64).contains(text.utf8.count) else { return false }
        return text.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F || c == 0x2D
        }
    }

    /// Checks the combination and splits `url`; returns a problem or nil.
    mutating func validate() -> String? {
        switch (url, spawnServer) {
        case (nil, nil): return "give --url ws://127.0.0.1:PORT/ws or --spawn-server PATH"
        case (.some, .some): return "give either --url or --spawn-server, not both"
        case (.some(let text), nil):
            guard let parts = Options.splitLoopbackURL(text) else {
                return "--url must be ws://127.x.x.x:PORT/PATH (loopback only)"
            }
            (host, port, path) = parts
            if !serverArguments.isEmpty { return "--server-arg only goes with --spawn-server" }
        case (nil, .some):
            if serverPID != nil { return "--server-pid only goes with --url (a spawned server's pid is known)" }
        }
        return nil
    }

    /// `ws://127.a.b.c:PORT/path` → (host, port, path). Only IPv4 loopback hosts are accepted.
    static func splitLoopbackURL(_ text: String) -> (String, Int, String)? {
        guard text.hasPrefix("ws://") else { return nil }
        let rest = text.dropFirst("ws://".count)
        let authority: Substring
        let path: String
        if let slash = rest.firstIndex(of: "/") {
            authority = rest[..<slash]
            path = String(rest[slash...])
        } else {
            authority = rest
            path = "/"
        }
        guard let colon = authority.lastIndex(of: ":") else { return nil }
        let host = String(authority[..<colon])
        guard let port = Int(authority[authority.index(after: colon)...]), (1...65535).contains(port) else {
            return nil
        }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets[0] == "127",
            octets.allSatisfy({ Int($0).map { (0...255).contains($0) } ?? false })
        else { return nil }
        return (host, port, path)
    }
}
