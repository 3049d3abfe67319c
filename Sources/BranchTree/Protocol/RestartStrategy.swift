/// How a restarted broadcaster brings its audience back.
public enum RestartStrategy: String, Sendable, Hashable, Codable, CaseIterable {
    /// The seed's way: send `reconnect_root` to every saved viewer, start from an empty
    /// tree and rebuild it from their joins. Every viewer reconnects.
    case reconnectAll = "reconnect-all"
    /// Reload the saved tree: the first viewers are re-fed at once, every other viewer
    /// keeps its links and confirms its place with `join`; only the viewers that do not
    /// answer within ``ProtocolTimings/restoreWindow`` are removed (and must rejoin).
    /// Far fewer reconnections.
    case restore
}
