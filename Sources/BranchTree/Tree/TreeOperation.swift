/// One input to a relay tree, with exactly the parameters of the call it stands for: what
/// `branchtree-sim replay` reads and what property tests generate.
public enum TreeOperation: Sendable, Hashable {
    /// A viewer joins; see ``BranchTree/join(_:relayable:capacity:)``.
    case join(ViewerID, relayable: Bool = true, capacity: Int? = nil)
    /// A viewer leaves; see ``BranchTree/leave(_:)``.
    case leave(ViewerID)

    /// The viewer the operation is about.
    public var viewer: ViewerID {
        switch self {
        case .join(let id, _, _), .leave(let id): id
        }
    }
}
