import BranchTree

/// One viewer slot of the simulation: the session it holds, the physical state of the
/// viewer's upstream link, and what the viewer has experienced (for the report). What
/// every event reads first is kept apart, in `Simulation.presence` (see
/// ``ViewerPresence``), and so is its protocol machine, in `Simulation.machines`.
///
/// Slots are reused; the slot's ``ViewerPresence/generation`` tells the sessions that
/// used a slot apart, and is part of the session's id, so a message or link event for an
/// earlier session never reaches a later one.
///
/// 80 bytes: the counters first, then the upstream link, then the times, each optional
/// time in 8 bytes (``PackedTimestamp``; as an optional it took 16, and the record 112
/// bytes). The fields the subtree walks write (`interruptions`, `repair`,
/// `darkSince`) come before those only the report reads.
struct SimulatedViewer: Sendable {
    /// The physical link from the parent.
    enum Upstream: Sendable, Hashable {
        /// No link.
        case none
        /// Being set up with this parent (by its `openDownstream`), up at `due` unless it
        /// fails: the set-up's time names the attempt, apart from earlier ones between
        /// the same two that were closed before they were up.
        case opening(from: SimulatedNode, due: Timestamp)
        /// Up: media can flow from this parent.
        case up(from: SimulatedNode)
    }

    /// How many times the stream stopped after the first frame.
    var interruptions: Int32 = 0
    /// The pending repair this viewer's reconnection belongs to (see `RepairTracker`).
    var repair: Int32 = -1
    /// The tree's index hash of the session's id (`BranchTree.indexHash(of:)`), made once
    /// at arrival and handed to the broadcaster with the viewer's messages and
    /// departures, so that it does not hash the id on each.
    var idHash: UInt32 = 0
    /// Whether the slot is back on the free list (only once: a join still in flight can
    /// put a departed viewer back in the tree, and its second removal must not free the
    /// slot again).
    var isReleased = false
    var upstream: Upstream = .none
    /// When it last stopped receiving (after its first frame), for dark-time accounting.
    @PackedTimestamp var darkSince: Timestamp? = nil
    /// Seconds without media after the first frame.
    var darkSeconds: Double = 0
    var arrival: Timestamp
    /// When it first received media.
    @PackedTimestamp var firstFrame: Timestamp? = nil
    /// When the session ended.
    @PackedTimestamp var leftAt: Timestamp? = nil

    /// Whether the session is under way: until it ends.
    var isPresent: Bool { leftAt == nil }

    init(arrival: Timestamp) {
        self.arrival = arrival
    }
}

/// A node of the simulated network: the broadcaster, or a viewer slot in one generation.
enum SimulatedNode: Sendable, Hashable {
    case broadcaster
    case viewer(slot: Int32, generation: UInt32)

    /// The session id of a viewer: `v<slot>.<generation>` in base 36, short enough to be
    /// stored inline in a Swift string (no allocation), and decodable back.
    ///
    /// Written digit by digit into the string's own 15 bytes (at most `v` + 6 + `.` + 7
    /// digits, stored inline): `String(_:radix:)` with concatenation cost several times as
    /// much, and `String(decoding:as:)` from a buffer twice as much.
    static func id(slot: Int32, generation: UInt32) -> ViewerID {
        precondition(slot >= 0, "slots are not negative")
        let text = String(unsafeUninitializedCapacity: 15) { buffer in
            var end = 0
            func write(_ byte: UInt8) {
                buffer[end] = byte
                end += 1
            }
            func writeBase36(_ value: UInt32) {
                var divisor: UInt32 = 1
                while value / divisor >= 36 { divisor *= 36 }
                while divisor > 0 {
                    let digit = UInt8(value / divisor % 36)
                    write(digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10)
                    divisor /= 36
                }
            }
            write(UInt8(ascii: "v"))
            writeBase36(UInt32(slot))
            write(UInt8(ascii: "."))
            writeBase36(generation)
            return end
        }
        return ViewerID(text)
    }

    /// The node an id names; nil for an id that is neither the broadcaster's nor a
    /// simulated viewer's (`v`, then slot and generation in lowercase base 36, as
    /// ``id(slot:generation:)`` writes them).
    ///
    /// Runs on every delivery, so it reads the bytes once, with no substring and no
    /// general-purpose number parsing, and compares with the broadcaster's id only when
    /// `id` is not a viewer's: the simulation's broadcaster is `root`, never of that form.
    static func node(for id: ViewerID, broadcaster: ViewerID) -> SimulatedNode? {
        if let viewer = viewerNode(for: id) { return viewer }
        return id == broadcaster ? .broadcaster : nil
    }

    /// The viewer an id of the form ``id(slot:generation:)`` writes names.
    private static func viewerNode(for id: ViewerID) -> SimulatedNode? {
        if let parsed = id.rawValue.utf8.withContiguousStorageIfAvailable(viewerNode(inUTF8:)) { return parsed }
        return Array(id.rawValue.utf8).withUnsafeBufferPointer(viewerNode(inUTF8:))
    }

    /// `v`, one or more base-36 digits of the slot, `.`, one or more of the generation:
    /// read in one pass, each number checked against its limit after every digit.
    private static func viewerNode(inUTF8 bytes: UnsafeBufferPointer<UInt8>) -> SimulatedNode? {
        guard bytes.count >= 4, bytes[0] == UInt8(ascii: "v") else { return nil }
        var slot: UInt64 = 0
        var index = 1
        while index < bytes.count, bytes[index] != UInt8(ascii: ".") {
            guard let digit = base36Digit(bytes[index]) else { return nil }
            slot = slot &* 36 &+ digit
            guard slot <= UInt64(Int32.max) else { return nil }
            index += 1
        }
        // At least one digit before the dot, and at least one after it.
        guard index > 1, index + 1 < bytes.count else { return nil }
        var generation: UInt64 = 0
        for byte in bytes[(index + 1)...] {
            guard let digit = base36Digit(byte) else { return nil }
            generation = generation &* 36 &+ digit
            guard generation <= UInt64(UInt32.max) else { return nil }
        }
        return .viewer(slot: Int32(slot), generation: UInt32(generation))
    }

    /// The value of a lowercase base-36 digit.
    @inline(__always)
    private static func base36Digit(_ byte: UInt8) -> UInt64? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt64(byte &- UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "z"): UInt64(byte &- UInt8(ascii: "a")) &+ 10
        default: nil
        }
    }
}
