import BranchTree

/// Issues session ids and the secret tokens that prove a page owns one.
///
/// The server draws them from the system's secure generator; tests pass a seed, so that
/// their sessions are the same on every run. An id is never reused: 64 random bits.
struct SessionIssuer: Sendable {
    private var seeded: Xoshiro256StarStar?

    /// Draws from the system's generator.
    init() {}

    /// Draws from a seeded generator (tests).
    init(seed: UInt64) {
        seeded = Xoshiro256StarStar(seed: seed)
    }

    /// A new session: `v-` and 16 hex digits, and a 32-hex-digit token.
    mutating func issue() -> SessionCredentials {
        SessionCredentials(id: ViewerID("v-" + hex(next())), token: token())
    }

    /// A new 32-hex-digit secret.
    mutating func token() -> String {
        hex(next()) + hex(next())
    }

    private mutating func next() -> UInt64 {
        if seeded != nil { return seeded!.next() }
        var system = SystemRandomNumberGenerator()
        return system.next()
    }

    private func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
