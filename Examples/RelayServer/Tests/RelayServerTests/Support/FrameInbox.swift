import HummingbirdWebSocket

@testable import RelayServer

/// Collects the JSON frames a test's WebSocket receives, so that a test can wait for the
/// next frame of a type while it talks on other sockets.
actor FrameInbox {
    private var frames: [[String: JSONValue]] = []

    /// Runs `body` with an inbox that collects what the socket receives meanwhile, then
    /// closes the socket and waits for the server's close.
    static func session(
        _ inbound: WebSocketInboundStream, _ outbound: WebSocketOutboundWriter,
        _ body: (FrameInbox) async throws -> Void
    ) async throws {
        let inbox = FrameInbox()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for try await frame in inbound {
                    if case .object(let fields) = try? JSONValue.parse(frame.data.readableBytesView) {
                        await inbox.append(fields)
                    }
                }
            }
            try await body(inbox)
            try? await outbound.close(.normalClosure, reason: nil)
            try await group.waitForAll()
        }
    }

    private func append(_ fields: [String: JSONValue]) { frames.append(fields) }

    struct Timeout: Error {}

    /// Removes and returns the first frame of `type`, waiting up to 10 s for one.
    func next(_ type: String) async throws -> [String: JSONValue] {
        for _ in 0..<2_000 {
            if let index = frames.firstIndex(where: { $0["type"] == .string(type) }) {
                return frames.remove(at: index)
            }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw Timeout()
    }
}
