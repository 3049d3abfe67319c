/// Which model simulates a scenario: the whole protocol over a simulated network, or the
/// tree alone.
///
///     branchtree-sim run --model tree --audience 1000000   // seconds, not minutes
///
/// The tree model (``TreeSimulation``) drives ``BranchTree`` directly with the same
/// workload: no messages, latencies, timers or failures, and every departure is repaired
/// at once. It reports what the tree's policy costs (interrupted viewers and
/// reconnections per departure, depth, fan-out use) at a fraction of the full model's
/// cost: a first pass over a big grid, before the full model refines the candidates.
package enum SimulationModel: String, Sendable, Hashable, CaseIterable {
    /// The broadcaster's and every viewer's state machine over a simulated network
    /// (``Simulation``).
    case full
    /// The tree alone (``TreeSimulation``).
    case tree
}
