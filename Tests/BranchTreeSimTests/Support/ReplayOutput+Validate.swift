import BranchTree
import Foundation
import Testing

/// The tree a replay's final JSON (`levels` and `nodes`) describes, restored and
/// validated: it throws when the output is not a valid tree of `configuration`.
func validateReplayedTree(_ final: [String: Any], configuration: BranchTree.Configuration) throws {
    let nodes = try JSONSerialization.data(withJSONObject: try #require(final["nodes"]))
    let viewers = try JSONDecoder().decode([Viewer].self, from: nodes)
    let levels = try #require(final["levels"] as? [[String]]).map { level in level.map { ViewerID($0) } }
    let snapshot = BranchTree.Snapshot(
        broadcaster: "root", configuration: configuration, firstViewers: levels.first ?? [], levels: levels,
        nodes: viewers)
    try BranchTree(snapshot: snapshot).validate()
}
