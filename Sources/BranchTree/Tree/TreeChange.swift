/// What one ``BranchTree/join(_:relayable:capacity:)`` or ``BranchTree/leave(_:)`` changed:
/// the instructions a signalling server carries out, and the cost a simulator counts.
///
/// Links are `parent → child` stream links. Every viewer whose stream stops is listed,
/// split by what it must do: ``reconnecting`` viewers get a new upstream connection;
/// ``keepingLink`` viewers keep theirs and only wait for the stream to flow again (their
/// ancestors' repair reaches them through `replaceTrack`, with no new connection). The
/// seed re-fed only the moved viewer and its direct children, leaving everyone deeper
/// dark; here nobody below a repair is forgotten.
public struct TreeChange: Sendable, Hashable {
    /// What happened to the subject.
    public enum Outcome: Sendable, Hashable {
        /// The viewer joined and now sits under `parent` at `depth`.
        case joined(parent: ViewerID, depth: Int)
        /// The viewer was already in the tree; nothing changed. Its current place.
        case alreadyPresent(parent: ViewerID, depth: Int)
        /// The viewer left the tree.
        case left
    }

    /// A viewer whose parent changed during a repair.
    public struct Move: Sendable, Hashable, Codable {
        /// The viewer that moved.
        public var viewer: ViewerID
        /// Its parent before the operation.
        public var fromParent: ViewerID
        /// Its parent after the operation.
        public var toParent: ViewerID
        /// Its depth before the operation.
        public var fromDepth: Int
        /// Its depth after the operation.
        public var toDepth: Int

        /// A move of `viewer` from one place to another.
        public init(viewer: ViewerID, fromParent: ViewerID, toParent: ViewerID, fromDepth: Int, toDepth: Int) {
            self.viewer = viewer
            self.fromParent = fromParent
            self.toParent = toParent
            self.fromDepth = fromDepth
            self.toDepth = toDepth
        }
    }

    /// The viewer that joined or left.
    public var subject: ViewerID
    /// Whether the subject joined, was already present, or left.
    public var outcome: Outcome
    /// Viewers whose parent changed (the subject of a join is not a move), one move each
    /// from its place before the operation to its place after, in the order of the
    /// links they create in ``linksCreated``.
    public var moves: [Move]
    /// Stream links that no longer exist: the leaver's own, the leaver's to each of its
    /// children, and a moved viewer's link to its old parent.
    public var linksCut: [Link]
    /// Stream links to set up.
    public var linksCreated: [Link]
    /// Interrupted viewers that need a new upstream connection.
    public var reconnecting: [ViewerID]
    /// Interrupted viewers whose upstream link survives.
    public var keepingLink: [ViewerID]
    /// Viewers dropped from the tree because no relay slot was left for them: only
    /// viewers that cannot relay, and only when every leaf of the tree cannot relay
    /// either (a relayable viewer always finds a place). They must join again. The links
    /// they lost are in ``linksCut``.
    public var evicted: [ViewerID]

    /// A change from its parts; the tree's operations make these, tests compare them.
    public init(
        subject: ViewerID, outcome: Outcome, moves: [Move] = [], linksCut: [Link] = [],
        linksCreated: [Link] = [], reconnecting: [ViewerID] = [], keepingLink: [ViewerID] = [],
        evicted: [ViewerID] = []
    ) {
        self.subject = subject
        self.outcome = outcome
        self.moves = moves
        self.linksCut = linksCut
        self.linksCreated = linksCreated
        self.reconnecting = reconnecting
        self.keepingLink = keepingLink
        self.evicted = evicted
    }

    /// Every viewer whose stream is interrupted: ``reconnecting`` then ``keepingLink``.
    public var interrupted: [ViewerID] { reconnecting + keepingLink }

    /// The number of interrupted viewers.
    public var interruptedCount: Int { reconnecting.count + keepingLink.count }

    /// Whether the operation changed the tree at all.
    public var changedTree: Bool {
        if case .alreadyPresent = outcome { return false }
        return true
    }
}

/// A stream link: `parent` relays the broadcast to `child`.
public struct Link: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The node that sends the stream (the broadcaster's id for a first viewer).
    public var parent: ViewerID
    /// The viewer that receives it.
    public var child: ViewerID

    /// A link from `parent` to `child`.
    public init(parent: ViewerID, child: ViewerID) {
        self.parent = parent
        self.child = child
    }

    /// The link as `parent → child`.
    public var description: String { "\(parent) → \(child)" }
}
