import Foundation
import HummingbirdWSClient
import Logging

/// One simulated page (a viewer, or the broadcaster) without media: it speaks the signalling
/// protocol of PROTOCOL.md as a page would, answering for peer connections that it does not have.
final class Page: @unchecked Sendable {
    enum Role: String, Sendable {
        case viewer
        case broadcaster
    }

    enum Phase: String, Sendable {
        /// The WebSocket is being opened.
        case connecting
        /// `hello` sent, no `welcome` yet.
        case hello
        /// `welcome` received: the page is in the room.
        case welcomed
        /// The client asked it to go (`leave` sent or about to be).
        case leaving
        /// The socket ended after the client asked.
        case left
        /// The server ended the socket, or refused the page, while the client held it.
        case dropped
        /// The WebSocket could not be opened.
        case failed
    }

    /// What the driver and the final check read; the page task writes it.
    struct State: Sendable {
        var phase = Phase.connecting
        var id: String?
        /// The first `error` code received before `welcome`, if any.
        var refusal: String?
        var helloAt: ContinuousClock.Instant?
        var joinMilliseconds: Double?
        /// The last `placed`.
        var placedParent: String?
        var placedEpoch: String?
        /// The upstream link this page has answered (and reported connected).
        var upPeer: String?
        var upEpoch: String?
        /// Downstream links: child id → (epoch, answer received and reported connected).
        var down: [String: DownLink] = [:]
        var outbound: WebSocketOutboundWriter?
        var closeRequested = false
        /// `error` frames received, by code.
        var errors: [String: Int] = [:]
    }

    struct DownLink: Sendable {
        var epoch: String
        var connected: Bool
    }

    let index: Int
    let role: Role
    private let lock = NSLock()
    private var state = State()

    init(index: Int, role: Role) {
        self.index = index
        self.role = role
    }

    func snapshot() -> State { lock.withLock { state } }

    private func mutate<T>(_ body: (inout State) -> T) -> T { lock.withLock { body(&state) } }

    /// Settled: welcomed, placed, and holding the confirmed upstream link `placed` names.
    var isSettled: Bool {
        lock.withLock {
            guard state.phase == .welcomed else { return false }
            if role == .broadcaster { return true }
            guard let parent = state.placedParent, let epoch = state.placedEpoch else { return false }
            return state.upPeer == parent && state.upEpoch == epoch
        }
    }

    /// Marks the page as going. Returns its writer when its socket is open, to send `leave` and
    /// close; a page still connecting notices the request itself and closes without a word.
    func requestClose(stats: Stats) -> WebSocketOutboundWriter? {
        let (outbound, wasWelcomed) = mutate { state -> (WebSocketOutboundWriter?, Bool) in
            guard !state.closeRequested else { return (nil, false) }
            state.closeRequested = true
            if role == .viewer, state.joinMilliseconds == nil, state.phase != .dropped, state.phase != .failed {
                stats.withCounters { $0.goneBeforePlaced += 1 }
            }
            switch state.phase {
            case .connecting, .hello, .welcomed:
                let wasWelcomed = state.phase == .welcomed
                state.phase = .leaving
                return (state.outbound, wasWelcomed)
            default:
                return (nil, false)
            }
        }
        if wasWelcomed, role == .viewer { stats.viewerGone() }
        return outbound
    }

    // MARK: - The page task

    static let logger = Logger(label: "branchtree-relay-load", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Runs the page until its socket ends. Never throws: every outcome lands in `state` and `stats`.
    func run(url: String, room: String, stats: Stats, onWelcome: @escaping @Sendable (Page) -> Void) async {
        stats.taskStarted()
        defer { stats.taskEnded() }
        var configuration = WebSocketClientConfiguration(maxFrameSize: 1 << 16, closeTimeout: .seconds(5))
        configuration.validateUTF8 = false
        let started = ContinuousClock.now
        do {
            let closeFrame = try await WebSocketClient.connect(
                url: url,
                configuration: configuration,
                logger: Self.logger
            ) { inbound, outbound, _ in
                stats.connected(afterMilliseconds: (ContinuousClock.now - started).milliseconds)
                guard self.attach(outbound) else { return }
                var hello: [String: Any] = ["type": "hello", "room": room, "role": self.role.rawValue]
                if self.role == .viewer { hello["relayable"] = true }
                self.mutate { $0.helloAt = ContinuousClock.now }
                try await self.send(hello, type: "hello", on: outbound, stats: stats, evenIfClosing: false)
                for try await message in inbound.messages(maxSize: 1 << 16) {
                    guard case .text(let text) = message else {
                        stats.receivedUnreadable()
                        continue
                    }
                    guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
                        let type = object["type"] as? String
                    else {
                        stats.receivedUnreadable()
                        continue
                    }
                    stats.received(type)
                    try await self.handle(type: type, object, outbound: outbound, stats: stats, onWelcome: onWelcome)
                }
            }
            finish(
                stats: stats,
                how: closeFrame.map { "close \($0.closeCode)" + ($0.reason.map { " \"\($0)\"" } ?? "") }
                    ?? "socket ended")
        } catch {
            let reached = mutate { $0.outbound != nil }
            if reached {
                finish(stats: stats, how: "error: \(error)")
            } else {
                mutate { $0.phase = .failed }
                stats.connectFailed(String(describing: error))
            }
        }
    }

    private func attach(_ outbound: WebSocketOutboundWriter) -> Bool {
        mutate { state in
            guard !state.closeRequested else { return false }
            state.outbound = outbound
            state.phase = .hello
            return true
        }
    }

    /// The socket ended: after a requested close, or by the server's doing.
    private func finish(stats: Stats, how: String) {
        let (wasWelcomed, requested) = mutate { state -> (Bool, Bool) in
            let wasWelcomed = state.phase == .welcomed
            let requested = state.closeRequested
            if !requested, role == .viewer, state.joinMilliseconds == nil {
                stats.withCounters { $0.goneBeforePlaced += 1 }
            }
            state.outbound = nil
            if requested {
                state.phase = .left
            } else {
                state.phase = .dropped
            }
            return (wasWelcomed, requested)
        }
        if wasWelcomed, role == .viewer { stats.viewerGone() }
        if !requested {
            let refusal = mutate { $0.refusal }
            let errors = mutate { $0.errors }
            var what = refusal.map { "refused (\($0)), then \(how)" } ?? how
            if refusal == nil, !errors.isEmpty {
                what +=
                    " after errors "
                    + errors.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
            }
            if role == .viewer {
                stats.dropped(what)
            } else {
                stats.withCounters { $0.broadcasterDrop = what }
            }
        }
    }

    private func send(
        _ object: [String: Any],
        type: String,
        on outbound: WebSocketOutboundWriter,
        stats: Stats,
        evenIfClosing: Bool
    ) async throws {
        if !evenIfClosing, mutate({ $0.closeRequested }) { return }
        let data = try JSONSerialization.data(withJSONObject: object)
        stats.sent(type)
        try await outbound.write(.text(String(decoding: data, as: UTF8.self)))
    }

    /// Sends `leave` and closes the socket; used by the driver on a writer `requestClose` returned.
    static func leave(_ outbound: WebSocketOutboundWriter, stats: Stats) async {
        stats.sent("leave")
        try? await outbound.write(.text(#"{"type":"leave"}"#))
        try? await outbound.close(.normalClosure, reason: "leave")
    }

    // MARK: - The protocol

    private func handle(
        type: String,
        _ message: [String: Any],
        outbound: WebSocketOutboundWriter,
        stats: Stats,
        onWelcome: @Sendable (Page) -> Void
    ) async throws {
        switch type {
        case "welcome":
            guard let id = message["id"] as? String else { return }
            let fresh = mutate { state -> Bool in
                state.id = id
                guard state.phase == .hello else { return false }
                state.phase = .welcomed
                return true
            }
            if fresh {
                if role == .viewer {
                    stats.viewerWelcomed()
                    if let helloAt = snapshot().helloAt {
                        stats.welcomed(afterMilliseconds: (ContinuousClock.now - helloAt).milliseconds)
                    }
                }
                onWelcome(self)
            }

        case "placed":
            guard let parent = message["parent"] as? String, let epoch = epochValue(message["epoch"]) else { return }
            let now = ContinuousClock.now
            let (firstLatency, reconfirm) = mutate { state -> (Double?, Bool) in
                var first: Double?
                if state.joinMilliseconds == nil, let helloAt = state.helloAt {
                    first = (now - helloAt).milliseconds
                    state.joinMilliseconds = first
                }
                state.placedParent = parent
                state.placedEpoch = epoch
                return (first, state.upPeer == parent && state.upEpoch == epoch)
            }
            if let firstLatency { stats.joined(afterMilliseconds: firstLatency) }
            // `kept`: the server already counts the link as up (PROTOCOL.md).
            if reconfirm, (message["kept"] as? Bool) != true {
                try await send(
                    link(parent, epoch, "up"), type: "link up (again, on placed)", on: outbound, stats: stats,
                    evenIfClosing: false)
            }

        case "open":
            guard let peer = message["peer"] as? String, let epoch = epochValue(message["epoch"]) else { return }
            let alreadyConnected = mutate { state -> Bool in
                if let held = state.down[peer], held.epoch == epoch, held.connected { return true }
                // A new link (an older one with that peer is closed first: it is forgotten here).
                state.down[peer] = DownLink(epoch: epoch, connected: false)
                return false
            }
            if alreadyConnected {
                try await send(
                    link(peer, epoch, "down"), type: "link down (again, on open)", on: outbound, stats: stats,
                    evenIfClosing: false)
            } else {
                let offer: [String: Any] = [
                    "type": "signal", "to": peer, "epoch": epoch,
                    "description": ["type": "offer", "sdp": "load"],
                ]
                try await send(offer, type: "signal offer", on: outbound, stats: stats, evenIfClosing: false)
            }

        case "signal":
            guard let from = message["from"] as? String, let epoch = epochValue(message["epoch"]),
                let description = message["description"] as? [String: Any],
                let kind = description["type"] as? String
            else { return }  // candidates: nothing to do without ICE
            if kind == "offer" {
                mutate { state in
                    state.upPeer = from
                    state.upEpoch = epoch
                }
                let answer: [String: Any] = [
                    "type": "signal", "to": from, "epoch": epoch,
                    "description": ["type": "answer", "sdp": "load"],
                ]
                try await send(answer, type: "signal answer", on: outbound, stats: stats, evenIfClosing: false)
                try await send(
                    link(from, epoch, "up"), type: "link up", on: outbound, stats: stats, evenIfClosing: false)
            } else if kind == "answer" {
                let matches = mutate { state -> Bool in
                    guard let held = state.down[from], held.epoch == epoch else { return false }
                    state.down[from] = DownLink(epoch: epoch, connected: true)
                    return true
                }
                if matches {
                    try await send(
                        link(from, epoch, "down"), type: "link down", on: outbound, stats: stats, evenIfClosing: false)
                }
            }

        case "close":
            guard let peer = message["peer"] as? String else { return }
            mutate { state in
                state.down[peer] = nil
                if state.upPeer == peer {
                    state.upPeer = nil
                    state.upEpoch = nil
                }
            }

        case "error":
            let code = (message["code"] as? String) ?? "(no code)"
            stats.error(code)
            let total = mutate { state -> Int in
                if state.phase == .hello, state.refusal == nil { state.refusal = code }
                state.errors[code, default: 0] += 1
                return state.errors.values.reduce(0, +)
            }
            stats.withCounters { counters in
                if role == .broadcaster {
                    counters.broadcasterErrors = total
                } else {
                    counters.mostErrorsOnOneViewer = max(counters.mostErrorsOnOneViewer, total)
                }
            }

        default:
            // phase, replace-track, anything newer: nothing to do without media.
            break
        }
    }

    private func link(_ peer: String, _ epoch: String, _ direction: String) -> [String: Any] {
        ["type": "link", "peer": peer, "epoch": epoch, "direction": direction, "state": "connected"]
    }
}

/// A link epoch: an opaque token the server sends as a decimal string (PROTOCOL.md), echoed
/// back as such; an integer (an older server) is turned into its decimal string.
func epochValue(_ any: Any?) -> String? {
    if let text = any as? String { return text }
    if let value = intValue(any) { return String(value) }
    return nil
}

/// An integer from JSONSerialization's output (NSNumber on Linux, Int or Double elsewhere).
func intValue(_ any: Any?) -> Int? {
    switch any {
    case let value as Int: return value
    case let value as Double where value.rounded() == value: return Int(value)
    case let value as NSNumber: return value.intValue
    default: return nil
    }
}
