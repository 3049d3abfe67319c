import BranchTree

/// What a broadcaster restart did to the tree, found by comparing the tree before it
/// (the save) with the tree once the restarted broadcaster has settled.
///
///     let outcome = ReplayRestartOutcome(strategy: .restore, before: saved, after: restored, missing: ["X"])
///     outcome.kept            // viewers at their old place, under their old parent
///     outcome.linksCreated    // the peer connections the restart costs
///
/// Every viewer of the save lands in exactly one list: `kept`, `rejoined` or `moves`
/// (still in the tree), `removed` (missing) or `evicted` (present, but no relay slot was
/// left for it). A link is kept when its child has the same parent and the same link
/// epoch as before; every other link of the new tree is in `linksCreated`, every other
/// link of the save in `linksCut`. Viewer lists follow the new tree's level order;
/// `removed`, `evicted` and `linksCut` the save's.
package struct ReplayRestartOutcome: Hashable, Sendable {
    package var strategy: RestartStrategy
    /// Restore: viewers the broadcaster kept at their place (same parent). A first
    /// viewer is among them although its link is new: the broadcaster's links died with it.
    package var kept: [ViewerID] = []
    /// Reconnect-all: viewers placed again by their `join`, every one that came back.
    package var rejoined: [ViewerID] = []
    /// Restore: viewers whose parent changed, in the repairs of removed viewers.
    package var moves: [TreeChange.Move] = []
    /// The missing viewers, which the restarted broadcaster dropped.
    package var removed: [ViewerID] = []
    /// Viewers that came back but found no relay slot (non-relayable viewers whose
    /// relays went missing); they must join again.
    package var evicted: [ViewerID] = []
    /// Links of the save that no longer carry the stream.
    package var linksCut: [Link] = []
    /// Links of the new tree that are new peer connections.
    package var linksCreated: [Link] = []

    package init(strategy: RestartStrategy) {
        self.strategy = strategy
    }

    /// Compares the tree before the restart with the tree after it.
    /// - Complexity: O(n) for n viewers in the two trees.
    package init(strategy: RestartStrategy, before: BranchTree, after: BranchTree, missing: [ViewerID]) {
        self.strategy = strategy
        let missing = Set(missing)
        for id in after.levels.joined() {
            guard let now = Place(id, in: after) else { continue }
            let old = Place(id, in: before)
            if !Place.sameLink(old, now) { linksCreated.append(Link(parent: now.parent, child: id)) }
            guard let old else { continue }  // not a viewer of the save: never happens
            if strategy == .reconnectAll {
                rejoined.append(id)
            } else if old.parent == now.parent {
                kept.append(id)
            } else {
                moves.append(
                    TreeChange.Move(
                        viewer: id, fromParent: old.parent, toParent: now.parent, fromDepth: old.depth,
                        toDepth: now.depth))
            }
        }
        for id in before.levels.joined() {
            guard let old = Place(id, in: before) else { continue }
            let now = Place(id, in: after)
            if !Place.sameLink(old, now) { linksCut.append(Link(parent: old.parent, child: id)) }
            if now == nil, missing.contains(id) {
                removed.append(id)
            } else if now == nil {
                evicted.append(id)
            }
        }
    }

    /// A viewer's parent, depth and link epoch in one tree.
    private struct Place: Equatable {
        var parent: ViewerID
        var depth: Int
        var epoch: UInt64

        /// Nil when `id` is not a viewer in `tree`.
        init?(_ id: ViewerID, in tree: BranchTree) {
            guard tree.contains(id), let parent = try? tree.parent(of: id), let depth = try? tree.depth(of: id),
                let epoch = try? tree.linkEpoch(of: id)
            else { return nil }
            (self.parent, self.depth, self.epoch) = (parent, depth, epoch)
        }

        /// Whether both places are in a tree and share the link: same parent, same epoch.
        static func sameLink(_ a: Place?, _ b: Place?) -> Bool {
            guard let a, let b else { return false }
            return a.parent == b.parent && a.epoch == b.epoch
        }
    }
}
