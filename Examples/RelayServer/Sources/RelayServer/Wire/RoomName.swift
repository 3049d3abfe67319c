/// A validated room id: 1 to 64 characters of `A–Z a–z 0–9 _ -`.
struct RoomName: Sendable, Hashable, Comparable, CustomStringConvertible {
    let rawValue: String

    /// The longest room id accepted.
    static let maxLength = 64

    /// The room id, or nil when `text` is not a valid one.
    init?(_ text: String) {
        guard (1...Self.maxLength).contains(text.utf8.count),
            text.utf8.allSatisfy({ Self.isAllowed($0) })
        else { return nil }
        rawValue = text
    }

    private static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }

    var description: String { rawValue }

    static func < (lhs: RoomName, rhs: RoomName) -> Bool { lhs.rawValue < rhs.rawValue }
}
