/// How a ``BranchTree`` places joining viewers and repairs the tree when a viewer leaves.
///
/// Every policy places a joiner by **add-branch**, the seed's level-order first fit: scan
/// the broadcaster, then depth 0, 1, 2 …, each level in its own order, and attach the
/// joiner as the last child of the first node with a free relay slot. They differ in the
/// repair:
///
/// - ``skyway``: **leaf migration**, the repair of `skyway_peerjs_stream_relay`, exact.
///   A leaver on the deepest level is simply removed. Any other leaver is replaced by the
///   *tail* — the first viewer of the deepest level — which takes over the leaver's
///   parent, depth and children. The height stays minimal; only the tail and the leaver's
///   children need new connections.
/// - ``rejoin``: **orphan rejoin**, the `spls-exp` family. The leaver is removed and each
///   of its children re-attaches by add-branch, keeping its own subtree.
///
/// Choose the policy when the tree is made; it is part of ``BranchTree/Configuration``.
public enum Policy: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// Add-branch placement with leaf-migration repair: the seed's behaviour, exactly.
    case skyway
    /// Add-branch placement with orphan-rejoin repair.
    case rejoin

    /// The policy's name, as the command line and JSON spell it.
    public var description: String { rawValue }
}
