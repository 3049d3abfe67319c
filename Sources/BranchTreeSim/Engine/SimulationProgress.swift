/// How far a running simulation has got, for a progress display.
package struct SimulationProgress: Sendable, Hashable {
    /// Virtual time reached, in seconds.
    package var simulatedSeconds: Double
    /// The scenario's duration in seconds (the run goes on a little past it while the
    /// network settles).
    package var durationSeconds: Double
    /// Events handled so far.
    package var events: Int
    /// Whether the run is settling after the churn (nobody arrives or leaves).
    package var isSettling: Bool
}
