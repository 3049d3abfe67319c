import BranchTree

/// One operation read from a replay log line, with the line it came from.
///
///     {"op":"join","id":"B"}                     → .join("B")
///     {"op":"join","id":"C","relayable":false}   → .join("C", relayable: false)
///     {"op":"join","id":"D","capacity":1}        → .join("D", capacity: 1)
///     {"op":"leave","id":"B"}                    → .leave("B")
package struct ReplayEntry: Hashable, Sendable {
    /// The 1-based line number in the input.
    package var line: Int
    package var operation: TreeOperation

    package init(line: Int, operation: TreeOperation) {
        self.line = line
        self.operation = operation
    }

    package var id: ViewerID { operation.viewer }

    /// `join` or `leave`, as in the input.
    package var opName: String {
        switch operation {
        case .join: "join"
        case .leave: "leave"
        }
    }
}
