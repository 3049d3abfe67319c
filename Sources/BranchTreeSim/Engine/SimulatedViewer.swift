import BranchTree

/// One viewer slot of the simulation: the session it holds, the physical state of the
/// viewer's upstream link, and what the viewer has experienced (for the report). Its
/// protocol machine is kept apart, in `Simulation.machines`.
///
/// Slots are reused; `generation` tells the sessions that used a slot apart, and is part
/// of the session's id, so a message or link event for an earlier session never reaches
/// a later one.
///
/// The fields are in the order the hot paths read them: every event checks `generation`
/// and `isPresent`, and `setDark` reads only the fields up to `darkSince`, which share a
/// cache line with the first ones.
struct SimulatedViewer: Sendable {
    /// The physical link from the parent.
    enum Upstream: Sendable, Hashable {
        /// No link.
        case none
        /// Being set up with this parent (by its `openDownstream`).
        case opening(from: SimulatedNode)
        /// Up: media can flow from this parent.
        case up(from: SimulatedNode)
    }

    var generation: UInt32
    /// Whether the session is under way.
    var isPresent = true
    /// Whether the slot is back on the free list (only once: a join still in flight can
    /// put a departed viewer back in the tree, and its second removal must not free the
    /// slot again).
    var isReleased = false
    /// Whether media reaches the viewer now (an up path of links from the broadcaster).
    var receiving = false
    var upstream: Upstream = .none
    /// How many times the stream stopped after the first frame.
    var interruptions: Int32 = 0
    /// The pending repair this viewer's reconnection belongs to (see `RepairTracker`).
    var repair: Int32 = -1
    /// When it last stopped receiving (after its first frame), for dark-time accounting.
    var darkSince: Timestamp?
    /// Seconds without media after the first frame.
    var darkSeconds: Double = 0
    var arrival: Timestamp
    /// When it first received media.
    var firstFrame: Timestamp?
    /// When the session ended.
    var leftAt: Timestamp?

    init(generation: UInt32, arrival: Timestamp) {
        self.generation = generation
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
    /// Written digit by digit into a 15-byte buffer (at most `v` + 6 + `.` + 7 digits):
    /// ids are made on every message, and `String(_:radix:)` with concatenation cost
    /// several times as much.
    static func id(slot: Int32, generation: UInt32) -> ViewerID {
        precondition(slot >= 0, "slots are not negative")
        var bytes: (UInt64, UInt64) = (0, 0)
        let text = withUnsafeMutableBytes(of: &bytes) { buffer -> String in
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
            return String(decoding: UnsafeRawBufferPointer(rebasing: buffer[..<end]), as: UTF8.self)
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
        return viewerNode(inUTF8: Array(id.rawValue.utf8))
    }

    private static func viewerNode<Bytes: Collection<UInt8>>(inUTF8 bytes: Bytes) -> SimulatedNode? {
        guard bytes.first == UInt8(ascii: "v"), let dot = bytes.firstIndex(of: UInt8(ascii: ".")),
            let slot = base36(bytes[bytes.index(after: bytes.startIndex)..<dot], atMost: UInt64(Int32.max)),
            let generation = base36(bytes[bytes.index(after: dot)...], atMost: UInt64(UInt32.max))
        else { return nil }
        return .viewer(slot: Int32(slot), generation: UInt32(generation))
    }

    /// The number that one or more lowercase base-36 digits write, if it is at most `limit`.
    private static func base36<Digits: Collection<UInt8>>(_ digits: Digits, atMost limit: UInt64) -> UInt64? {
        guard !digits.isEmpty else { return nil }
        var value: UInt64 = 0
        for byte in digits {
            let digit: UInt64
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt64(byte &- UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): digit = UInt64(byte &- UInt8(ascii: "a")) &+ 10
            default: return nil
            }
            value = value &* 36 &+ digit
            guard value <= limit else { return nil }
        }
        return value
    }
}
