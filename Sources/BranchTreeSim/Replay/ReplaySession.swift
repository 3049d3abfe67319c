import BranchTree

/// A tree being replayed, with its running totals: the replay without any I/O.
///
///     var session = try ReplaySession(broadcaster: "root", configuration: .init(fanout: 2))
///     _ = try session.apply(ReplayEntry(line: 1, operation: .join("A")))
///     _ = try session.apply(ReplayEntry(line: 2, action: .restart(ReplayRestart())))
///     session.tree.levels   // [["A"]]
package struct ReplaySession: Sendable {
    package internal(set) var tree: BranchTree
    package private(set) var summary = ReplaySummary()
    /// The strategy of a `restart` line that names none.
    package let restartStrategy: RestartStrategy
    /// Virtual time for the broadcaster machine of restarts: each restart starts where
    /// the previous one settled, so time never runs backwards across restarts.
    var clock = Timestamp.zero

    /// - Throws: ``BranchTreeError/emptyID`` for an empty broadcaster id.
    package init(
        broadcaster: ViewerID, configuration: BranchTree.Configuration, restartStrategy: RestartStrategy = .restore
    ) throws(BranchTreeError) {
        self.tree = try BranchTree(broadcaster: broadcaster, configuration: configuration)
        self.restartStrategy = restartStrategy
    }

    /// The number of operations applied so far.
    package var step: Int { summary.operations }

    /// Applies one entry and records it in the summary.
    /// - Throws: A ``ReplayInputError`` naming the entry's line when the tree refuses the
    ///   operation (an unknown viewer, no relay slot, an invalid capacity, the
    ///   broadcaster's id) or a restart names a missing viewer that is not in the tree;
    ///   the tree and summary are then unchanged.
    /// - Complexity: As ``BranchTree/join(_:relayable:capacity:)`` or ``BranchTree/leave(_:)``;
    ///   a restart as ``restart(_:line:)``.
    package mutating func apply(_ entry: ReplayEntry) throws(ReplayInputError) -> ReplayChange {
        switch entry.action {
        case .tree(let operation):
            let change: TreeChange
            do {
                change = try tree.apply(operation)
            } catch {
                throw ReplayInputError(line: entry.line, message: error.description)
            }
            summary.record(change)
            return .tree(change)
        case .restart(let request):
            let outcome = try restart(request, line: entry.line)
            summary.record(outcome, line: entry.line)
            return .restart(outcome)
        }
    }
}
