import BranchTree

/// A `restart` line of a replay log: the broadcaster restarts within the same broadcast.
///
///     {"op":"restart"}                                      → strategy from --restart-strategy
///     {"op":"restart","strategy":"reconnect-all"}           → this line's strategy
///     {"op":"restart","missing":["X","Y"]}                  → X and Y do not come back
///
/// The save the broadcaster restarts from is the tree as it is when the line is read.
/// Every viewer of it except the `missing` ones answers the restarted broadcaster; the
/// missing ones closed their page while it was down. ``ReplaySession`` plays this through
/// a real ``BroadcasterStateMachine``.
package struct ReplayRestart: Hashable, Sendable {
    /// The line's own strategy, or nil for the replay's default (`--restart-strategy`).
    package var strategy: RestartStrategy?
    /// Viewers that do not answer the restarted broadcaster, in the line's order, each
    /// once.
    package var missing: [ViewerID]

    package init(strategy: RestartStrategy? = nil, missing: [ViewerID] = []) {
        self.strategy = strategy
        self.missing = missing
    }
}
