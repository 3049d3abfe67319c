/// Why the server closes a page's socket, and the WebSocket close code that tells the
/// page whether to come back.
enum CloseReason: Sendable, Equatable {
    /// Refused for good (room full or taken, repeated abuse): 1008, do not retry.
    case refused(String)
    /// A newer connection took the session over (a duplicated tab): 4000, do not retry.
    case replaced
    /// The server is stopping: 1001, reconnect and resume.
    case shuttingDown

    var code: UInt16 {
        switch self {
        case .refused: 1008
        case .replaced: 4000
        case .shuttingDown: 1001
        }
    }

    var text: String {
        switch self {
        case .refused(let why): why
        case .replaced: "replaced by a newer connection"
        case .shuttingDown: "server shutting down"
        }
    }
}
