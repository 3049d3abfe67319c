/// The waits of the relay protocol. The defaults suit WebRTC over the public internet:
/// a new peer connection takes a few round trips and sometimes 5–15 s, and a viewer that
/// vanishes is only noticed after ICE consent timers (about 5–30 s).
///
///     var timings = ProtocolTimings()
///     timings.joinRetry = .seconds(5)
public struct ProtocolTimings: Sendable, Hashable {
    /// A viewer re-sends `join` this often until it is placed (the seed: 3 s).
    public var joinRetry: Duration
    /// How long a parent waits for a listed child's `request_stream` and for the link to
    /// come up, and how long a child waits for the stream after asking for it, before
    /// the link counts as failed.
    public var connectTimeout: Duration
    /// How long a viewer whose upstream broke waits to be repaired before it joins
    /// again. Longer than the time the tree needs to notice an abrupt departure, so that
    /// a departure does not set off a storm of rejoins.
    public var repairTimeout: Duration
    /// After a restart with ``RestartStrategy/restore``, how long the broadcaster waits
    /// for each saved viewer to confirm with `join` before it removes those that did not.
    public var restoreWindow: Duration

    /// Makes a set of timings; each default suits WebRTC over the public internet.
    public init(
        joinRetry: Duration = .seconds(3), connectTimeout: Duration = .seconds(15),
        repairTimeout: Duration = .seconds(40), restoreWindow: Duration = .seconds(10)
    ) {
        self.joinRetry = joinRetry
        self.connectTimeout = connectTimeout
        self.repairTimeout = repairTimeout
        self.restoreWindow = restoreWindow
    }
}
