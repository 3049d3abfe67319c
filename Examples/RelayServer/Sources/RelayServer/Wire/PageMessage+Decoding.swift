import BranchTree

extension PageMessage {
    /// The largest frame the server reads; a larger one is refused with `too-large`.
    static let maxFrameBytes = 64 * 1024

    /// Decodes and validates one text frame.
    ///
    /// - Throws: A ``ProtocolError`` naming what is wrong: not JSON, an unknown type, or
    ///   the first field that is missing, of the wrong type or out of range.
    /// - Complexity: O(frame size)
    init(frame bytes: some Collection<UInt8>) throws(ProtocolError) {
        guard bytes.count <= Self.maxFrameBytes else {
            throw ProtocolError(.tooLarge, "frames are limited to \(Self.maxFrameBytes) bytes")
        }
        guard case .object(let object) = try JSONValue.parse(bytes) else {
            throw ProtocolError(.badJSON, "a frame must be a JSON object")
        }
        let type = try JSONFields(object: object, context: "frame").string("type", maxLength: 32)
        let fields = JSONFields(object: object, context: type)
        switch type {
        case "hello": self = .hello(try Self.hello(fields))
        case "link": self = .link(try Self.link(fields))
        case "signal": self = .signal(try Self.signal(fields))
        case "status":
            self = .status(
                Status(
                    receiving: try fields.bool("receiving"),
                    framesDecoded: Int(try fields.integer("framesDecoded", in: 0...Int64(Int32.max))),
                    upstream: try fields.optionalString("upstream", maxLength: JSONFields.maxIDLength).map {
                        ViewerID($0)
                    }))
        case "leave": self = .leave
        default: throw ProtocolError(.unknownType, "unknown frame type \"\(type.prefix(32))\"")
        }
    }

    private static func hello(_ fields: JSONFields) throws(ProtocolError) -> Hello {
        let roomText = try fields.string("room", maxLength: 256)
        guard let room = RoomName(roomText) else {
            throw ProtocolError(.badRoom, "a room id is 1 to 64 characters of A-Z a-z 0-9 _ -")
        }
        guard let role = Role(rawValue: try fields.string("role", maxLength: 32)) else {
            throw ProtocolError(.badField, "hello.role must be \"broadcaster\" or \"viewer\"")
        }
        let capacity = try fields.optionalInteger(
            "capacity", in: 0...Int64(BranchTree.Configuration.fanoutRange.upperBound))
        var resume: SessionCredentials?
        if let credentials = try fields.optionalObject("resume") {
            resume = SessionCredentials(
                id: try credentials.id("id"), token: try credentials.string("token", maxLength: 64))
        }
        return Hello(
            room: room, role: role, relayable: try fields.bool("relayable", default: true),
            capacity: capacity.map(Int.init), resume: resume)
    }

    private static func link(_ fields: JSONFields) throws(ProtocolError) -> LinkReport {
        guard let direction = Direction(rawValue: try fields.string("direction", maxLength: 8)) else {
            throw ProtocolError(.badField, "link.direction must be \"up\" or \"down\"")
        }
        guard let state = LinkState(rawValue: try fields.string("state", maxLength: 16)) else {
            throw ProtocolError(.badField, "link.state must be \"connected\" or \"closed\"")
        }
        return LinkReport(peer: try fields.id("peer"), epoch: try epoch(fields), direction: direction, state: state)
    }

    private static func signal(_ fields: JSONFields) throws(ProtocolError) -> Signal {
        let payload: SignalPayload
        if let description = try fields.optionalObject("description") {
            let type = try description.string("type", maxLength: 16)
            guard type == "offer" || type == "answer" else {
                throw ProtocolError(.badField, "signal.description.type must be \"offer\" or \"answer\"")
            }
            payload = .description(type: type, sdp: try description.string("sdp", maxLength: maxFrameBytes))
        } else if let candidate = try fields.optionalObject("candidate") {
            payload = .candidate(
                candidate: try candidate.string("candidate", maxLength: 1024),
                sdpMid: try candidate.optionalString("sdpMid", maxLength: 64),
                sdpMLineIndex: try candidate.optionalInteger("sdpMLineIndex", in: 0...1024).map(Int.init))
        } else {
            throw ProtocolError(.badField, "signal needs a description or a candidate")
        }
        return Signal(to: try fields.id("to"), epoch: try epoch(fields), payload: payload)
    }

    /// Epochs go to pages as decimal strings (a restarted broadcaster numbers links
    /// from the clock in nanoseconds, past JavaScript's exact integers); an integer is
    /// accepted too.
    private static func epoch(_ fields: JSONFields) throws(ProtocolError) -> UInt64 {
        if case .string(let text)? = fields.object["epoch"] {
            guard text.utf8.count <= 20, let epoch = UInt64(text) else {
                throw ProtocolError(.badField, "link epochs are decimal strings of an unsigned 64-bit integer")
            }
            return epoch
        }
        return UInt64(try fields.integer("epoch", in: 0...Int64.max))
    }
}
