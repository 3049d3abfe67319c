import BranchTree

/// One operation read from a replay log line, with the line it came from.
///
///     {"op":"join","id":"B"}                     → .join("B")
///     {"op":"join","id":"C","relayable":false}   → .join("C", relayable: false)
///     {"op":"join","id":"D","capacity":1}        → .join("D", capacity: 1)
///     {"op":"leave","id":"B"}                    → .leave("B")
///     {"op":"restart","missing":["C"]}           → .restart(ReplayRestart(missing: ["C"]))
package struct ReplayEntry: Hashable, Sendable {
    /// What a line asks for.
    package enum Action: Hashable, Sendable {
        /// A join or a leave, applied to the tree directly.
        case tree(TreeOperation)
        /// A broadcaster restart, played through the protocol's broadcaster machine.
        case restart(ReplayRestart)
    }

    /// The 1-based line number in the input.
    package var line: Int
    package var action: Action

    package init(line: Int, action: Action) {
        self.line = line
        self.action = action
    }

    /// A join or leave entry.
    package init(line: Int, operation: TreeOperation) {
        self.init(line: line, action: .tree(operation))
    }

    /// The join or leave, or nil for a restart.
    package var operation: TreeOperation? {
        if case .tree(let operation) = action { operation } else { nil }
    }

    /// The viewer a join or leave is about; nil for a restart.
    package var id: ViewerID? { operation?.viewer }

    /// `join`, `leave` or `restart`, as in the input.
    package var opName: String {
        switch action {
        case .tree(.join): "join"
        case .tree(.leave): "leave"
        case .restart: "restart"
        }
    }
}
