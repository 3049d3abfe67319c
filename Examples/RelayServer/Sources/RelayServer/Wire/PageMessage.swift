import BranchTree

/// One frame a page sends to the server, validated (see `PROTOCOL.md`).
enum PageMessage: Sendable, Equatable {
    /// The first frame of a session: which room, in which role.
    case hello(Hello)
    /// A peer connection came up or closed.
    case link(LinkReport)
    /// SDP or ICE for the peer the tree links the page to.
    case signal(Signal)
    /// What the page is playing now.
    case status(Status)
    /// The page is closing.
    case leave

    enum Role: String, Sendable, Equatable, Codable {
        case broadcaster, viewer
    }

    struct Hello: Sendable, Equatable {
        var room: RoomName
        var role: Role
        var relayable: Bool
        var capacity: Int?
        var resume: SessionCredentials?
    }

    enum Direction: String, Sendable, Equatable, Codable {
        /// The link from the page's parent.
        case up
        /// A link to one of the page's children.
        case down
    }

    enum LinkState: String, Sendable, Equatable, Codable {
        case connected, closed
    }

    struct LinkReport: Sendable, Equatable {
        var peer: ViewerID
        var epoch: UInt64
        var direction: Direction
        var state: LinkState
    }

    struct Signal: Sendable, Equatable {
        var to: ViewerID
        var epoch: UInt64
        /// The SDP or ICE payload, forwarded as it came (re-encoded from its parsed form).
        var payload: SignalPayload
    }

    struct Status: Sendable, Equatable {
        var receiving: Bool
        var framesDecoded: Int
        var upstream: ViewerID?
    }

    /// The wire name of the frame's type.
    var typeName: String {
        switch self {
        case .hello: "hello"
        case .link: "link"
        case .signal: "signal"
        case .status: "status"
        case .leave: "leave"
        }
    }
}

/// A session's id and the secret that proves a page owns it.
struct SessionCredentials: Sendable, Equatable, Codable {
    var id: ViewerID
    var token: String
}

/// What a `signal` frame carries: a session description or an ICE candidate.
enum SignalPayload: Sendable, Equatable {
    case description(type: String, sdp: String)
    case candidate(candidate: String, sdpMid: String?, sdpMLineIndex: Int?)
}
