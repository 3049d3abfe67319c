/// Where a join or a leave writes what it changed, in the tree's slot numbers: the one
/// vocabulary every policy's repair is written against.
///
/// Two recorders exist. The public operations record into `_TreeChangeRecorder`, which
/// builds the ``TreeChange`` of viewer ids they return; the package's slot-addressed
/// operations record into ``SlotChangeLog``, which keeps slot numbers in buffers its
/// caller reuses, so a simulator that only counts allocates nothing per operation.
///
/// Slots passed here are those of the operation's moment. A leaver's slot is freed
/// before its repair has recorded everything, so links may still name it afterwards; an
/// evicted viewer is recorded before its slot is freed. No slot is handed out again
/// within one operation, so within one operation a slot names one viewer.
protocol _RepairRecorder {
    /// The link `parent → child` no longer exists.
    mutating func recordCut(parent: Int32, child: Int32, slots: _SlotStorage)
    /// The link `parent → viewer` is new, `viewer` now at `depth`; when `origin` is given
    /// the viewer had a place before the operation, and this is its move from there.
    mutating func recordLink(
        to viewer: Int32, under parent: Int32, depth: Int, movedFrom origin: (parent: Int32, depth: Int)?,
        slots: _SlotStorage)
    /// `viewer` is interrupted and needs a new upstream link.
    mutating func recordReconnecting(_ viewer: Int32, slots: _SlotStorage)
    /// `viewer` is interrupted and keeps its upstream link.
    mutating func recordKeepingLink(_ viewer: Int32, slots: _SlotStorage)
    /// `viewer` lost its place and must join again (recorded before its slot is freed).
    mutating func recordEviction(_ viewer: Int32, slots: _SlotStorage)
    /// Room for what a departure lists: links cut, reconnecting and keeping viewers.
    mutating func reserve(cuts: Int, reconnecting: Int, keepingLink: Int)
    /// Room for `count` more new links and moves.
    mutating func reserve(links count: Int)

    // The edits below serve the rare repairs that revise what they recorded earlier in
    // the same operation (a displaced non-relayable viewer, a promotion).

    /// How far `viewer`'s move in this operation took it down (`toDepth - fromDepth`),
    /// or nil when it has not moved.
    func depthShift(ofMoved viewer: Int32, slots: _SlotStorage) -> Int?
    /// Takes back the new link `parent → child`; false when it was not recorded.
    mutating func withdrawLink(parent: Int32, child: Int32, slots: _SlotStorage) -> Bool
    /// Takes back `viewer`'s move, if any.
    mutating func withdrawMove(of viewer: Int32, slots: _SlotStorage)
    /// Takes `viewer` out of the reconnecting viewers, if it is there.
    mutating func withdrawReconnecting(_ viewer: Int32, slots: _SlotStorage)
    /// Takes `viewer` out of the viewers keeping their link, if it is there.
    mutating func withdrawKeepingLink(_ viewer: Int32, slots: _SlotStorage)
    /// Whether `viewer` is among the reconnecting viewers.
    func isReconnecting(_ viewer: Int32, slots: _SlotStorage) -> Bool
    /// Records the new link `parent → viewer` at `depth` and the viewer's move: from
    /// where its earlier move in this operation started, which this one replaces, or
    /// else from `origin`.
    mutating func recordRelink(
        to viewer: Int32, under parent: Int32, depth: Int, movedFrom origin: (parent: Int32, depth: Int),
        slots: _SlotStorage)
}
