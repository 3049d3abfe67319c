import HummingbirdWebSocket
import Logging
import NIOCore

/// One page's WebSocket: reads its frames within the limits, routes them to its room,
/// and writes what the room sends back, in order.
struct RelayConnection {
    let registry: RoomRegistry
    let limits: ConnectionGuard.Limits
    let logger: Logger

    /// Serves the socket until either side closes it. A socket opened at `/ws/{room}`
    /// may only join that room: the path lets a load balancer route by room.
    func run(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, room pathRoom: RoomName?) async {
        let connection = await registry.newConnectionID()
        let (frames, outbox) = AsyncStream<Room.Outbound>.makeStream(
            bufferingPolicy: .bufferingOldest(Self.maxQueuedFrames))
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await write(frames, to: outbound) }
            let room = await read(inbound, connection: connection, outbox: outbox, pathRoom: pathRoom)
            await room?.disconnect(connection)
            outbox.finish()
        }
    }

    /// The most frames waiting for a page that does not read them; past it, the room
    /// drops the page (``Room/Outbound``), which must then resume.
    static let maxQueuedFrames = 4_096

    /// Writes the room's frames until told to close or the stream ends: the page left, or
    /// it fell too far behind and the room gave up on it.
    private func write(_ frames: AsyncStream<Room.Outbound>, to outbound: WebSocketOutboundWriter) async {
        do {
            for await item in frames {
                switch item {
                case .frame(let text):
                    try await outbound.write(.text(text))
                case .close(let reason):
                    try await outbound.close(.unknown(reason.code), reason: reason.text)
                    return
                }
            }
            let behind = CloseReason.refused("too far behind")
            try await outbound.close(.unknown(behind.code), reason: behind.text)
        } catch {
            logger.debug("writing to a page failed: \(error)")
        }
    }

    /// Reads messages until the socket closes; returns the room the page joined.
    private func read(
        _ inbound: WebSocketInboundStream, connection: ConnectionID, outbox: Room.Outbox, pathRoom: RoomName?
    ) async -> Room? {
        var room: Room?
        var guardrail = ConnectionGuard(limits: limits, now: Self.seconds())
        var message: [UInt8] = []
        var isText = true
        var oversized = false
        func refuse(_ error: ProtocolError) -> Bool {
            outbox.yield(.frame(ServerMessage.error(error).json.text))
            return guardrail.strike(weight: error.strikeWeight, at: Self.seconds())
        }
        do {
            for try await frame in inbound {
                if frame.opcode != .continuation {
                    message.removeAll(keepingCapacity: true)
                    isText = frame.opcode == .text
                    oversized = false
                }
                if !oversized {
                    if message.count + frame.data.readableBytes > PageMessage.maxFrameBytes {
                        oversized = true
                        message.removeAll()
                    } else {
                        message.append(contentsOf: frame.data.readableBytesView)
                    }
                }
                guard frame.fin else { continue }
                switch guardrail.admit(at: Self.seconds()) {
                case .admit: break
                case .throttle(let notify):
                    if notify {
                        outbox.yield(
                            .frame(
                                ServerMessage.error(ProtocolError(.rateLimited, "too many frames; slow down")).json.text
                            ))
                    }
                    continue
                case .close:
                    outbox.yield(.close(.refused("repeated abuse")))
                    return room
                }
                let refusedByRoom: [ProtocolError]
                do throws(ProtocolError) {
                    guard !oversized else {
                        throw ProtocolError(.tooLarge, "frames are limited to \(PageMessage.maxFrameBytes) bytes")
                    }
                    guard isText else { throw ProtocolError(.badJSON, "send JSON in text frames") }
                    let page = try PageMessage(frame: message)
                    if let room {
                        refusedByRoom = await room.receive(page, from: connection)
                    } else {
                        guard case .hello(let hello) = page else {
                            throw ProtocolError(.helloFirst, "the first frame must be hello")
                        }
                        if let pathRoom, hello.room != pathRoom {
                            throw ProtocolError(.badRoom, "this socket was opened for room \(pathRoom)")
                        }
                        let joined = try await registry.room(hello.room)
                        refusedByRoom = await joined.connect(connection, outbox: outbox, hello: hello)
                        if refusedByRoom.isEmpty { room = joined } else { await joined.disconnect(connection) }
                    }
                } catch {
                    refusedByRoom = []
                    if refuse(error) {
                        outbox.yield(.close(.refused("repeated abuse")))
                        return room
                    }
                    if error.endsSession {
                        outbox.yield(.close(.refused(error.message)))
                        return room
                    }
                }
                let weight = refusedByRoom.reduce(0) { $0 + $1.strikeWeight }
                if weight > 0, guardrail.strike(weight: weight, at: Self.seconds()) {
                    outbox.yield(.close(.refused("repeated abuse")))
                    return room
                }
            }
        } catch {
            logger.debug("reading from a page failed: \(error)")
        }
        return room
    }

    private static func seconds() -> Double {
        WallClock.now().seconds
    }
}
