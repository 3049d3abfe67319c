@testable import BranchTree

// Checks shared by the broadcaster, scenario and fuzz tests of the relay protocol,
// computed from the tree's public queries only (not from the records the machine builds).

enum ProtocolChecks {
    /// What a viewer's `branch_data` must say about its links: its parent and link epoch,
    /// its children and theirs, in order.
    struct Place: Hashable, CustomStringConvertible {
        var parent: ViewerID
        var epoch: UInt64
        var children: [RelayMessage.ChildLink]

        init(parent: ViewerID, epoch: UInt64, children: [RelayMessage.ChildLink]) {
            self.parent = parent
            self.epoch = epoch
            self.children = children
        }

        init(_ record: RelayMessage.BranchData) {
            self.init(parent: record.parent, epoch: record.epoch, children: record.children)
        }

        var description: String {
            "under \(parent)@\(epoch) children [\(children.map { "\($0.id)@\($0.epoch)" }.joined(separator: " "))]"
        }
    }

    /// The place of `id` in `tree`, or nil when it is not a viewer there.
    static func place(of id: ViewerID, in tree: BranchTree) -> Place? {
        guard tree.contains(id), let parent = try? tree.parent(of: id), let epoch = try? tree.linkEpoch(of: id),
            let children = try? tree.children(of: id)
        else { return nil }
        return Place(
            parent: parent, epoch: epoch,
            children: children.map { RelayMessage.ChildLink(id: $0, epoch: (try? tree.linkEpoch(of: $0)) ?? .max) })
    }

    /// Every viewer of `tree` in level order.
    static func viewers(of tree: BranchTree) -> [ViewerID] {
        tree.levels.flatMap { $0 }
    }

    /// The records sent in `actions`, the last one per viewer, in order of first sending.
    static func lastRecords(in actions: [BroadcasterAction]) -> [(viewer: ViewerID, record: RelayMessage.BranchData)] {
        var order: [ViewerID] = []
        var last: [ViewerID: RelayMessage.BranchData] = [:]
        for case .send(.branchData(let record), let viewer) in actions {
            if last.updateValue(record, forKey: viewer) == nil { order.append(viewer) }
        }
        return order.map { ($0, last[$0]!) }
    }

    /// Whether one step of a broadcaster, which took the tree from `before` to `after`
    /// and answered `actions`, kept every viewer informed: every viewer whose parent,
    /// link epoch or children changed got a record; every record's latest version tells
    /// the truth about the tree after the step (for a viewer still in it) and carries the
    /// tree's version. Returns what is wrong, or nil.
    static func recordFailure(actions: [BroadcasterAction], before: BranchTree, after: BranchTree) -> String? {
        let sent = lastRecords(in: actions)
        let changes = actions.filter { if case .treeChanged = $0 { true } else { false } }.count
        var sentTo: [ViewerID: RelayMessage.BranchData] = [:]
        for (viewer, record) in sent { sentTo[viewer] = record }
        for (viewer, record) in sent {
            if viewer == after.broadcaster { return "a record was sent to the broadcaster" }
            guard let place = place(of: viewer, in: after) else { continue }
            if Place(record) != place { return "\(viewer) was told \(Place(record)), but it is \(place)" }
            if record.sequence > after.version {
                return "\(viewer)'s record has sequence \(record.sequence), the tree is only at \(after.version)"
            }
            // A step that changed the tree once: the record describes the tree now. (After
            // several changes in one step, a record can predate the last of them.)
            guard changes <= 1 else { continue }
            if record.sequence != after.version {
                return "\(viewer)'s record has sequence \(record.sequence), the tree is at \(after.version)"
            }
            if let depth = try? after.depth(of: viewer), record.depth != depth {
                return "\(viewer) was told depth \(record.depth), but it is at \(depth)"
            }
        }
        for viewer in viewers(of: after) {
            let now = place(of: viewer, in: after)
            if now != place(of: viewer, in: before), sentTo[viewer] == nil {
                let was = place(of: viewer, in: before).map(String.init(describing:)) ?? "absent"
                return "\(viewer) changed from \(was) to \(now!) but got no record"
            }
        }
        return nil
    }

    /// The viewers that must get a record after `change`, in the order the broadcaster
    /// sends them: each created link's child then parent, then each cut link's parent;
    /// without repeats, the broadcaster, or viewers no longer in `tree`.
    static func recipients(of change: TreeChange, in tree: BranchTree) -> [ViewerID] {
        var result: [ViewerID] = []
        let candidates = change.linksCreated.flatMap { [$0.child, $0.parent] } + change.linksCut.map(\.parent)
        for id in candidates where id != tree.broadcaster && tree.contains(id) && !result.contains(id) {
            result.append(id)
        }
        return result
    }

    /// Whether `tree` is valid, as a failure text.
    static func validationFailure(_ tree: BranchTree) -> String? {
        do {
            try tree.validate()
            return nil
        } catch {
            return "\(error)"
        }
    }
}
