// Viewers that join without an id, for callers that address viewers by slot alone (a
// simulator never reads an id back). Without hashing and indexing ids, an hour of the
// tree model at 10⁶ viewers took about a quarter less CPU time.
//
// Such a viewer still has an id for every public query: `#` and its slot in decimal
// (`#42`), made when asked for and found by parsing it back, never stored or indexed.
// The slot is the viewer's for as long as it stays, so the id is too. Within one tree the
// ids stay distinct: an anonymous join whose `#slot` is already an indexed id gets an
// indexed id of its own instead (see `anonymousJoinID(forSlot:)`).

extension BranchTree {
    /// Joins a viewer that has no id, as ``join(_:relayable:capacity:recordingInto:)``
    /// does, and returns its slot: its handle for ``leave(slot:recordingInto:)``.
    ///
    /// The viewer is placed exactly where a viewer joining by id would be, and the log
    /// lists the same slots. Public queries name it `#` followed by its slot (`#42`), and
    /// ``leave(_:)``, ``contains(_:)`` and the others accept that id.
    ///
    /// - Throws: ``BranchTreeError/invalidCapacity(_:fanout:)``, or
    ///   ``BranchTreeError/noRelaySlot(_:)`` (naming the id the viewer would have had);
    ///   the tree and `log` are then unchanged.
    /// - Complexity: O(log n)
    @discardableResult
    package mutating func join(
        relayable: Bool, capacity: Int?, recordingInto log: inout SlotChangeLog
    ) throws(BranchTreeError) -> Int32 {
        let capacity = try configuration.capacity(relayable: relayable, override: capacity)
        guard hasPlacement(forCapacity: capacity) else {
            throw .noRelaySlot(Self.anonymousID(ofSlot: vacantSlots.last ?? Int32(slots.count)))
        }
        log.removeAll()
        if mayIndexSlotFormIDs, let id = anonymousJoinID(forSlot: vacantSlots.last ?? Int32(slots.count)) {
            return insert(id, hash: _IDIndex.hash(id), capacity: capacity, recordingInto: &log)
        }
        return insert(anonymousWithCapacity: capacity, recordingInto: &log)
    }

    /// The number of viewers that joined without an id and are still in the tree.
    /// - Complexity: O(1)
    package var anonymousCount: Int { anonymousViewers }

    /// The id a viewer that joined without one answers to while it holds `slot`.
    static func anonymousID(ofSlot slot: Int32) -> ViewerID {
        ViewerID("#\(slot)")
    }

    /// The slot whose anonymous id `id` is, when `id` has that form (`#` and a slot in
    /// canonical decimal) and the slot holds a viewer without an id; nil otherwise.
    func anonymousSlot(named id: ViewerID) -> Int32? {
        guard anonymousViewers > 0 else { return nil }
        let utf8 = id.rawValue.utf8
        guard utf8.first == UInt8(ascii: "#"), utf8.count >= 2, utf8.count <= 11 else { return nil }
        var value = 0
        for (offset, byte) in utf8.dropFirst().enumerated() {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), offset > 0 || byte != UInt8(ascii: "0")
            else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        guard value > 0, value < slots.count, !slots[node: value].isVacant, slots[id: value].rawValue.isEmpty
        else { return nil }
        return Int32(value)
    }

    /// The id of the viewer at `slot`: its own, or its anonymous id when it joined without
    /// one. (For a vacant slot: the anonymous form, which names nobody.)
    @inline(__always)
    func viewerID(ofSlot slot: Int32) -> ViewerID {
        Self.viewerID(ofSlot: slot, in: slots)
    }

    /// As ``viewerID(ofSlot:)``, from the slot records alone.
    @inline(__always)
    static func viewerID(ofSlot slot: Int32, in slots: _SlotStorage) -> ViewerID {
        let stored = slots[id: Int(slot)]
        return stored.rawValue.isEmpty ? anonymousID(ofSlot: slot) : stored
    }

    /// The id an anonymous join at `slot` must be given instead of none, because its
    /// anonymous id is already a viewer's: that id followed by as many `'` as make it
    /// new. Nil when the anonymous id is free.
    private func anonymousJoinID(forSlot slot: Int32) -> ViewerID? {
        var id = Self.anonymousID(ofSlot: slot)
        guard contains(id) else { return nil }
        repeat { id = ViewerID(id.rawValue + "'") } while contains(id)
        return id
    }

    /// Takes a slot for a viewer without an id, places it by add-branch and records the
    /// change. Returns the slot.
    private mutating func insert(
        anonymousWithCapacity capacity: Int, recordingInto log: inout SlotChangeLog
    ) -> Int32 {
        if capacity != configuration.fanout { keepsSeedShape = false }
        version &+= 1
        let slot = takeSlot(capacity: capacity)
        anonymousViewers += 1
        guard placeDetachedSubtree(slot, change: &log) != nil else {
            preconditionFailure("hasPlacement(forCapacity:) promised a place")
        }
        _checkInvariants()
        return slot
    }
}
