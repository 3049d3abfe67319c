/// A point in time as the caller measures it, in nanoseconds since an origin the caller
/// chooses.
///
/// The protocol state machines never read a clock: every input comes with the current
/// time, and timers come out as deadlines. The simulator passes virtual time; a server
/// passes its clock. Across a broadcaster restart the origin must stay the same (wall
/// clock time since the Unix epoch does), because a restarted broadcaster numbers its
/// links from the restart time on; and every machine of a broadcast takes the same
/// clock, because a viewer refuses a link epoch above the time now as not issued yet.
///
///     let start = Timestamp.zero
///     let deadline = start + .seconds(3)
///     // deadline.nanoseconds == 3_000_000_000
public struct Timestamp: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Nanoseconds since the caller's origin.
    public var nanoseconds: Int64

    /// The origin.
    // Computed rather than a stored `static let`, whose every read outside this module
    // goes through the global's lazy-initialisation accessor.
    public static var zero: Timestamp { Timestamp(nanoseconds: 0) }

    /// The time `nanoseconds` after the origin.
    public init(nanoseconds: Int64) {
        self.nanoseconds = nanoseconds
    }

    /// The time `seconds` after the origin.
    public static func seconds(_ seconds: Double) -> Timestamp {
        Timestamp(nanoseconds: Int64((seconds * 1e9).rounded()))
    }

    /// Seconds since the origin.
    public var seconds: Double { Double(nanoseconds) / 1e9 }

    /// Whether `lhs` is earlier than `rhs`.
    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    /// The time `duration` later, saturating at the ends of the representable range
    /// (a huge timeout never wraps into the past).
    public static func + (lhs: Timestamp, rhs: Duration) -> Timestamp {
        lhs.adding(nanoseconds: rhs.nanosecondsClamped)
    }

    /// The time `nanoseconds` later, saturating like `+`: the machines' deadlines, from
    /// waits they keep in nanoseconds.
    @inline(__always)
    func adding(nanoseconds: Int64) -> Timestamp {
        let (sum, overflow) = self.nanoseconds.addingReportingOverflow(nanoseconds)
        guard overflow else { return Timestamp(nanoseconds: sum) }
        return Timestamp(nanoseconds: nanoseconds < 0 ? .min : .max)
    }

    /// The time from `rhs` to `lhs`.
    public static func - (lhs: Timestamp, rhs: Timestamp) -> Duration {
        .nanoseconds(lhs.nanoseconds &- rhs.nanoseconds)
    }

    /// Seconds since the origin, such as `3.0 s`.
    public var description: String { "\(seconds) s" }
}

extension Duration {
    // `components` divides a 128-bit count of attoseconds in software: the simulator
    // converts durations millions of times, so each conversion does it at most once.

    /// The duration in seconds.
    package var secondsDouble: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// The duration in whole nanoseconds (truncated toward zero), clamped to the range
    /// of `Int64`.
    package var nanosecondsClamped: Int64 {
        if #available(macOS 26.0, iOS 26.0, watchOS 26.0, tvOS 26.0, visionOS 26.0, *) {
            // One native 128-bit division; the same value as the computation below.
            return Int64(clamping: attoseconds / 1_000_000_000)
        }
        return nanosecondsClampedFromComponents
    }

    /// ``nanosecondsClamped`` from `components`, where `attoseconds` is not available.
    package var nanosecondsClampedFromComponents: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        let (total, overflow2) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000)
        if overflow2 { return seconds < 0 ? .min : .max }
        return total
    }
}
