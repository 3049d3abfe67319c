import ArgumentParser
import BranchTree
import Hummingbird
import Logging
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `branchtree-relay`: the reference signalling server.
public struct RelayCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "branchtree-relay",
        abstract: "A WebRTC relay broadcast server: viewers relay the stream to each other through a BranchTree tree.",
        discussion: """
            Open /broadcast/ROOM in one browser and /watch/ROOM in others; /rooms/ROOM shows the tree.
            Times are in seconds. Bad options exit 64.
            """,
        version: "0.1.0")

    @Option(help: "The address to listen on.") var host = "127.0.0.1"
    @Option(help: "The port to listen on (0: any free port).") var port = 8080
    @Option(help: "The most viewers each viewer relays to (1...64).") var fanout = 2
    @Option(help: "The most first viewers the broadcaster sends to (1...64).") var broadcasterFanout = 1
    @Option(help: "The placement policy: \(Policy.allCases.map(\.rawValue).joined(separator: ", ")).")
    var policy = Policy.skyway.rawValue
    @Option(help: "Save each room's tree here and restore it at start (none: keep nothing).") var dataDir: String?
    @Option(help: "The most viewers in one room.") var maxViewers = 10_000
    @Option(help: "The most rooms.") var maxRooms = 100
    @Option(help: "Frames a connection may send per second, on average.") var rateLimit: Double = 50
    @Option(help: "Frames a connection may send at once.") var rateBurst: Double = 200
    @Option(help: "How long a viewer whose socket dropped may take to come back before it leaves the tree.")
    var resumeGrace: Double = 5
    @Option(help: "A viewer re-sends join this often until placed.") var joinRetry: Double = 3
    @Option(help: "How long a new link may take to come up.") var connectTimeout: Double = 15
    @Option(help: "How long a viewer whose upstream broke waits for a repair before joining again.")
    var repairTimeout: Double = 40
    @Option(help: "After a broadcaster restart, how long saved viewers have to confirm.") var restoreWindow: Double = 10
    @Option(help: "trace, debug, info, notice, warning, error or critical.") var logLevel = "info"

    public init() {}

    public func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be in 0...65535") }
        guard !host.isEmpty else { throw ValidationError("--host is empty") }
        _ = try settings()
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError(
                "--log-level must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    /// The settings the options describe.
    func settings() throws -> RelaySettings {
        guard let policy = Policy(rawValue: policy) else {
            throw ValidationError(
                "--policy must be one of \(Policy.allCases.map(\.rawValue).joined(separator: ", ")), not \(policy)")
        }
        let configuration: BranchTree.Configuration
        do {
            configuration = try BranchTree.Configuration(
                fanout: fanout, broadcasterFanout: broadcasterFanout, policy: policy)
        } catch {
            throw ValidationError("--fanout and --broadcaster-fanout must be in 1...64: \(error)")
        }
        guard maxViewers >= 1, maxRooms >= 1 else { throw ValidationError("--max-viewers and --max-rooms must be ≥ 1") }
        guard rateLimit > 0, rateBurst >= 1 else {
            throw ValidationError("--rate-limit must be > 0 and --rate-burst ≥ 1")
        }
        for (name, value) in [
            ("--resume-grace", resumeGrace), ("--join-retry", joinRetry), ("--connect-timeout", connectTimeout),
            ("--repair-timeout", repairTimeout), ("--restore-window", restoreWindow),
        ] where !(value > 0 && value <= 86_400) {
            throw ValidationError("\(name) must be a number of seconds in (0, 86400]")
        }
        var settings = RelaySettings(configuration: configuration)
        settings.host = host
        settings.port = port
        settings.dataDirectory = dataDir
        settings.maxRooms = maxRooms
        settings.roomLimits = .init(maxViewers: maxViewers, resumeGrace: .seconds(resumeGrace))
        settings.connectionLimits.framesPerSecond = rateLimit
        settings.connectionLimits.frameBurst = rateBurst
        settings.timings = ProtocolTimings(
            joinRetry: .seconds(joinRetry), connectTimeout: .seconds(connectTimeout),
            repairTimeout: .seconds(repairTimeout), restoreWindow: .seconds(restoreWindow))
        return settings
    }

    public func run() async throws {
        try await serve()
    }

    /// Starts the server and serves until SIGTERM or SIGINT, then saves every room.
    public func serve() async throws {
        let settings = try settings()
        var logger = Logger(label: "branchtree-relay")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        var store: SnapshotStore?
        if let dataDir {
            do {
                store = try SnapshotStore(directory: dataDir)
            } catch {
                throw ValidationError("--data-dir: \(error)")
            }
        }
        let registry = RoomRegistry(settings: settings, store: store, logger: logger)
        for problem in await registry.restore() { logger.warning("not restored: \(problem)") }
        let pages = try PageResources.bundled()
        let host = settings.host
        let app = buildApplication(
            settings: settings, registry: registry, pages: pages, logger: logger,
            onServerRunning: { port in
                print("branchtree-relay listening on http://\(host):\(port)")
                fflush(nil)
            })
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: app), .init(service: RoomsShutdown(registry: registry))],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

/// Saves every room and closes every page's socket when the server is asked to stop,
/// before the HTTP server itself stops (services stop in reverse order).
struct RoomsShutdown: Service {
    let registry: RoomRegistry

    func run() async throws {
        try? await gracefulShutdown()
        await registry.shutDown()
    }
}
