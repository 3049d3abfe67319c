/// One signalling message of the relay protocol: the seed's five, made safe with link
/// epochs.
///
/// Who sent a message is the transport's knowledge (the signalling connection it came
/// in on), so messages carry only their content; the state machines take the sender
/// alongside. Every message has a JSON form (see ``jsonData()`` and
/// ``init(jsonData:)``):
///
///     {"type":"join","version":1,"relayable":true}
///     {"type":"close_branch","version":1,"child":"Q","epoch":17}
///     {"type":"branch_data","version":1,"parent":"A","epoch":17,"depth":1,
///      "children":[{"id":"D","epoch":9}],"sequence":21}
///     {"type":"request_stream","version":1,"epoch":17}
///     {"type":"reconnect_root","version":1}
///
/// Epochs: every parent → child link carries the tree ``BranchTree/version`` at which it
/// was created. `branch_data` hands it out, `request_stream` and `close_branch` quote it,
/// and the broadcaster acts on a `close_branch` only when the epoch is that of the link
/// that exists now. A report about a link the child has already left can therefore
/// never remove it — the seed's ghosts cannot happen.
public enum RelayMessage: Sendable, Hashable {
    /// Viewer → broadcaster: place me (re-sent until answered), or confirm that I am
    /// still here after a restart.
    case join(Join)
    /// Parent → broadcaster: my link to this child closed.
    case closeBranch(CloseBranch)
    /// Broadcaster → viewer: your place in the tree.
    case branchData(BranchData)
    /// Viewer → its parent: send me the stream over the link with this epoch.
    case requestStream(RequestStream)
    /// Restarted broadcaster → viewers: send `join` again.
    case reconnectRoot

    /// The wire format version this library writes and reads.
    public static let wireVersion = 1

    /// `join`: what the viewer can relay.
    public struct Join: Sendable, Hashable {
        /// Whether the viewer relays at all.
        public var relayable: Bool
        /// How many viewers it can relay to, when fewer than the fan-out.
        public var capacity: Int?

        /// A `join` for a viewer that relays (by default to as many viewers as the fan-out).
        public init(relayable: Bool = true, capacity: Int? = nil) {
            self.relayable = relayable
            self.capacity = capacity
        }
    }

    /// `close_branch`: the reporter's link to `child`, created at `epoch`, closed.
    public struct CloseBranch: Sendable, Hashable {
        /// The child whose link closed.
        public var child: ViewerID
        /// The epoch of the link that closed.
        public var epoch: UInt64

        /// A report that the link to `child` created at `epoch` closed.
        public init(child: ViewerID, epoch: UInt64) {
            self.child = child
            self.epoch = epoch
        }
    }

    /// `branch_data`: the receiver's place, as of tree version `sequence`.
    public struct BranchData: Sendable, Hashable {
        /// The node to take the stream from (the broadcaster's id for a first viewer).
        public var parent: ViewerID
        /// The epoch of the link from `parent`.
        public var epoch: UInt64
        /// The receiver's depth when the record was issued.
        public var depth: Int
        /// The viewers the receiver relays to, in order, with their links' epochs.
        public var children: [ChildLink]
        /// The tree version the record describes; a viewer ignores a record older than
        /// one it has already applied (messages can overtake each other).
        public var sequence: UInt64

        /// A record of the receiver's place at tree version `sequence`.
        public init(parent: ViewerID, epoch: UInt64, depth: Int, children: [ChildLink], sequence: UInt64) {
            self.parent = parent
            self.epoch = epoch
            self.depth = depth
            self.children = children
            self.sequence = sequence
        }
    }

    /// One child in a `branch_data` record.
    public struct ChildLink: Sendable, Hashable, Codable {
        /// The child's id.
        public var id: ViewerID
        /// The epoch of the link to the child.
        public var epoch: UInt64

        /// A child and the epoch of the link to it.
        public init(id: ViewerID, epoch: UInt64) {
            self.id = id
            self.epoch = epoch
        }
    }

    /// `request_stream`: open (or re-open) the link with this epoch to me.
    public struct RequestStream: Sendable, Hashable {
        /// The epoch of the link the sender asks for, from its `branch_data`.
        public var epoch: UInt64

        /// A request for the stream over the link with `epoch`.
        public init(epoch: UInt64) {
            self.epoch = epoch
        }
    }

    /// The wire name of the message's type.
    public var typeName: String {
        switch self {
        case .join: "join"
        case .closeBranch: "close_branch"
        case .branchData: "branch_data"
        case .requestStream: "request_stream"
        case .reconnectRoot: "reconnect_root"
        }
    }
}
