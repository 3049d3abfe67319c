/// Records one operation twice: as the public ``TreeChange`` of viewer ids, and in slot
/// numbers into a ``SlotChangeLog``, for the relay protocol, which returns the first and
/// finds the viewers to send records to by the second, without looking an id up.
///
/// The two stay in step because every call goes to both: the log lists the change's
/// entries in the same order, each id replaced by its slot.
struct _PairedRecorder: _RepairRecorder {
    var ids: _TreeChangeRecorder
    var log: SlotChangeLog

    mutating func recordCut(parent: Int32, child: Int32, slots: _SlotStorage) {
        ids.recordCut(parent: parent, child: child, slots: slots)
        log.recordCut(parent: parent, child: child, slots: slots)
    }

    mutating func recordLink(
        to viewer: Int32, under parent: Int32, depth: Int, movedFrom origin: (parent: Int32, depth: Int)?,
        slots: _SlotStorage
    ) {
        ids.recordLink(to: viewer, under: parent, depth: depth, movedFrom: origin, slots: slots)
        log.recordLink(to: viewer, under: parent, depth: depth, movedFrom: origin, slots: slots)
    }

    mutating func recordReconnecting(_ viewer: Int32, slots: _SlotStorage) {
        ids.recordReconnecting(viewer, slots: slots)
        log.recordReconnecting(viewer, slots: slots)
    }

    mutating func recordKeepingLink(_ viewer: Int32, slots: _SlotStorage) {
        ids.recordKeepingLink(viewer, slots: slots)
        log.recordKeepingLink(viewer, slots: slots)
    }

    mutating func recordEviction(_ viewer: Int32, slots: _SlotStorage) {
        ids.recordEviction(viewer, slots: slots)
        log.recordEviction(viewer, slots: slots)
    }

    mutating func reserve(cuts: Int, reconnecting: Int, keepingLink: Int) {
        ids.reserve(cuts: cuts, reconnecting: reconnecting, keepingLink: keepingLink)
        log.reserve(cuts: cuts, reconnecting: reconnecting, keepingLink: keepingLink)
    }

    mutating func reserve(links count: Int) {
        ids.reserve(links: count)
        log.reserve(links: count)
    }

    func depthShift(ofMoved viewer: Int32, slots: _SlotStorage) -> Int? {
        log.depthShift(ofMoved: viewer, slots: slots)
    }

    mutating func withdrawLink(parent: Int32, child: Int32, slots: _SlotStorage) -> Bool {
        let withdrawn = ids.withdrawLink(parent: parent, child: child, slots: slots)
        let alsoWithdrawn = log.withdrawLink(parent: parent, child: child, slots: slots)
        assert(withdrawn == alsoWithdrawn, "the change and its slot log disagree about a link")
        return withdrawn
    }

    mutating func withdrawMove(of viewer: Int32, slots: _SlotStorage) {
        ids.withdrawMove(of: viewer, slots: slots)
        log.withdrawMove(of: viewer, slots: slots)
    }

    mutating func withdrawReconnecting(_ viewer: Int32, slots: _SlotStorage) {
        ids.withdrawReconnecting(viewer, slots: slots)
        log.withdrawReconnecting(viewer, slots: slots)
    }

    mutating func withdrawKeepingLink(_ viewer: Int32, slots: _SlotStorage) {
        ids.withdrawKeepingLink(viewer, slots: slots)
        log.withdrawKeepingLink(viewer, slots: slots)
    }

    func isReconnecting(_ viewer: Int32, slots: _SlotStorage) -> Bool {
        log.isReconnecting(viewer, slots: slots)
    }

    mutating func recordRelink(
        to viewer: Int32, under parent: Int32, depth: Int, movedFrom origin: (parent: Int32, depth: Int),
        slots: _SlotStorage
    ) {
        ids.recordRelink(to: viewer, under: parent, depth: depth, movedFrom: origin, slots: slots)
        log.recordRelink(to: viewer, under: parent, depth: depth, movedFrom: origin, slots: slots)
    }
}
