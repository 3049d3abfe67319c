/// A relay tree for a peer-to-peer live broadcast, as a value type.
///
/// The broadcaster sends its stream to `broadcasterFanout` first viewers (one by
/// default); every viewer relays what it receives to at most `fanout` others. The tree
/// decides where a joining viewer goes and how the tree is repaired when a viewer leaves,
/// by the ``Policy`` chosen at creation, and says exactly what changed:
///
///     var tree = try BranchTree(fanout: 2)
///     for id in ["A", "B", "C", "D"] { try tree.join(ViewerID(id)) }
///     // root(A(B(D) C))
///     let change = try tree.leave("B")
///     // The tail D takes B's place: change.linksCreated == [A → D]
///     try tree.validate()
///
/// `BranchTree` has value semantics: a copy is an independent tree (storage is shared
/// until one of them changes). Operations cost O(log n) plus the size of their result;
/// a viewer costs about 120 bytes at fan-out 3 (measured at 10⁶ viewers with short ids).
///
/// Every mutating operation is atomic — when it throws, the tree is unchanged — and, with
/// the package trait `InternalChecks`, ends by checking every invariant (see ``validate()``).
public struct BranchTree: Sendable {
    /// The fan-outs and policy the tree was made with.
    public let configuration: Configuration

    /// Each slot's node, id (empty for a vacant slot) and link epoch (the ``version`` at
    /// which its upstream link was created), in one cache line; slot 0 is the broadcaster.
    var slots: _SlotStorage
    /// Each slot's children, in order, in a block of `childStride` entries at
    /// `slot * childStride`; the first `childCount` entries are used.
    var childBlocks: [Int32]
    /// The block size: the larger of the two fan-outs.
    let childStride: Int
    /// Each slot's child count again, one byte a slot (fan-outs stay below 256): what a
    /// subtree walk reads of every node it passes. At 10⁶ viewers these are a megabyte,
    /// mostly in cache, where reading each node's record was a miss.
    var childCounts: [UInt8] = [0]
    /// Viewer id → slot. Never iterated: its layout is random per process.
    var idIndex = _IDIndex()
    /// The viewers that joined without an id (they have slots but no index entry).
    var anonymousViewers = 0
    /// Whether an id beginning with `#`, the form of an anonymous viewer's id, was ever
    /// indexed: anonymous joins then check that theirs is free.
    var mayIndexSlotFormIDs = false
    /// Vacant slots, reused last-in first-out.
    var vacantSlots: [Int32] = []
    /// The buffer a leave lists the leaver's subtree in, kept between operations.
    var subtreeBuffer: [Int32] = []
    /// Per depth: the first and last slot of the level's list, its size and the next
    /// sequence number to hand out. A level is never empty.
    var levelLists: [_LevelList] = []
    /// Every node with a free relay slot, first in level order on top.
    var freeHeap = _FreeSlotQueue()
    /// Every viewer that cannot relay, first in level order on top: the ones a relayable
    /// viewer displaces when no node has a free slot. (They are never tail candidates, so
    /// they use the tail position field.)
    var nonRelayableHeap = _NodeHeap<_TailHeapField>()
    /// Leaf-migration candidates: relayable leaves by capacity class, deepest level first
    /// and then in level order. Kept only while `tracksTails` holds.
    var tailHeaps: [_NodeHeap<_TailHeapField>]
    /// Whether `tailHeaps` are kept: from the first viewer of a ``Policy/skyway`` tree
    /// whose capacity is below the fan-out. Until then every leaf can take over any
    /// slot, so the tail is simply the first viewer of the deepest level and the heaps
    /// would cost two updates per operation for nothing.
    var tracksTails = false
    /// Whether the tree orders viewers by age (the ``Policy/stable`` policy): it then
    /// keeps a join rank per viewer and the tail heaps from the start, keyed by age.
    let ordersByAge: Bool
    /// The join rank the next joiner gets (only a tree that orders by age keeps ranks).
    var nextJoinRank: UInt64 = 0
    /// Whether the tree promises the seed's shape (no holes above the last two levels,
    /// minimal height): true while the skyway policy has only seen full-capacity viewers.
    var keepsSeedShape: Bool

    /// Makes an empty tree.
    ///
    /// - Parameters:
    ///   - broadcaster: The broadcaster's id, the root of the tree.
    ///   - configuration: Fan-outs and policy.
    /// - Throws: ``BranchTreeError/emptyID`` for an empty broadcaster id.
    /// - Complexity: O(1)
    public init(broadcaster: ViewerID = "root", configuration: Configuration) throws(BranchTreeError) {
        guard !broadcaster.rawValue.isEmpty else { throw .emptyID }
        self.configuration = configuration
        self.slots = _SlotStorage()
        slots.append(_Node(capacity: configuration.broadcasterFanout, depth: -1), id: broadcaster, linkEpoch: 0)
        self.childStride = Swift.max(configuration.fanout, configuration.broadcasterFanout)
        self.childBlocks = Array(repeating: _Node.none, count: childStride)
        self.tailHeaps = Array(repeating: _NodeHeap(), count: configuration.fanout + 1)
        self.keepsSeedShape = configuration.policy == .skyway
        self.ordersByAge = configuration.policy == .stable
        self.tracksTails = ordersByAge
        refreshHeapMembership(of: 0)
        _checkInvariants()
    }

    /// Makes an empty tree from fan-outs and a policy.
    ///
    /// - Throws: ``BranchTreeError/invalidFanout(_:)``,
    ///   ``BranchTreeError/invalidBroadcasterFanout(_:)`` or ``BranchTreeError/emptyID``.
    /// - Complexity: O(1)
    public init(
        broadcaster: ViewerID = "root", fanout: Int, broadcasterFanout: Int = 1, policy: Policy = .skyway
    ) throws(BranchTreeError) {
        try self.init(
            broadcaster: broadcaster,
            configuration: Configuration(fanout: fanout, broadcasterFanout: broadcasterFanout, policy: policy))
    }

    /// The broadcaster's id.
    public var broadcaster: ViewerID { slots[id: 0] }

    /// The number of viewers (the broadcaster is not counted).
    /// - Complexity: O(1)
    public var count: Int { idIndex.count + anonymousViewers }

    /// Whether no viewer is in the tree.
    public var isEmpty: Bool { count == 0 }

    /// The number of levels: 0 when empty, 1 when only first viewers are present.
    /// - Complexity: O(1)
    public var height: Int { levelLists.count }

    /// A counter that grows with every operation that changes the tree (a join of a
    /// new viewer, a leave); failed operations and repeated joins leave it alone.
    ///
    /// Every link records the version that created it as its *link epoch* (see
    /// ``linkEpoch(of:)``), so that a message about a link can be checked against the
    /// link that exists now: the relay protocol uses this to tell a viewer's real
    /// departure from a stale report about a link it has already left.
    /// - Complexity: O(1)
    public internal(set) var version: UInt64 = 0

    /// Whether the tree currently promises the seed's shape, which ``validate()`` then
    /// checks: no empty level, holes only in the last two levels, minimal height.
    ///
    /// True for a ``Policy/skyway`` tree while every viewer that joined was relayable at
    /// the full fan-out. A restored snapshot promises it when it has that shape.
    public var promisesSeedShape: Bool { keepsSeedShape }
}
