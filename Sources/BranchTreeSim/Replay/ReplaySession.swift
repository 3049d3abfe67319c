import BranchTree

/// A tree being replayed, with its running totals: the replay without any I/O.
///
///     var session = try ReplaySession(broadcaster: "root", configuration: .init(fanout: 2))
///     let change = try session.apply(ReplayEntry(line: 1, id: "A", action: .join(relayable: true, capacity: nil)))
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
            switch entry.action {
            case .join(let relayable, let capacity):
                change = try tree.join(entry.id, relayable: relayable, capacity: capacity)
            case .leave:
                change = try tree.leave(entry.id)
            }
        } catch {
            throw ReplayInputError(line: entry.line, message: error.description)
        }
        summary.record(change)
        return change
    }
}
