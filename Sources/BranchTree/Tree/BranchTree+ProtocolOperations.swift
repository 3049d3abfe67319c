// Join and leave for the relay protocol's broadcaster: each records into the machine's
// reused recorder, in slots and, when wanted, as the public change, and takes the
// lookup its caller has already done, so that an operation hashes its viewer's id once.

extension BranchTree {
    /// Joins `id`, which is not in the tree (its lookup under `hash`, from
    /// `_IDIndex.hash(id)`, found nothing), as ``join(_:relayable:capacity:)`` does, into
    /// `recorder`, started afresh; when it keeps ids, their change is the public one's.
    ///
    /// - Throws: As ``join(_:relayable:capacity:)``; the tree and `recorder` are then
    ///   unchanged.
    /// - Complexity: O(log n)
    mutating func join(
        absent id: ViewerID, hash: UInt32, relayable: Bool, capacity: Int?, keepingIDs: Bool,
        recordingInto recorder: inout _ProtocolRecorder
    ) throws(BranchTreeError) {
        guard !id.rawValue.isEmpty else { throw .emptyID }
        guard id != broadcaster else { throw .reservedID(id) }
        let capacity = try placeableCapacity(for: id, relayable: relayable, capacity: capacity)
        recorder.start(keepingIDs ? _TreeChangeRecorder(subject: id, outcome: .left) : nil)
        let slot = insert(id, hash: hash, capacity: capacity, recordingInto: &recorder)
        let node = slots[node: Int(slot)]
        recorder.ids?.change.outcome = .joined(parent: viewerID(ofSlot: node.parent), depth: Int(node.depth))
    }

    /// Removes the viewer `id`, found at `found` (from `findSlot(of:hash:)`), as
    /// ``leave(_:)`` does, into `recorder`, started afresh; when it keeps ids, their change
    /// is the public one's.
    /// - Complexity: O(log n + k), where k is the number of interrupted viewers.
    mutating func leave(
        _ id: ViewerID, found: (bucket: Int, slot: Int32), keepingIDs: Bool,
        recordingInto recorder: inout _ProtocolRecorder
    ) {
        recorder.start(keepingIDs ? _TreeChangeRecorder(subject: id, outcome: .left, leaver: found.slot) : nil)
        remove(found, recordingInto: &recorder)
    }
}
