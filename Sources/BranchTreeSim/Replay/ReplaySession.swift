import BranchTree

/// A tree being replayed, with its running totals: the replay without any I/O.
///
///     var session = try ReplaySession(broadcaster: "root", configuration: .init(fanout: 2))
///     let change = try session.apply(ReplayEntry(line: 1, operation: .join("A")))
///     session.tree.levels   // [["A"]]
package struct ReplaySession: Sendable {
    package private(set) var tree: BranchTree
    package private(set) var summary = ReplaySummary()

    /// - Throws: ``BranchTreeError/emptyID`` for an empty broadcaster id.
    package init(broadcaster: ViewerID, configuration: BranchTree.Configuration) throws(BranchTreeError) {
        self.tree = try BranchTree(broadcaster: broadcaster, configuration: configuration)
    }

    /// The number of operations applied so far.
    package var step: Int { summary.operations }

    /// Applies one entry and records it in the summary.
    /// - Throws: A ``ReplayInputError`` naming the entry's line when the tree refuses the
    ///   operation (an unknown viewer, no relay slot, an invalid capacity, the
    ///   broadcaster's id); the tree and summary are then unchanged.
    /// - Complexity: As ``BranchTree/join(_:relayable:capacity:)`` or ``BranchTree/leave(_:)``.
    package mutating func apply(_ entry: ReplayEntry) throws(ReplayInputError) -> TreeChange {
        let change: TreeChange
        do {
            change = try tree.apply(entry.operation)
        } catch {
            throw ReplayInputError(line: entry.line, message: error.description)
        }
        summary.record(change)
        return change
    }
}
