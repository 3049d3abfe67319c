import _BranchTreePrefetch

/// A tree's per-slot records: each slot's `_Node`, id, link epoch and join rank side by side in one
/// 64-byte record that starts on a 64-byte boundary, so one cache line holds all three.
///
/// At 10⁶ viewers every operation waits on memory. Kept in three Swift arrays, a viewer's
/// node, id and epoch were three cache lines, and half of the 32-byte nodes straddled two
/// (a large array's elements start 48 bytes past a line boundary). A leave and
/// `branchData(for:)` read all three for several viewers. Here they cost one line each.
///
/// Fields are read and written through addressors, in place: reading a node's parent
/// loads four bytes, not the record, and reading an id retains its string without
/// copying anything else. The record is `_Node` at offset 0, the id at 32, the epoch at
/// 48 and the join rank (the ``Policy/stable`` policy's measure of age) at 56.
///
/// A value type: copies share one buffer until one of them writes, which copies it
/// first (`isKnownUniquelyReferenced`), as `Array` does.
struct _SlotStorage: Sendable {
    /// The bytes of one record, and the alignment of every record.
    static var recordSize: Int { 64 }
    static var idOffset: Int { MemoryLayout<_Node>.size }
    static var epochOffset: Int { idOffset + MemoryLayout<ViewerID>.size }
    static var joinRankOffset: Int { epochOffset + MemoryLayout<UInt64>.size }

    private var buffer: Buffer

    /// Makes empty storage with room for `minimumCapacity` records.
    init(minimumCapacity: Int = 16) {
        precondition(
            Self.idOffset % MemoryLayout<ViewerID>.alignment == 0
                && Self.joinRankOffset + MemoryLayout<UInt64>.size <= Self.recordSize,
            "a slot's fields do not fit its record")
        buffer = Buffer(capacity: Swift.max(minimumCapacity, 1))
    }

    /// The number of records.
    var count: Int { buffer.count }

    /// Slot `slot`'s node.
    subscript(node slot: Int) -> _Node {
        @inline(__always) unsafeAddress { UnsafePointer(buffer.field(_Node.self, at: 0, of: slot)) }
        @inline(__always) unsafeMutableAddress {
            makeUnique()
            return buffer.field(_Node.self, at: 0, of: slot)
        }
    }

    /// Slot `slot`'s id (empty for a vacant slot).
    subscript(id slot: Int) -> ViewerID {
        @inline(__always) unsafeAddress { UnsafePointer(buffer.field(ViewerID.self, at: Self.idOffset, of: slot)) }
        @inline(__always) unsafeMutableAddress {
            makeUnique()
            return buffer.field(ViewerID.self, at: Self.idOffset, of: slot)
        }
    }

    /// Slot `slot`'s link epoch: the tree's version when its upstream link was made.
    subscript(epoch slot: Int) -> UInt64 {
        @inline(__always) unsafeAddress { UnsafePointer(buffer.field(UInt64.self, at: Self.epochOffset, of: slot)) }
        @inline(__always) unsafeMutableAddress {
            makeUnique()
            return buffer.field(UInt64.self, at: Self.epochOffset, of: slot)
        }
    }

    /// Slot `slot`'s join rank: smaller for a viewer that joined earlier (kept only by
    /// trees that order viewers by age; 0 otherwise).
    subscript(joinRank slot: Int) -> UInt64 {
        @inline(__always) unsafeAddress { UnsafePointer(buffer.field(UInt64.self, at: Self.joinRankOffset, of: slot)) }
        @inline(__always) unsafeMutableAddress {
            makeUnique()
            return buffer.field(UInt64.self, at: Self.joinRankOffset, of: slot)
        }
    }

    /// Adds a record at the end.
    /// - Complexity: O(1) amortized (the buffer doubles when full).
    mutating func append(_ node: _Node, id: ViewerID, linkEpoch: UInt64) {
        let count = buffer.count
        if count == buffer.capacity {
            let unique = isKnownUniquelyReferenced(&buffer)
            buffer = buffer.resized(to: count * 2, moving: unique)
        } else {
            makeUnique()
        }
        buffer.initializeRecord(count, node: node, id: id, linkEpoch: linkEpoch, joinRank: 0)
        buffer.count = count + 1
    }

    /// The nodes and epochs, writable without a uniqueness check per write: for code
    /// that writes several fields in a row (a heap's sift, a level list's relinking),
    /// which would otherwise check once per write.
    ///
    /// Makes the buffer unique first. The view is valid only while the caller holds this
    /// storage exclusively (an `inout` parameter, or `self` in a mutating method) and
    /// neither appends to it nor copies it: it must not outlive that access.
    @inline(__always)
    mutating func uniqueRecords() -> UniqueRecords {
        makeUnique()
        return UniqueRecords(records: buffer.records, count: buffer.count)
    }

    /// Starts loading record `slot` (if any) into the cache: a hint, never a fault.
    @inline(__always)
    func prefetch(_ slot: Int) {
        guard UInt(bitPattern: slot) < UInt(bitPattern: buffer.count) else { return }
        _branchtree_prefetch(buffer.records + slot &* Self.recordSize)
    }

    /// Gives this value a buffer of its own before it writes.
    @inline(__always)
    private mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&buffer) {
            buffer = buffer.resized(to: buffer.capacity, moving: false)
        }
    }
}

extension _SlotStorage {
    /// Field `offset` of record `slot` among `count` records from `records`, as a `T`.
    @inline(__always)
    fileprivate static func field<T>(
        _: T.Type, at offset: Int, of slot: Int, in records: UnsafeMutableRawPointer, count: Int
    ) -> UnsafeMutablePointer<T> {
        precondition(UInt(bitPattern: slot) < UInt(bitPattern: count), "slot out of range")
        return (records + (slot &* recordSize &+ offset)).assumingMemoryBound(to: T.self)
    }

    /// The nodes and epochs of a uniquely held buffer (see
    /// ``_SlotStorage/uniqueRecords()``).
    struct UniqueRecords {
        fileprivate let records: UnsafeMutableRawPointer
        fileprivate let count: Int

        subscript(node slot: Int) -> _Node {
            @inline(__always) unsafeAddress {
                UnsafePointer(_SlotStorage.field(_Node.self, at: 0, of: slot, in: records, count: count))
            }
            @inline(__always) nonmutating unsafeMutableAddress {
                _SlotStorage.field(_Node.self, at: 0, of: slot, in: records, count: count)
            }
        }

        subscript(epoch slot: Int) -> UInt64 {
            @inline(__always) unsafeAddress {
                UnsafePointer(_SlotStorage.field(UInt64.self, at: epochOffset, of: slot, in: records, count: count))
            }
            @inline(__always) nonmutating unsafeMutableAddress {
                _SlotStorage.field(UInt64.self, at: epochOffset, of: slot, in: records, count: count)
            }
        }
    }

    /// The records' memory, allocated 64-byte aligned. Initialized records are
    /// `0..<count`; each one's fields are bound to their types.
    ///
    /// `@unchecked Sendable`: a buffer is written only through a `_SlotStorage` that
    /// holds the sole reference to it, so a buffer two values (or threads) can see is
    /// never written.
    private final class Buffer: @unchecked Sendable {
        let records: UnsafeMutableRawPointer
        let capacity: Int
        var count = 0

        init(capacity: Int) {
            records = .allocate(byteCount: capacity * _SlotStorage.recordSize, alignment: _SlotStorage.recordSize)
            // Before any record is written: at 10⁶ viewers every operation reads records at
            // random, and on small pages nearly every read also missed the TLB.
            HugePageAdvice.advise(records, byteCount: capacity * _SlotStorage.recordSize)
            self.capacity = capacity
        }

        deinit {
            for slot in 0..<count { field(ViewerID.self, at: _SlotStorage.idOffset, of: slot).deinitialize(count: 1) }
            records.deallocate()
        }

        /// Field `offset` of initialized record `slot`.
        @inline(__always)
        func field<T>(_ type: T.Type, at offset: Int, of slot: Int) -> UnsafeMutablePointer<T> {
            _SlotStorage.field(type, at: offset, of: slot, in: records, count: count)
        }

        /// Initializes record `slot`, which must not be initialized yet (it binds the
        /// record's fields to their types).
        func initializeRecord(_ slot: Int, node: _Node, id: ViewerID, linkEpoch: UInt64, joinRank: UInt64) {
            let record = records + slot * _SlotStorage.recordSize
            record.initializeMemory(as: _Node.self, repeating: node, count: 1)
            (record + _SlotStorage.idOffset).initializeMemory(as: ViewerID.self, repeating: id, count: 1)
            (record + _SlotStorage.epochOffset).initializeMemory(as: UInt64.self, repeating: linkEpoch, count: 1)
            (record + _SlotStorage.joinRankOffset).initializeMemory(as: UInt64.self, repeating: joinRank, count: 1)
        }

        /// A buffer of `capacity` records holding this one's: moved out of this one when
        /// `moving` (which then holds none), copied otherwise.
        /// - Complexity: O(`count`)
        func resized(to capacity: Int, moving: Bool) -> Buffer {
            let new = Buffer(capacity: capacity)
            for slot in 0..<count {
                let id = field(ViewerID.self, at: _SlotStorage.idOffset, of: slot)
                new.initializeRecord(
                    slot, node: field(_Node.self, at: 0, of: slot).pointee, id: moving ? id.move() : id.pointee,
                    linkEpoch: field(UInt64.self, at: _SlotStorage.epochOffset, of: slot).pointee,
                    joinRank: field(UInt64.self, at: _SlotStorage.joinRankOffset, of: slot).pointee)
            }
            new.count = count
            if moving { count = 0 }
            return new
        }
    }
}
