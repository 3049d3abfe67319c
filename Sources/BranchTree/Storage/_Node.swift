/// One slot of a tree's node storage: a viewer, the broadcaster (always slot 0), or a
/// vacant slot waiting for reuse.
///
/// A plain record of integers (the id and link epoch sit beside it in the slot's
/// `_SlotStorage` record), so copying one costs no reference counting. Links are slot
/// indices: a node costs a fixed 32 bytes.
/// Children live in the tree's `childBlocks`, a fixed-size block per slot, so that a
/// subtree walk issues independent loads instead of chasing sibling pointers. Levels are
/// intrusive doubly linked lists, which keep the seed's order (append at the end, remove
/// anywhere) at O(1) per change.
struct _Node {
    static let none: Int32 = -1
    /// The depth of a vacant slot.
    static let vacant: Int32 = .min

    var parent: Int32
    var previousInLevel: Int32
    var nextInLevel: Int32
    /// 0 for first viewers, −1 for the broadcaster, `vacant` for an unused slot.
    var depth: Int32
    /// Position in the level's order: increases along the level's list.
    var levelSequence: UInt32
    var childCount: UInt16
    var capacity: UInt16
    /// Where the node sits in the free-slot heap, or `none`.
    var freeHeapPosition: Int32
    /// Where the node sits in its capacity class's tail-candidate heap, or `none`.
    var tailHeapPosition: Int32

    init(capacity: Int, depth: Int32) {
        self.parent = Self.none
        self.previousInLevel = Self.none
        self.nextInLevel = Self.none
        self.depth = depth
        self.levelSequence = 0
        self.childCount = 0
        self.capacity = UInt16(capacity)
        self.freeHeapPosition = Self.none
        self.tailHeapPosition = Self.none
    }

    var isVacant: Bool { depth == Self.vacant }
    var hasFreeSlot: Bool { childCount < capacity }
    var isLeaf: Bool { childCount == 0 }
}
