import BranchTree

/// The JSON that `branchtree-sim replay` prints, built as ``JSONValue``s with a fixed
/// member order so that the output is byte-for-byte deterministic.
///
/// A step (one compact line per operation with `--each`):
///
///     {"step":1,"line":1,"op":"join","id":"A","change":{…},"levels":[["A"]],"nodes":[…]}
///
/// A restart's step has no `id`; it names its strategy, and `counts` follows `change`:
///
///     {"step":9,"line":9,"op":"restart","strategy":"restore","change":{…},"counts":{…},"levels":…,"nodes":…}
///
/// The final state (without `--each`): `{"levels": …, "nodes": …, "summary": …}`; the
/// summary ends with `restarts` only when the log had a restart, so the output for a log
/// of joins and leaves is the same as before restarts existed.
///
/// `nodes` use the keys and order of ``Viewer``'s `Codable` form (`id`, `parent`,
/// `depth`, `children`, `relayable`, `capacity`), so they decode as `[Viewer]`.
package enum ReplayReport {
    /// One operation's line: its step number (1-based), input line, op and id (the
    /// change's subject: the viewer the join or leave is about), what it changed, and the
    /// tree after it.
    package static func step(_ step: Int, entry: ReplayEntry, change: TreeChange, tree: BranchTree) -> JSONValue {
        .object([
            .init("step", .int(step)),
            .init("line", .int(entry.line)),
            .init("op", .string(entry.opName)),
            .init("id", .string(change.subject.rawValue)),
            .init("change", self.change(change)),
            .init("levels", levels(of: tree)),
            .init("nodes", nodes(of: tree)),
        ])
    }

    /// A restart's line: its step number (1-based), input line and strategy, what it did
    /// to the tree, its counts, and the tree after it.
    package static func restartStep(
        _ step: Int, line: Int, outcome: ReplayRestartOutcome, tree: BranchTree
    ) -> JSONValue {
        .object([
            .init("step", .int(step)),
            .init("line", .int(line)),
            .init("op", .string("restart")),
            .init("strategy", .string(outcome.strategy.rawValue)),
            .init("change", restartChange(outcome)),
            .init("counts", .object(restartCounts(ReplaySummary.Restart(step: step, line: line, outcome: outcome)))),
            .init("levels", levels(of: tree)),
            .init("nodes", nodes(of: tree)),
        ])
    }

    /// What a restart did: the viewers kept in place, rejoined, moved, removed and
    /// evicted, and the links it cut and created.
    package static func restartChange(_ outcome: ReplayRestartOutcome) -> JSONValue {
        .object([
            .init("outcome", .string("restarted")),
            .init("kept", .strings(outcome.kept)),
            .init("rejoined", .strings(outcome.rejoined)),
            .init("moves", .array(outcome.moves.map(move))),
            .init("removed", .strings(outcome.removed)),
            .init("evicted", .strings(outcome.evicted)),
            .init("linksCut", .array(outcome.linksCut.map(link))),
            .init("linksCreated", .array(outcome.linksCreated.map(link))),
        ])
    }

    /// The final state and the totals.
    package static func final(tree: BranchTree, summary: ReplaySummary) -> JSONValue {
        .object([
            .init("levels", levels(of: tree)),
            .init("nodes", nodes(of: tree)),
            .init("summary", self.summary(summary)),
        ])
    }

    /// Viewer ids per depth, each level in the policy's order.
    package static func levels(of tree: BranchTree) -> JSONValue {
        .array(tree.levels.map { .strings($0) })
    }

    /// Every viewer in level order, in ``Viewer``'s JSON form.
    package static func nodes(of tree: BranchTree) -> JSONValue {
        .array(tree.viewers.map(node))
    }

    /// One viewer in ``Viewer``'s JSON form.
    package static func node(_ viewer: Viewer) -> JSONValue {
        .object([
            .init("id", .string(viewer.uuid.rawValue)),
            .init("parent", .string(viewer.parentUUID.rawValue)),
            .init("depth", .int(viewer.depth)),
            .init("children", .strings(viewer.children)),
            .init("relayable", .bool(viewer.relayable)),
            .init("capacity", .int(viewer.capacity)),
        ])
    }

    /// What an operation changed. `parent` and `depth` (the subject's place) are present
    /// for `joined` and `alreadyPresent` only.
    package static func change(_ change: TreeChange) -> JSONValue {
        var members: [JSONValue.Member]
        switch change.outcome {
        case .joined(let parent, let depth), .alreadyPresent(let parent, let depth):
            let outcome = change.changedTree ? "joined" : "alreadyPresent"
            members = [
                .init("outcome", .string(outcome)), .init("parent", .string(parent.rawValue)),
                .init("depth", .int(depth)),
            ]
        case .left:
            members = [.init("outcome", .string("left"))]
        }
        members += [
            .init("moves", .array(change.moves.map(move))),
            .init("linksCut", .array(change.linksCut.map(link))),
            .init("linksCreated", .array(change.linksCreated.map(link))),
            .init("reconnecting", .strings(change.reconnecting)),
            .init("keepingLink", .strings(change.keepingLink)),
            .init("evicted", .strings(change.evicted)),
        ]
        return .object(members)
    }

    package static func summary(_ summary: ReplaySummary) -> JSONValue {
        var members: [JSONValue.Member] = [
            .init("operations", .int(summary.operations)),
            .init("joins", .int(summary.joins)),
            .init("duplicateJoins", .int(summary.duplicateJoins)),
            .init("leaves", .int(summary.leaves)),
            .init("moves", .int(summary.moves)),
            .init("reconnections", .int(summary.reconnections)),
            .init("interruptedViewers", .int(summary.interruptedViewers)),
            .init("evicted", .int(summary.evicted)),
        ]
        if !summary.restarts.isEmpty {
            let restarts = summary.restarts.map { restart -> JSONValue in
                .object(
                    [
                        .init("step", .int(restart.step)), .init("line", .int(restart.line)),
                        .init("strategy", .string(restart.strategy.rawValue)),
                    ] + restartCounts(restart))
            }
            members.append(.init("restarts", .array(restarts)))
        }
        return .object(members)
    }

    /// A restart's counts, in the order of ``restartChange(_:)``'s lists.
    private static func restartCounts(_ restart: ReplaySummary.Restart) -> [JSONValue.Member] {
        [
            .init("kept", .int(restart.kept)),
            .init("rejoined", .int(restart.rejoined)),
            .init("moved", .int(restart.moved)),
            .init("removed", .int(restart.removed)),
            .init("evicted", .int(restart.evicted)),
            .init("linksCut", .int(restart.linksCut)),
            .init("linksCreated", .int(restart.linksCreated)),
        ]
    }

    private static func move(_ move: TreeChange.Move) -> JSONValue {
        .object([
            .init("viewer", .string(move.viewer.rawValue)),
            .init("fromParent", .string(move.fromParent.rawValue)),
            .init("toParent", .string(move.toParent.rawValue)),
            .init("fromDepth", .int(move.fromDepth)),
            .init("toDepth", .int(move.toDepth)),
        ])
    }

    private static func link(_ link: Link) -> JSONValue {
        .object([.init("parent", .string(link.parent.rawValue)), .init("child", .string(link.child.rawValue))])
    }
}
