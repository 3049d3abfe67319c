import BranchTree

/// What one replayed line did: a join's or leave's ``TreeChange``, or what a restart did.
///
///     switch try session.apply(entry) {
///     case .tree(let change): change.linksCreated
///     case .restart(let outcome): outcome.linksCreated
///     }
package enum ReplayChange: Hashable, Sendable {
    case tree(TreeChange)
    case restart(ReplayRestartOutcome)

    /// The join's or leave's change; nil for a restart.
    package var treeChange: TreeChange? {
        if case .tree(let change) = self { change } else { nil }
    }
}
