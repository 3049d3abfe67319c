import BranchTree
import Foundation
import Hummingbird
import HummingbirdTesting
import HummingbirdWSTesting
import HummingbirdWebSocket
import Logging
import NIOCore
import Testing

@testable import RelayServer

/// The server over real sockets, in-process: pages, the JSON API and the WebSocket.
@Suite("RelayApplication")
struct RelayApplicationTests {
    static func application(
        limits: ConnectionGuard.Limits = .init(), maxRooms: Int = 100
    ) throws -> (some ApplicationProtocol, RoomRegistry) {
        var settings = RelaySettings(configuration: try .init(fanout: 2))
        settings.port = 0
        settings.connectionLimits = limits
        settings.maxRooms = maxRooms
        let logger = Logger(label: "test")
        let registry = RoomRegistry(settings: settings, store: nil, logger: logger)
        return (
            buildApplication(settings: settings, registry: registry, pages: try .bundled(), logger: logger), registry
        )
    }

    @Test("Pages, static files and the JSON API answer; bad room ids and unknown rooms do not")
    func http() async throws {
        let (app, _) = try Self.application()
        try await app.test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"rooms":0,"status":"ok","viewers":0}"#)
            }
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
            }
            try await client.execute(uri: "/watch/room-1", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/static/relay.js", method: .get) { response in
                #expect(response.headers[.contentType] == "text/javascript; charset=utf-8")
            }
            try await client.execute(uri: "/watch/no%20spaces", method: .get) { #expect($0.status == .badRequest) }
            try await client.execute(uri: "/static/..%2FPackage.swift", method: .get) {
                #expect($0.status == .notFound)
            }
            try await client.execute(uri: "/api/rooms/nobody/tree", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/api/rooms", method: .get) { response in
                #expect(String(buffer: response.body) == #"{"rooms":[]}"#)
            }
        }
    }

    @Test("A broadcaster and a viewer over WebSockets: welcome, open, SDP forwarded, refused off the tree")
    func signallingOverSockets() async throws {
        let (app, _) = try Self.application()
        _ = try await app.test(.live) { client in
            try await client.ws("/ws") { broadcasterIn, broadcasterOut, _ in
                try await FrameInbox.session(broadcasterIn, broadcasterOut) { broadcaster in
                    try await broadcasterOut.write(.text(#"{"type":"hello","room":"live","role":"broadcaster"}"#))
                    #expect(try await broadcaster.next("welcome")["id"] == .string("broadcaster"))
                    try await client.ws("/ws") { viewerIn, viewerOut, _ in
                        try await FrameInbox.session(viewerIn, viewerOut) { viewer in
                            try await Self.viewerJoins(viewer, viewerOut, broadcaster, broadcasterOut)
                        }
                    }
                }
            }
        }
    }

    private static func viewerJoins(
        _ viewer: FrameInbox, _ viewerOut: WebSocketOutboundWriter, _ broadcaster: FrameInbox,
        _ broadcasterOut: WebSocketOutboundWriter
    ) async throws {
        try await viewerOut.write(.text(#"{"type":"hello","room":"live","role":"viewer"}"#))
        guard case .string(let id)? = try await viewer.next("welcome")["id"] else {
            Issue.record("welcome without an id")
            return
        }
        let open = try await broadcaster.next("open")
        #expect(open["peer"] == .string(id))
        guard case .string(let epoch)? = open["epoch"] else {
            Issue.record("open without an epoch")
            return
        }
        let placed = try await viewer.next("placed")
        #expect(placed["parent"] == .string("broadcaster") && placed["epoch"] == .string(epoch))
        try await broadcasterOut.write(
            .text(#"{"type":"signal","to":"\#(id)","epoch":"\#(epoch)","description":{"type":"offer","sdp":"v=0"}}"#))
        let signal = try await viewer.next("signal")
        #expect(signal["from"] == .string("broadcaster"))
        #expect(signal["description"] == .object(["type": "offer", "sdp": "v=0"]))
        try await viewerOut.write(
            .text(#"{"type":"signal","to":"v-0000","epoch":"\#(epoch)","description":{"type":"answer","sdp":""}}"#))
        #expect(try await viewer.next("error")["code"] == .string("not-linked"))
    }

    @Test("Malformed and oversized frames get an error frame; the socket stays usable")
    func badFrames() async throws {
        let (app, _) = try Self.application()
        _ = try await app.test(.live) { client in
            try await client.ws("/ws") { inbound, outbound, _ in
                try await FrameInbox.session(inbound, outbound) { frames in
                    try await outbound.write(.text("{not json"))
                    #expect(try await frames.next("error")["code"] == .string("bad-json"))
                    try await outbound.write(.text(#"{"type":"status","receiving":true,"framesDecoded":1}"#))
                    #expect(try await frames.next("error")["code"] == .string("hello-first"))
                    let padding = String(repeating: "x", count: 70_000)
                    try await outbound.write(.text(#"{"type":"leave","pad":"\#(padding)"}"#))
                    #expect(try await frames.next("error")["code"] == .string("too-large"))
                    try await outbound.write(.binary(ByteBuffer(string: "{}")))
                    #expect(try await frames.next("error")["code"] == .string("bad-json"))
                    try await outbound.write(.text(#"{"type":"hello","room":"ok","role":"viewer"}"#))
                    _ = try await frames.next("welcome")
                }
            }
        }
    }

    @Test("A flood is throttled with an error frame, then closed as a policy violation; other rooms carry on")
    func flood() async throws {
        let limits = ConnectionGuard.Limits(
            framesPerSecond: 1, frameBurst: 5, strikeBurst: 3, strikesForgivenPerSecond: 0.01)
        let (app, registry) = try Self.application(limits: limits)
        try await app.test(.live) { client in
            let close = try await client.ws("/ws") { inbound, outbound, _ in
                try await FrameInbox.session(inbound, outbound) { frames in
                    try await outbound.write(.text(#"{"type":"hello","room":"flood","role":"viewer"}"#))
                    _ = try await frames.next("welcome")
                    for _ in 0..<50 {
                        try await outbound.write(.text(#"{"type":"status","receiving":false,"framesDecoded":0}"#))
                    }
                    #expect(try await frames.next("error")["code"] == .string("rate-limited"))
                }
            }
            #expect(close?.closeCode == .policyViolation)
            #expect(await registry.existingRoom(RoomName("flood")!) != nil)
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
        }
    }

    @Test("Beyond the room limit a hello is refused with too-many-rooms and the socket closed")
    func tooManyRooms() async throws {
        let (app, _) = try Self.application(maxRooms: 1)
        try await app.test(.live) { client in
            try await client.ws("/ws") { inbound, outbound, _ in
                try await FrameInbox.session(inbound, outbound) { frames in
                    try await outbound.write(.text(#"{"type":"hello","room":"first","role":"broadcaster"}"#))
                    _ = try await frames.next("welcome")
                }
            }
            let close = try await client.ws("/ws") { inbound, outbound, _ in
                try await FrameInbox.session(inbound, outbound) { frames in
                    try await outbound.write(.text(#"{"type":"hello","room":"second","role":"viewer"}"#))
                    #expect(try await frames.next("error")["code"] == .string("too-many-rooms"))
                }
            }
            #expect(close?.closeCode == .policyViolation)
        }
    }

    @Test("A socket opened at /ws/{room} joins only that room, so that a load balancer can route by path")
    func roomPath() async throws {
        let (app, _) = try Self.application()
        try await app.test(.live) { client in
            try await client.ws("/ws/blue") { inbound, outbound, _ in
                try await FrameInbox.session(inbound, outbound) { frames in
                    try await outbound.write(.text(#"{"type":"hello","room":"red","role":"viewer"}"#))
                    #expect(try await frames.next("error")["code"] == .string("bad-room"))
                }
            }
            try await client.ws("/ws/blue") { inbound, outbound, _ in
                try await FrameInbox.session(inbound, outbound) { frames in
                    try await outbound.write(.text(#"{"type":"hello","room":"blue","role":"viewer"}"#))
                    #expect(try await frames.next("welcome")["room"] == .string("blue"))
                }
            }
        }
    }
}
