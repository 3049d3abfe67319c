/// One input to a relay tree, with exactly the parameters of the call it stands for: what
/// `branchtree-sim replay` reads and what property tests generate.
public enum TreeOperation: Sendable, Hashable, CustomStringConvertible {
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

    /// The operation as Swift source, such as `join("v1", capacity: 0)` or `leave("v1")`:
    /// what a failing test prints so that the sequence can be pasted back.
    public var description: String {
        switch self {
        case .join(let id, let relayable, let capacity):
            "join(\"\(id)\"" + (relayable ? "" : ", relayable: false") + (capacity.map { ", capacity: \($0)" } ?? "")
                + ")"
        case .leave(let id): "leave(\"\(id)\")"
        }
    }
}
