/// Everything that can go wrong when building, changing or restoring a ``BranchTree``.
///
/// Every throwing operation of the tree is atomic: when it throws, the tree is exactly
/// as it was before the call.
public enum BranchTreeError: Error, Hashable, Sendable, CustomStringConvertible {
    /// No viewer with this id is in the tree.
    case unknownViewer(ViewerID)
    /// The broadcaster is the root of the tree; it cannot leave it.
    case cannotRemoveBroadcaster(ViewerID)
    /// A viewer may not use the broadcaster's id.
    case reservedID(ViewerID)
    /// Ids must not be empty.
    case emptyID
    /// The fan-out is outside ``BranchTree/Configuration/fanoutRange``.
    case invalidFanout(Int)
    /// The broadcaster's fan-out is outside ``BranchTree/Configuration/fanoutRange``.
    case invalidBroadcasterFanout(Int)
    /// A viewer's capacity is negative, above the tree's fan-out, or above zero for a
    /// viewer that is not relayable.
    case invalidCapacity(Int, fanout: Int)
    /// No viewer in the tree (nor the broadcaster) has a free relay slot for this viewer:
    /// the audience has outgrown the relay capacity of the viewers present.
    case noRelaySlot(ViewerID)
    /// A snapshot could not be restored; the text says which part is wrong.
    case malformedSnapshot(String)
    /// A relay protocol message could not be read; the text says which part is wrong.
    case malformedMessage(String)
    /// The validator found a broken invariant; the text says which.
    case invariantViolation(String)

    /// A one-line message for people, naming the viewer or field concerned.
    public var description: String {
        switch self {
        case .unknownViewer(let id): "unknown viewer \"\(id)\""
        case .cannotRemoveBroadcaster(let id): "\"\(id)\" is the broadcaster and cannot leave the tree"
        case .reservedID(let id): "\"\(id)\" is the broadcaster's id and cannot be used by a viewer"
        case .emptyID: "a viewer id must not be empty"
        case .invalidFanout(let n):
            "fan-out \(n) is invalid: it must be in \(BranchTree.Configuration.fanoutRange)"
        case .invalidBroadcasterFanout(let n):
            "broadcaster fan-out \(n) is invalid: it must be in \(BranchTree.Configuration.fanoutRange)"
        case .invalidCapacity(let c, let fanout):
            "capacity \(c) is invalid: it must be in 0...\(fanout), and 0 for a viewer that is not relayable"
        case .noRelaySlot(let id): "no viewer has a free relay slot for \"\(id)\""
        case .malformedSnapshot(let why): "malformed snapshot: \(why)"
        case .malformedMessage(let why): "malformed message: \(why)"
        case .invariantViolation(let why): "invariant violated: \(why)"
        }
    }
}
