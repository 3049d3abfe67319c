/// The tree's index from viewer id to slot: open addressing with linear probing over
/// 8-byte entries, each the id's 32-bit hash above its slot.
///
/// It replaces a `Dictionary<ViewerID, Int32>`, which at 10⁶ viewers cost two or three
/// cache misses per lookup (bitmap, key, value in three arrays) and re-hashed the
/// strings of a whole probe run on every removal. Here an operation hashes its id once,
/// a lookup reads one entry (eight to a cache line) and then the slot's own id, which
/// the caller reads anyway; a removal shifts later entries back by their stored hashes.
/// The index holds no ids: callers pass the tree's slot records, whose ids it compares.
///
/// Hashes come from `Hasher` (seeded per process, so crafted ids cannot force
/// collisions); only the table's layout depends on them, never an order anyone sees.
struct _IDIndex {
    /// Power-of-two table; 0 is an empty entry (slot 0, the broadcaster, is never
    /// indexed), otherwise `hash << 32 | slot`.
    private(set) var entries: [UInt64]
    private(set) var count = 0

    /// The number of entries at which the table doubles: three quarters full.
    private var growthThreshold: Int

    init() {
        entries = Array(repeating: 0, count: 16)
        growthThreshold = 12
    }

    /// The hash every operation on `id` uses.
    @inline(__always)
    static func hash(_ id: ViewerID) -> UInt32 {
        UInt32(truncatingIfNeeded: id.hashValue)
    }

    @inline(__always)
    private var mask: Int { entries.count &- 1 }

    @inline(__always)
    private static func entry(hash: UInt32, slot: Int32) -> UInt64 {
        UInt64(hash) << 32 | UInt64(UInt32(bitPattern: slot))
    }

    /// Where `id` sits in the table and its slot, or nil when it is not indexed.
    /// - Complexity: O(1) expected.
    @inline(__always)
    func find(_ id: ViewerID, hash: UInt32, in slots: _SlotStorage) -> (bucket: Int, slot: Int32)? {
        var bucket = Int(hash) & mask
        while true {
            let entry = entries[bucket]
            if entry == 0 { return nil }
            if UInt32(truncatingIfNeeded: entry >> 32) == hash {
                let slot = Int32(truncatingIfNeeded: entry)
                if slots[id: Int(slot)] == id { return (bucket, slot) }
            }
            bucket = (bucket &+ 1) & mask
        }
    }

    /// Indexes `slot` under `hash`; its id must not be indexed yet.
    /// - Complexity: O(1) expected, amortized.
    mutating func insert(slot: Int32, hash: UInt32) {
        if count >= growthThreshold { grow() }
        place(Self.entry(hash: hash, slot: slot))
        count += 1
    }

    /// Removes the entry at `bucket` (from ``find(_:hash:in:)``), moving later entries
    /// of its probe run back so that no lookup stops short of them.
    /// - Complexity: O(1) expected.
    mutating func remove(at bucket: Int) {
        let mask = self.mask
        var hole = bucket
        var next = (hole &+ 1) & mask
        while true {
            let entry = entries[next]
            if entry == 0 { break }
            let home = Int(entry >> 32) & mask
            // The entry may move into the hole when its home is not in (hole, next].
            if (next &- home) & mask >= (next &- hole) & mask {
                entries[hole] = entry
                hole = next
            }
            next = (next &+ 1) & mask
        }
        entries[hole] = 0
        count -= 1
    }

    /// Removes `id`, when it is indexed.
    mutating func remove(_ id: ViewerID, in slots: _SlotStorage) {
        if let found = find(id, hash: Self.hash(id), in: slots) { remove(at: found.bucket) }
    }

    private mutating func place(_ entry: UInt64) {
        var bucket = Int(entry >> 32) & mask
        while entries[bucket] != 0 { bucket = (bucket &+ 1) & mask }
        entries[bucket] = entry
    }

    private mutating func grow() {
        let old = entries
        entries = Array(repeating: 0, count: old.count * 2)
        growthThreshold = entries.count / 4 * 3
        for entry in old where entry != 0 { place(entry) }
    }

    /// Checks that every entry is reachable from its home bucket and names a slot whose
    /// id has the entry's hash (`hashes[slot]`, or else the id's own); `nil` when all is
    /// well.
    func check(slots: _SlotStorage, hashes: [UInt32]? = nil) -> String? {
        var live = 0
        for (bucket, entry) in entries.enumerated() where entry != 0 {
            live += 1
            let slot = Int(Int32(truncatingIfNeeded: entry))
            guard slot > 0, slot < slots.count,
                (hashes?[slot] ?? Self.hash(slots[id: slot])) == UInt32(truncatingIfNeeded: entry >> 32)
            else {
                return "the id index has a stale entry in bucket \(bucket)"
            }
            var probe = Int(entry >> 32) & mask
            while probe != bucket {
                if entries[probe] == 0 { return "the id index cannot reach \"\(slots[id: slot])\"" }
                probe = (probe &+ 1) & mask
            }
        }
        return live == count ? nil : "the id index counts \(count) entries but holds \(live)"
    }
}

/// Read-only id → slot lookups over a tree's index, for code outside the hot paths
/// (the protocol, snapshots, the validator and tests); setting an id to nil drops it.
struct _SlotLookup {
    var index: _IDIndex
    let slots: _SlotStorage

    subscript(id: ViewerID) -> Int32? {
        get { index.find(id, hash: _IDIndex.hash(id), in: slots)?.slot }
        set {
            precondition(newValue == nil, "slots are indexed by allocateSlot(for:capacity:)")
            index.remove(id, in: slots)
        }
    }

    var count: Int { index.count }
    var isEmpty: Bool { index.count == 0 }
}
