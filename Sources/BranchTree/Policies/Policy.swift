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
/// - ``stable``: **oldest-leaf promotion**, for audiences whose session lengths are
///   heavy-tailed (a viewer who has stayed long is likely to stay longer). A joiner goes
///   to the shallowest level with a free slot, under the *oldest* viewer there, so that
///   newcomers hang below proven viewers instead of becoming relays themselves. A
///   leaver's oldest child climbs into its place when it is older than every leaf that
///   could fill the hole, for at most two levels (further only while no leaf can fill
///   it); then the *oldest* relayable leaf deeper than the last hole fills it, instead
///   of the youngest. Long-lived viewers thus climb towards the root, and a departure
///   usually costs the leaver's own small subtree.
///
/// Choose the policy when the tree is made; it is part of ``BranchTree/Configuration``.
public enum Policy: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// Add-branch placement with leaf-migration repair: the seed's behaviour, exactly.
    case skyway
    /// Add-branch placement with orphan-rejoin repair.
    case rejoin
    /// Add-branch placement under the oldest viewer of the level, with oldest-leaf
    /// promotion as the repair: age-aware, for heavy-tailed session lengths.
    case stable

    /// The policy's name, as the command line and JSON spell it.
    public var description: String { rawValue }
}
