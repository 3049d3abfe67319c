// Join and leave for the relay protocol's broadcaster: each returns the public change
// and also logs it in slot numbers, and takes the lookup its caller has already done,
// so that an operation hashes its viewer's id once.

extension BranchTree {
    /// Joins `id`, which is not in the tree (its lookup under `hash`, from
    /// `_IDIndex.hash(id)`, found nothing), as ``join(_:relayable:capacity:)`` does; `log`
    /// is emptied and then lists the change in slots.
    ///
    /// - Throws: As ``join(_:relayable:capacity:)``; the tree and `log` are then unchanged.
    /// - Complexity: O(log n)
    mutating func join(
        absent id: ViewerID, hash: UInt32, relayable: Bool, capacity: Int?, loggingInto log: inout SlotChangeLog
    ) throws(BranchTreeError) -> TreeChange {
        guard !id.rawValue.isEmpty else { throw .emptyID }
        guard id != broadcaster else { throw .reservedID(id) }
        let capacity = try configuration.capacity(relayable: relayable, override: capacity)
        guard hasPlacement(forCapacity: capacity) else { throw .noRelaySlot(id) }
        var recorder = _PairedRecorder(ids: _TreeChangeRecorder(subject: id, outcome: .left), log: SlotChangeLog())
        swap(&recorder.log, &log)
        recorder.log.removeAll()
        let slot = insert(id, hash: hash, capacity: capacity, recordingInto: &recorder)
        swap(&recorder.log, &log)
        let node = slots[node: Int(slot)]
        recorder.ids.change.outcome = .joined(parent: viewerID(ofSlot: node.parent), depth: Int(node.depth))
        return recorder.ids.change
    }

    /// Removes the viewer `id`, found at `found` (from `findSlot(of:hash:)`), as
    /// ``leave(_:)`` does; `log` is emptied and then lists the change in slots.
    /// - Complexity: O(log n + k), where k is the number of interrupted viewers.
    mutating func leave(
        _ id: ViewerID, found: (bucket: Int, slot: Int32), loggingInto log: inout SlotChangeLog
    ) -> TreeChange {
        if found.bucket < 0 { anonymousViewers -= 1 } else { idIndex.remove(at: found.bucket) }
        var recorder = _PairedRecorder(
            ids: _TreeChangeRecorder(subject: id, outcome: .left, leaver: found.slot), log: SlotChangeLog())
        swap(&recorder.log, &log)
        recorder.log.removeAll()
        repair(afterRemoving: found.slot, recordingInto: &recorder)
        swap(&recorder.log, &log)
        return recorder.ids.change
    }
}
