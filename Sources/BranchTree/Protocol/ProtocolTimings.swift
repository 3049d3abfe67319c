/// The waits of the relay protocol. The defaults suit WebRTC over the public internet:
/// a new peer connection takes a few round trips and sometimes 5–15 s, and a viewer that
/// vanishes is only noticed after ICE consent timers (about 5–30 s).
///
///     var timings = ProtocolTimings()
///     timings.joinRetry = .seconds(5)
///
/// Each wait is kept in whole nanoseconds (truncated toward zero, clamped to what 64 bits
/// hold), the resolution of ``Timestamp`` and so of every deadline made from it.
public struct ProtocolTimings: Sendable, Hashable {
    // Stored as nanoseconds: the machines add a wait to the time now on most inputs, and
    // a `Duration` (twice the size) must divide a 128-bit count of attoseconds for that.
    var joinRetryNanoseconds: Int64
    var connectTimeoutNanoseconds: Int64
    var repairTimeoutNanoseconds: Int64
    var restoreWindowNanoseconds: Int64

    /// A viewer re-sends `join` this often until it is placed (the seed: 3 s).
    public var joinRetry: Duration {
        get { .nanoseconds(joinRetryNanoseconds) }
        set { joinRetryNanoseconds = newValue.nanosecondsClamped }
    }
    /// How long a parent waits for a listed child's `request_stream` and for the link to
    /// come up, and how long a child waits for the stream after asking for it, before
    /// the link counts as failed.
    public var connectTimeout: Duration {
        get { .nanoseconds(connectTimeoutNanoseconds) }
        set { connectTimeoutNanoseconds = newValue.nanosecondsClamped }
    }
    /// How long a viewer whose upstream broke waits to be repaired before it joins
    /// again. Longer than the time the tree needs to notice an abrupt departure, so that
    /// a departure does not set off a storm of rejoins.
    public var repairTimeout: Duration {
        get { .nanoseconds(repairTimeoutNanoseconds) }
        set { repairTimeoutNanoseconds = newValue.nanosecondsClamped }
    }
    /// After a restart with ``RestartStrategy/restore``, how long the broadcaster waits
    /// for each saved viewer to confirm with `join` before it removes those that did not.
    public var restoreWindow: Duration {
        get { .nanoseconds(restoreWindowNanoseconds) }
        set { restoreWindowNanoseconds = newValue.nanosecondsClamped }
    }

    /// Makes a set of timings; each default suits WebRTC over the public internet.
    public init(
        joinRetry: Duration = .seconds(3), connectTimeout: Duration = .seconds(15),
        repairTimeout: Duration = .seconds(40), restoreWindow: Duration = .seconds(10)
    ) {
        self.joinRetryNanoseconds = joinRetry.nanosecondsClamped
        self.connectTimeoutNanoseconds = connectTimeout.nanosecondsClamped
        self.repairTimeoutNanoseconds = repairTimeout.nanosecondsClamped
        self.restoreWindowNanoseconds = restoreWindow.nanosecondsClamped
    }
}
