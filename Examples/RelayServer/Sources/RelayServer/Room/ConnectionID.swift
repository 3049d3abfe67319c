/// One WebSocket connection, numbered by the server in the order they open.
struct ConnectionID: Sendable, Hashable, Comparable, CustomStringConvertible {
    let rawValue: UInt64

    var description: String { "#\(rawValue)" }

    static func < (lhs: ConnectionID, rhs: ConnectionID) -> Bool { lhs.rawValue < rhs.rawValue }
}
