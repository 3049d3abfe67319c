import BranchTree

/// The JSON that `branchtree-sim replay` prints, built as ``JSONValue``s with a fixed
/// member order so that the output is byte-for-byte deterministic.
///
/// A step (one compact line per operation with `--each`):
///
///     {"step":1,"line":1,"op":"join","id":"A","change":{…},"levels":[["A"]],"nodes":[…]}
///
/// The final state (without `--each`): `{"levels": …, "nodes": …, "summary": …}`.
///
/// `nodes` use the keys and order of ``Viewer``'s `Codable` form (`id`, `parent`,
/// `depth`, `children`, `relayable`, `capacity`), so they decode as `[Viewer]`.
package enum ReplayReport {
    /// One operation's line: its step number (1-based), input line, op and id, what it
    /// changed, and the tree after it.
    package static func step(_ step: Int, entry: ReplayEntry, change: TreeChange, tree: BranchTree) -> JSONValue {
        .object([
            .init("step", .int(step)),
            .init("line", .int(entry.line)),
            .init("op", .string(entry.opName)),
            .init("id", .string(entry.id.rawValue)),
            .init("change", self.change(change)),
            .init("levels", levels(of: tree)),
            .init("nodes", nodes(of: tree)),
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
        .object([
            .init("operations", .int(summary.operations)),
            .init("joins", .int(summary.joins)),
            .init("duplicateJoins", .int(summary.duplicateJoins)),
            .init("leaves", .int(summary.leaves)),
            .init("moves", .int(summary.moves)),
            .init("reconnections", .int(summary.reconnections)),
            .init("interruptedViewers", .int(summary.interruptedViewers)),
            .init("evicted", .int(summary.evicted)),
        ])
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
