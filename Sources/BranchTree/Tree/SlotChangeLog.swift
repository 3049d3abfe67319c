/// What one slot-addressed join or leave changed, in the tree's slot numbers: a
/// ``TreeChange`` without viewer ids, in buffers the caller keeps and reuses.
///
///     var log = SlotChangeLog()
///     let slot = try tree.join("v1", relayable: true, capacity: nil, recordingInto: &log)
///     tree.leave(slot: slot, recordingInto: &log)
///     log.interruptedCount   // the leaver's subtree
///
/// For simulators that count what repairs cost: building a ``TreeChange`` allocates its
/// arrays and retains every id it lists, on every operation. Each operation empties the
/// log first and keeps its capacity, so once the buffers have grown to the largest
/// repair seen, an operation allocates nothing here.
///
/// The lists hold the same entries, in the same order, as the ``TreeChange`` the public
/// operation would return, each id replaced by its slot. A leaver's slot, and an evicted
/// viewer's, are free again once the operation returns: those entries name viewers that
/// are gone, and the slots may be handed to the next joiner.
package struct SlotChangeLog: Sendable, Equatable {
    /// A stream link between two slots.
    package struct SlotLink: Sendable, Hashable {
        package var parent: Int32
        package var child: Int32
    }

    /// A viewer whose parent changed, from its place before the operation to its place after.
    package struct SlotMove: Sendable, Hashable {
        package var viewer: Int32
        package var fromParent: Int32
        package var toParent: Int32
        package var fromDepth: Int32
        package var toDepth: Int32
    }

    /// As ``TreeChange/moves``.
    package private(set) var moves: [SlotMove] = []
    /// As ``TreeChange/linksCut``.
    package private(set) var linksCut: [SlotLink] = []
    /// As ``TreeChange/linksCreated``.
    package private(set) var linksCreated: [SlotLink] = []
    /// As ``TreeChange/reconnecting``.
    package private(set) var reconnecting: [Int32] = []
    /// As ``TreeChange/keepingLink``.
    package private(set) var keepingLink: [Int32] = []
    /// As ``TreeChange/evicted``: slots freed by the operation.
    package private(set) var evicted: [Int32] = []

    /// An empty log.
    package init() {}

    /// The number of interrupted viewers: ``reconnecting`` and ``keepingLink``.
    package var interruptedCount: Int { reconnecting.count + keepingLink.count }

    /// Empties every list, keeping the buffers.
    /// - Complexity: O(entries): each costs a decrement; most lists hold none or a few.
    mutating func removeAll() {
        // `removeAll(keepingCapacity:)` goes through the generic `replaceSubrange`, which
        // cost more than everything else an operation does to the log.
        moves.removeAllKeepingBuffer()
        linksCut.removeAllKeepingBuffer()
        linksCreated.removeAllKeepingBuffer()
        reconnecting.removeAllKeepingBuffer()
        keepingLink.removeAllKeepingBuffer()
        evicted.removeAllKeepingBuffer()
    }
}

extension Array {
    /// Removes every element, keeping the buffer: one by one from the end when there are
    /// few, which costs less than the generic `removeAll(keepingCapacity:)`.
    @inline(__always)
    fileprivate mutating func removeAllKeepingBuffer() {
        guard count <= 16 else { return removeAll(keepingCapacity: true) }
        while !isEmpty { removeLast() }
    }
}

extension SlotChangeLog: _RepairRecorder {
    mutating func recordCut(parent: Int32, child: Int32, slots: _SlotStorage) {
        linksCut.append(SlotLink(parent: parent, child: child))
    }

    mutating func recordLink(
        to viewer: Int32, under parent: Int32, depth: Int, movedFrom origin: (parent: Int32, depth: Int)?,
        slots: _SlotStorage
    ) {
        linksCreated.append(SlotLink(parent: parent, child: viewer))
        if let origin {
            moves.append(
                SlotMove(
                    viewer: viewer, fromParent: origin.parent, toParent: parent, fromDepth: Int32(origin.depth),
                    toDepth: Int32(depth)))
        }
    }

    mutating func recordReconnecting(_ viewer: Int32, slots: _SlotStorage) { reconnecting.append(viewer) }

    mutating func recordKeepingLink(_ viewer: Int32, slots: _SlotStorage) { keepingLink.append(viewer) }

    mutating func recordEviction(_ viewer: Int32, slots: _SlotStorage) { evicted.append(viewer) }

    mutating func reserve(cuts: Int, reconnecting: Int, keepingLink: Int) {
        // Reused buffers need growing only when this repair is the largest so far.
        linksCut.reserveCapacity(linksCut.count + cuts)
        self.reconnecting.reserveCapacity(self.reconnecting.count + reconnecting)
        self.keepingLink.reserveCapacity(self.keepingLink.count + keepingLink)
    }

    mutating func reserve(links count: Int) {
        moves.reserveCapacity(moves.count + count)
        linksCreated.reserveCapacity(linksCreated.count + count)
    }

    func depthShift(ofMoved viewer: Int32, slots: _SlotStorage) -> Int? {
        moves.first { $0.viewer == viewer }.map { Int($0.toDepth - $0.fromDepth) }
    }

    mutating func withdrawLink(parent: Int32, child: Int32, slots: _SlotStorage) -> Bool {
        guard let index = linksCreated.firstIndex(of: SlotLink(parent: parent, child: child)) else { return false }
        linksCreated.remove(at: index)
        return true
    }

    mutating func withdrawMove(of viewer: Int32, slots: _SlotStorage) {
        if let index = moves.firstIndex(where: { $0.viewer == viewer }) { moves.remove(at: index) }
    }

    mutating func withdrawReconnecting(_ viewer: Int32, slots: _SlotStorage) { reconnecting.removeAll { $0 == viewer } }

    mutating func withdrawKeepingLink(_ viewer: Int32, slots: _SlotStorage) { keepingLink.removeAll { $0 == viewer } }

    func isReconnecting(_ viewer: Int32, slots: _SlotStorage) -> Bool { reconnecting.contains(viewer) }

    mutating func recordRelink(
        to viewer: Int32, under parent: Int32, depth: Int, movedFrom origin: (parent: Int32, depth: Int),
        slots: _SlotStorage
    ) {
        guard let earlier = moves.firstIndex(where: { $0.viewer == viewer }) else {
            return recordLink(to: viewer, under: parent, depth: depth, movedFrom: origin, slots: slots)
        }
        let first = moves.remove(at: earlier)
        linksCreated.append(SlotLink(parent: parent, child: viewer))
        moves.append(
            SlotMove(
                viewer: viewer, fromParent: first.fromParent, toParent: parent, fromDepth: first.fromDepth,
                toDepth: Int32(depth)))
    }
}
