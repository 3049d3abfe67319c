/// One input to a relay tree: what `branchtree-sim replay` reads and what property tests
/// generate.
public enum TreeOperation: Sendable, Hashable {
    /// A viewer joins. `capacity` is nil for a relayable viewer at the full fan-out, 0 for
    /// a viewer that does not relay, or a lower capacity.
    case join(ViewerID, capacity: Int? = nil)
    /// A viewer leaves.
    case leave(ViewerID)

    /// The viewer the operation is about.
    public var viewer: ViewerID {
        switch self {
        case .join(let id, _), .leave(let id): id
        }
    }
}
