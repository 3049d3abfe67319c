import BranchTree

/// What the server saves of a room, to restore it after a restart: the tree, and the
/// secrets that let each page take its session back.
struct RoomRecord: Sendable, Equatable, Codable {
    /// The format this server writes and reads.
    static let formatVersion = 1

    var formatVersion = Self.formatVersion
    var room: RoomName
    var snapshot: BranchTree.Snapshot
    var ownerToken: String?
    /// Sorted by id.
    var sessions: [SessionCredentials]

    init(room: RoomName, snapshot: BranchTree.Snapshot, ownerToken: String?, sessions: [SessionCredentials]) {
        self.room = room
        self.snapshot = snapshot
        self.ownerToken = ownerToken
        self.sessions = sessions
    }
}

extension RoomName: Codable {
    init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let name = RoomName(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a room id"))
        }
        self = name
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
