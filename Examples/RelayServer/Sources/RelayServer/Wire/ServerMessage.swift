import BranchTree

/// One frame the server sends to a page (see `PROTOCOL.md`).
enum ServerMessage: Sendable, Equatable {
    case welcome(Welcome)
    /// Viewer: take the stream from `parent` over the link created at `epoch`.
    case placed(parent: ViewerID, epoch: UInt64, depth: Int, kept: Bool)
    /// Open a downstream link to `peer` and send it the offer.
    case open(peer: ViewerID, epoch: UInt64)
    /// Close the link with `peer`.
    case close(peer: ViewerID)
    /// Hand the new upstream track to these children's existing senders.
    case replaceTrack(children: [ViewerID])
    /// SDP or ICE from a peer the tree links the page to.
    case signal(from: ViewerID, epoch: UInt64, payload: SignalPayload)
    /// Where the viewer stands, and whether the broadcaster is here.
    case phase(ViewerStateMachine.Phase, live: Bool)
    /// The page's last frame was refused.
    case error(ProtocolError)

    struct Welcome: Sendable, Equatable {
        var room: RoomName
        var credentials: SessionCredentials
        var role: PageMessage.Role
        var broadcaster: ViewerID
        var fanout: Int
        var resumed: Bool
    }

    /// The frame as JSON.
    var json: JSONValue {
        switch self {
        case .welcome(let welcome):
            return [
                "type": "welcome", "room": .string(welcome.room.rawValue),
                "id": .string(welcome.credentials.id.rawValue), "token": .string(welcome.credentials.token),
                "role": .string(welcome.role.rawValue), "broadcaster": .string(welcome.broadcaster.rawValue),
                "fanout": JSONValue(welcome.fanout), "resumed": .bool(welcome.resumed),
            ]
        case .placed(let parent, let epoch, let depth, let kept):
            return [
                "type": "placed", "parent": .string(parent.rawValue), "epoch": .string(String(epoch)),
                "depth": JSONValue(depth), "kept": .bool(kept),
            ]
        case .open(let peer, let epoch):
            return ["type": "open", "peer": .string(peer.rawValue), "epoch": .string(String(epoch))]
        case .close(let peer):
            return ["type": "close", "peer": .string(peer.rawValue)]
        case .replaceTrack(let children):
            return ["type": "replace-track", "children": .array(children.map { .string($0.rawValue) })]
        case .signal(let from, let epoch, let payload):
            var fields: [String: JSONValue] = [
                "type": "signal", "from": .string(from.rawValue), "epoch": .string(String(epoch)),
            ]
            switch payload {
            case .description(let type, let sdp):
                fields["description"] = ["type": .string(type), "sdp": .string(sdp)]
            case .candidate(let candidate, let sdpMid, let sdpMLineIndex):
                fields["candidate"] = [
                    "candidate": .string(candidate), "sdpMid": JSONValue(sdpMid),
                    "sdpMLineIndex": sdpMLineIndex.map(JSONValue.init) ?? .null,
                ]
            }
            return .object(fields)
        case .phase(let phase, let live):
            return ["type": "phase", "phase": .string(phase.wireName), "live": .bool(live)]
        case .error(let error):
            return ["type": "error", "code": .string(error.code.rawValue), "message": .string(error.message)]
        }
    }
}

extension ViewerStateMachine.Phase {
    /// The phase's name in `phase` frames and the tree API.
    var wireName: String {
        switch self {
        case .idle: "idle"
        case .joining: "joining"
        case .connecting: "connecting"
        case .receiving: "receiving"
        case .awaitingRepair: "awaitingRepair"
        case .departed: "departed"
        }
    }
}
