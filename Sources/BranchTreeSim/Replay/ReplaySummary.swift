import BranchTree

/// Totals over a replay: what the final `summary` object reports.
///
///     var summary = ReplaySummary()
///     summary.record(try tree.leave("C"))
///     summary.reconnections   // repair links the departure needed
package struct ReplaySummary: Hashable, Sendable {
    /// Operations applied (blank lines are not operations).
    package var operations = 0
    /// Joins that placed a new viewer.
    package var joins = 0
    /// Joins of a viewer already in the tree, which change nothing.
    package var duplicateJoins = 0
    package var leaves = 0
    /// Viewers whose parent changed during repairs.
    package var moves = 0
    /// Links created for viewers already in the tree: repair links, each a new upstream
    /// connection (a joiner's first link is not counted).
    package var reconnections = 0
    /// Viewers whose stream was interrupted, summed over operations.
    package var interruptedViewers = 0
    /// Viewers dropped because no relay slot was left for them.
    package var evicted = 0
    /// One entry per broadcaster restart, in order. A restart counts as an operation but
    /// in none of the join and leave totals above.
    package var restarts: [Restart] = []

    /// One broadcaster restart's figures: how many viewers it kept in place, how many
    /// rejoined, and the peer connections it cost.
    package struct Restart: Hashable, Sendable {
        /// The restart's step (1-based operation number) and input line.
        package var step, line: Int
        package var strategy: RestartStrategy
        package var kept, rejoined, moved, removed, evicted, linksCut, linksCreated: Int

        package init(step: Int, line: Int, outcome: ReplayRestartOutcome) {
            (self.step, self.line, strategy) = (step, line, outcome.strategy)
            (kept, rejoined, moved) = (outcome.kept.count, outcome.rejoined.count, outcome.moves.count)
            (removed, evicted) = (outcome.removed.count, outcome.evicted.count)
            (linksCut, linksCreated) = (outcome.linksCut.count, outcome.linksCreated.count)
        }
    }

    package init() {}

    /// Adds one operation's change.
    package mutating func record(_ change: TreeChange) {
        operations += 1
        switch change.outcome {
        case .joined: joins += 1
        case .alreadyPresent: duplicateJoins += 1
        case .left: leaves += 1
        }
        moves += change.moves.count
        reconnections += change.linksCreated.count { link in
            if case .joined = change.outcome, link.child == change.subject { return false }
            return true
        }
        interruptedViewers += change.interruptedCount
        evicted += change.evicted.count
    }

    /// Adds one restart, read from input line `line`.
    package mutating func record(_ outcome: ReplayRestartOutcome, line: Int) {
        operations += 1
        restarts.append(Restart(step: operations, line: line, outcome: outcome))
    }
}
