@testable import BranchTree

/// A `branch_data` message, briefly: `record("P", epoch: 5, depth: 1, ["C": 6], sequence: 6)`.
func record(
    _ parent: ViewerID, epoch: UInt64, depth: Int, _ children: KeyValuePairs<ViewerID, UInt64> = [:],
    sequence: UInt64
) -> RelayMessage {
    .branchData(
        .init(
            parent: parent, epoch: epoch, depth: depth,
            children: children.map { RelayMessage.ChildLink(id: $0.key, epoch: $0.value) }, sequence: sequence))
}
