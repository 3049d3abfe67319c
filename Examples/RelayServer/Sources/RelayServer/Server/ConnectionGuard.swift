/// Per-connection defence against floods and abuse: a token bucket for frames, and a
/// second, slower one for refused frames. A connection that keeps sending what the
/// server refuses is closed.
struct ConnectionGuard: Sendable {
    struct Limits: Sendable, Equatable {
        /// Frames a connection may send per second, on average.
        var framesPerSecond: Double = 50
        /// Frames it may send at once.
        var frameBurst: Double = 200
        /// Refused frames tolerated at once; one more closes the connection.
        var strikeBurst: Double = 20
        /// Refused frames forgiven per second.
        var strikesForgivenPerSecond: Double = 0.5
    }

    enum Verdict: Equatable {
        /// Handle the frame.
        case admit
        /// Drop it; tell the page it is rate-limited (true at most once a second).
        case throttle(notify: Bool)
        /// Close the connection.
        case close
    }

    let limits: Limits
    private var frames: TokenBucket
    private var strikes: TokenBucket
    private var lastNotice: Double = -.infinity

    init(limits: Limits, now: Double) {
        self.limits = limits
        frames = TokenBucket(capacity: limits.frameBurst, perSecond: limits.framesPerSecond, now: now)
        strikes = TokenBucket(capacity: limits.strikeBurst, perSecond: limits.strikesForgivenPerSecond, now: now)
    }

    /// Whether a frame arriving at `now` (seconds) is handled.
    mutating func admit(at now: Double) -> Verdict {
        if frames.take(at: now) { return .admit }
        guard strikes.take(at: now) else { return .close }
        let notify = now - lastNotice >= 1
        if notify { lastNotice = now }
        return .throttle(notify: notify)
    }

    /// Counts refused frames of total `weight`; true when the connection must be closed.
    mutating func strike(weight: Double = 1, at now: Double) -> Bool {
        !strikes.take(weight, at: now)
    }
}

/// `capacity` tokens, refilled at `perSecond`.
struct TokenBucket: Sendable {
    let capacity: Double
    let perSecond: Double
    private var tokens: Double
    private var updated: Double

    init(capacity: Double, perSecond: Double, now: Double) {
        self.capacity = capacity
        self.perSecond = perSecond
        tokens = capacity
        updated = now
    }

    /// Takes `count` tokens if there are that many.
    mutating func take(_ count: Double = 1, at now: Double) -> Bool {
        tokens = min(capacity, tokens + max(0, now - updated) * perSecond)
        updated = max(updated, now)
        guard tokens >= count else { return false }
        tokens -= count
        return true
    }
}
