/// Records one operation for the relay protocol's broadcaster: always in slot numbers,
/// into a ``SlotChangeLog`` by which it finds the viewers to send records to without
/// looking an id up, and as the public ``TreeChange`` of viewer ids when that is wanted.
///
/// The two stay in step because every call goes to both: the log lists the change's
/// entries in the same order, each id replaced by its slot. Evicted viewers' ids are kept
/// too, read before their slots are freed and blanked: the broadcaster tells them to
/// join again.
struct _ProtocolRecorder: _RepairRecorder {
    /// The public change, when one is wanted.
    var ids: _TreeChangeRecorder?
    var log = SlotChangeLog()
    /// The ids of the viewers evicted, in the order of `log.evicted`.
    var evicted: [ViewerID] = []

    /// Empties the log and the evicted ids, keeping their buffers, and starts `ids`.
    mutating func start(_ ids: _TreeChangeRecorder?) {
        self.ids = ids
        log.removeAll()
        if !evicted.isEmpty { evicted.removeAll(keepingCapacity: true) }
    }

    mutating func recordCut(parent: Int32, child: Int32, slots: _SlotStorage) {
        ids?.recordCut(parent: parent, child: child, slots: slots)
        log.recordCut(parent: parent, child: child, slots: slots)
    }

    mutating func recordLink(
        to viewer: Int32, under parent: Int32, depth: Int, movedFrom origin: (parent: Int32, depth: Int)?,
        slots: _SlotStorage
    ) {
        ids?.recordLink(to: viewer, under: parent, depth: depth, movedFrom: origin, slots: slots)
        log.recordLink(to: viewer, under: parent, depth: depth, movedFrom: origin, slots: slots)
    }

    mutating func recordReconnecting(_ viewer: Int32, slots: _SlotStorage) {
        ids?.recordReconnecting(viewer, slots: slots)
        log.recordReconnecting(viewer, slots: slots)
    }

    mutating func recordKeepingLink(_ viewer: Int32, slots: _SlotStorage) {
        ids?.recordKeepingLink(viewer, slots: slots)
        log.recordKeepingLink(viewer, slots: slots)
    }

    mutating func recordEviction(_ viewer: Int32, slots: _SlotStorage) {
        ids?.recordEviction(viewer, slots: slots)
        log.recordEviction(viewer, slots: slots)
        evicted.append(BranchTree.viewerID(ofSlot: viewer, in: slots))
    }

    mutating func reserve(cuts: Int, reconnecting: Int, keepingLink: Int) {
        ids?.reserve(cuts: cuts, reconnecting: reconnecting, keepingLink: keepingLink)
        log.reserve(cuts: cuts, reconnecting: reconnecting, keepingLink: keepingLink)
    }

    mutating func reserve(links count: Int) {
        ids?.reserve(links: count)
        log.reserve(links: count)
    }

    func depthShift(ofMoved viewer: Int32, slots: _SlotStorage) -> Int? {
        log.depthShift(ofMoved: viewer, slots: slots)
    }

    mutating func withdrawLink(parent: Int32, child: Int32, slots: _SlotStorage) -> Bool {
        let withdrawn = log.withdrawLink(parent: parent, child: child, slots: slots)
        let alsoWithdrawn = ids?.withdrawLink(parent: parent, child: child, slots: slots)
        assert((alsoWithdrawn ?? withdrawn) == withdrawn, "the change and its slot log disagree about a link")
        return withdrawn
    }

    mutating func withdrawMove(of viewer: Int32, slots: _SlotStorage) {
        ids?.withdrawMove(of: viewer, slots: slots)
        log.withdrawMove(of: viewer, slots: slots)
    }

    mutating func withdrawReconnecting(_ viewer: Int32, slots: _SlotStorage) {
        ids?.withdrawReconnecting(viewer, slots: slots)
        log.withdrawReconnecting(viewer, slots: slots)
    }

    mutating func withdrawKeepingLink(_ viewer: Int32, slots: _SlotStorage) {
        ids?.withdrawKeepingLink(viewer, slots: slots)
        log.withdrawKeepingLink(viewer, slots: slots)
    }

    func isReconnecting(_ viewer: Int32, slots: _SlotStorage) -> Bool {
        log.isReconnecting(viewer, slots: slots)
    }

    mutating func recordRelink(
        to viewer: Int32, under parent: Int32, depth: Int, movedFrom origin: (parent: Int32, depth: Int),
        slots: _SlotStorage
    ) {
        ids?.recordRelink(to: viewer, under: parent, depth: depth, movedFrom: origin, slots: slots)
        log.recordRelink(to: viewer, under: parent, depth: depth, movedFrom: origin, slots: slots)
    }
}
