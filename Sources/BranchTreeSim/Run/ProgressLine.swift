/// The progress of a long run as one line on a terminal, rewritten in place:
///
///     simulated 12:00 / 1:00:00 · 812,345 events · 1.2 M events/s
///
/// ``update(simulatedSeconds:events:now:)`` returns the bytes to write to standard error,
/// at most ``updatesPerSecond`` times a wall second (a redraw costs far more than an
/// event); ``finish()`` returns the bytes that clear the line. The caller decides whether
/// to show progress at all (``isShown(on:)``), and the clock is passed in, so the line
/// never reads time itself and never touches the report.
package struct ProgressLine {
    /// Redraws per wall second, at most.
    package static let updatesPerSecond = 4
    /// Carriage return, then erase to the end of the line.
    static let clear = "\r\u{1B}[K"

    /// The simulated time the run ends at, seconds.
    package let totalSeconds: Double
    private let started: ContinuousClock.Instant
    private var lastDrawn: ContinuousClock.Instant?

    /// A line for a run of `totalSeconds` simulated seconds that started at `started`.
    package init(totalSeconds: Double, started: ContinuousClock.Instant) {
        self.totalSeconds = totalSeconds
        self.started = started
    }

    /// The bytes that redraw the line, or nil when the last redraw is too recent.
    ///
    /// - Complexity: O(1)
    package mutating func update(simulatedSeconds: Double, events: Int, now: ContinuousClock.Instant) -> String? {
        if let lastDrawn, now - lastDrawn < .milliseconds(1_000 / Self.updatesPerSecond) { return nil }
        lastDrawn = now
        let wall = (now - started).secondsDouble
        let rate = wall > 0 ? Double(events) / wall : 0
        return Self.clear
            + Self.text(
                simulatedSeconds: simulatedSeconds, totalSeconds: totalSeconds, events: events, eventsPerSecond: rate)
    }

    /// The bytes that erase the line if it was drawn, else nothing.
    package func finish() -> String {
        lastDrawn == nil ? "" : Self.clear
    }

    /// `simulated 12:00 / 1:00:00 · 812,345 events · 1.2 M events/s`.
    ///
    /// - Complexity: O(1)
    package static func text(simulatedSeconds: Double, totalSeconds: Double, events: Int, eventsPerSecond: Double)
        -> String
    {
        "simulated \(NumberFormat.clock(min(simulatedSeconds, totalSeconds))) / \(NumberFormat.clock(totalSeconds)) · "
            + "\(NumberFormat.decimal(events, exponent: 0)) events · \(rate(eventsPerSecond)) events/s"
    }

    /// `950`, `12.3 k`, `1.2 M`.
    static func rate(_ perSecond: Double) -> String {
        guard perSecond.isFinite, perSecond >= 0 else { return "0" }
        if perSecond >= 1e6 { return NumberFormat.trimmed(perSecond / 1e6, decimals: 1) + " M" }
        if perSecond >= 1e4 { return NumberFormat.trimmed(perSecond / 1e3, decimals: 1) + " k" }
        return NumberFormat.trimmed(perSecond, decimals: 0)
    }
}
