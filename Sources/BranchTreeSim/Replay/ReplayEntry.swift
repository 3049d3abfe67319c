import BranchTree

/// One operation read from a replay log line.
///
///     {"op":"join","id":"B"}                     → .join(relayable: true, capacity: nil)
///     {"op":"join","id":"C","relayable":false}   → .join(relayable: false, capacity: nil)
///     {"op":"join","id":"D","capacity":1}        → .join(relayable: true, capacity: 1)
///     {"op":"leave","id":"B"}                    → .leave
///
/// Unlike ``TreeOperation``, it keeps `relayable` and `capacity` apart, so that the tree
/// itself rejects a contradiction such as `"relayable":false,"capacity":2`.
package struct ReplayEntry: Hashable, Sendable {
    package enum Action: Hashable, Sendable {
        case join(relayable: Bool, capacity: Int?)
        case leave
    }

    /// The 1-based line number in the input.
    package var line: Int
    package var id: ViewerID
    package var action: Action

    package init(line: Int, id: ViewerID, action: Action) {
        self.line = line
        self.id = id
        self.action = action
    }

    /// `join` or `leave`, as in the input.
    package var opName: String {
        switch action {
        case .join: "join"
        case .leave: "leave"
        }
    }
}
