import BranchTree
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore

/// Builds the server: pages, the JSON API and the signalling WebSocket over one registry
/// of rooms. Tests call it with their own settings and drive it in-process.
func buildApplication(
    settings: RelaySettings, registry: RoomRegistry, pages: PageResources, logger: Logger,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let router = Router(context: BasicWebSocketRequestContext.self)
    router.get("/") { _, _ in try page("index.html", pages) }
    router.get("/broadcast/{room}") { _, context in try roomPage("broadcast.html", context, pages) }
    router.get("/watch/{room}") { _, context in try roomPage("watch.html", context, pages) }
    router.get("/rooms/{room}") { _, context in try roomPage("room.html", context, pages) }
    router.get("/static/{file}") { _, context in
        try page(try context.parameters.require("file"), pages)
    }
    router.get("/healthz") { _, _ in
        var viewers = 0
        let rooms = await registry.allRooms
        for room in rooms { viewers += await room.summary.viewers }
        return json(["status": "ok", "rooms": JSONValue(rooms.count), "viewers": JSONValue(viewers)])
    }
    router.get("/api/rooms") { _, _ in
        var list: [JSONValue] = []
        for room in await registry.allRooms {
            let summary = await room.summary
            list.append([
                "room": .string(room.name.rawValue), "viewers": JSONValue(summary.viewers), "live": .bool(summary.live),
            ])
        }
        return json(["rooms": .array(list)])
    }
    router.get("/api/rooms/{room}/tree") { _, context in
        json(try await existingRoom(context, registry).treeJSON)
    }
    router.get("/api/rooms/{room}/stats") { _, context in
        json(try await existingRoom(context, registry).statsJSON)
    }
    let connection = RelayConnection(registry: registry, limits: settings.connectionLimits, logger: logger)
    router.ws("/ws") { inbound, outbound, _ in
        await connection.run(inbound: inbound, outbound: outbound, room: nil)
    }
    router.ws(
        "/ws/{room}",
        shouldUpgrade: { _, context in
            RoomName(try context.parameters.require("room")) == nil ? .dontUpgrade : .upgrade([:])
        },
        onUpgrade: { inbound, outbound, context in
            let room = context.requestContext.parameters.get("room").flatMap(RoomName.init)
            await connection.run(inbound: inbound, outbound: outbound, room: room)
        })
    return Application(
        router: router,
        server: .http1WebSocketUpgrade(
            webSocketRouter: router,
            // Frames up to 1 MiB reach the server, which refuses those over 64 KiB with an
            // error frame; larger ones close the socket (1009).
            configuration: .init(ws: .init(maxFrameSize: 1 << 20, autoPing: .enabled(timePeriod: .seconds(15))))),
        configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "branchtree-relay"),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? settings.port) },
        logger: logger
    )
}

private func page(_ name: String, _ pages: PageResources) throws -> Response {
    guard let file = pages[name] else { throw HTTPError(.notFound) }
    return Response(
        status: .ok, headers: [.contentType: file.contentType, .cacheControl: "no-cache"],
        body: .init(byteBuffer: ByteBuffer(bytes: file.bytes)))
}

private func roomPage(_ name: String, _ context: some RequestContext, _ pages: PageResources) throws -> Response {
    guard RoomName(try context.parameters.require("room")) != nil else {
        throw HTTPError(.badRequest, message: "a room id is 1 to 64 characters of A-Z a-z 0-9 _ -")
    }
    return try page(name, pages)
}

private func existingRoom(_ context: some RequestContext, _ registry: RoomRegistry) async throws -> Room {
    guard let name = RoomName(try context.parameters.require("room")) else {
        throw HTTPError(.badRequest, message: "a room id is 1 to 64 characters of A-Z a-z 0-9 _ -")
    }
    guard let room = await registry.existingRoom(name) else { throw HTTPError(.notFound, message: "no room \(name)") }
    return room
}

private func json(_ value: JSONValue) -> Response {
    Response(
        status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-cache"],
        body: .init(byteBuffer: ByteBuffer(string: value.text)))
}
