/// One viewer's place in a relay tree: the seed's node model.
///
/// `uuid`, `parentUUID`, `children` and `relayable` are the fields of the original
/// systems' node record; `depth` and `capacity` complete it. In JSON (snapshots and the
/// `branchtree-sim replay` output) the keys are `id`, `parent`, `depth`, `children`,
/// `relayable` and `capacity`.
public struct Viewer: Sendable, Hashable, Codable {
    /// The viewer's id (a session id).
    public var uuid: ViewerID
    /// The viewer it receives the stream from; the broadcaster's id for a first viewer.
    public var parentUUID: ViewerID
    /// The viewers it relays to, in the tree's order.
    public var children: [ViewerID]
    /// Whether the viewer relays at all: false means capacity 0, a leaf forever.
    public var relayable: Bool { capacity > 0 }
    /// The most children this viewer may relay to (at most the tree's fan-out).
    public var capacity: Int
    /// 0 for a first viewer (fed by the broadcaster), 1 for its children, and so on.
    public var depth: Int

    /// A viewer record from its fields (``relayable`` follows from `capacity`).
    public init(uuid: ViewerID, parentUUID: ViewerID, children: [ViewerID], capacity: Int, depth: Int) {
        self.uuid = uuid
        self.parentUUID = parentUUID
        self.children = children
        self.capacity = capacity
        self.depth = depth
    }

    private enum CodingKeys: String, CodingKey {
        case uuid = "id"
        case parentUUID = "parent"
        case depth, children, relayable, capacity
    }

    /// Reads a record from JSON; a `relayable` that disagrees with `capacity` is refused.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        uuid = try container.decode(ViewerID.self, forKey: .uuid)
        parentUUID = try container.decode(ViewerID.self, forKey: .parentUUID)
        depth = try container.decode(Int.self, forKey: .depth)
        children = try container.decode([ViewerID].self, forKey: .children)
        capacity = try container.decode(Int.self, forKey: .capacity)
        if let relayable = try container.decodeIfPresent(Bool.self, forKey: .relayable),
            relayable != (capacity > 0)
        {
            throw DecodingError.dataCorruptedError(
                forKey: .relayable, in: container,
                debugDescription: "relayable must be true exactly when capacity is above 0")
        }
    }

    /// Writes the record with the keys `id`, `parent`, `depth`, `children`, `relayable`
    /// and `capacity`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(uuid, forKey: .uuid)
        try container.encode(parentUUID, forKey: .parentUUID)
        try container.encode(depth, forKey: .depth)
        try container.encode(children, forKey: .children)
        try container.encode(relayable, forKey: .relayable)
        try container.encode(capacity, forKey: .capacity)
    }
}
