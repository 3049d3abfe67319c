import BranchTree
import BranchTreeSim
import Foundation
import Testing

/// The logs in `Examples/` replay as documented.
@Suite struct ExamplesTests {
    @Test func mixedAudienceReplaysAtFanoutThree() throws {
        let path = PackagePaths.example("mixed-audience.jsonl")
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect((35...50).contains(lines.count))
        #expect(lines.contains { $0.contains(#""relayable":false"#) })
        #expect(lines.contains { $0.contains(#""capacity":"#) })

        let run = SimRun(["replay", path])
        #expect(run.status == 0, "\(run.stderr)")
        let final = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let summary = try #require(final["summary"] as? [String: Int])
        #expect(summary["duplicateJoins"]! > 0)
        #expect(summary["leaves"]! > 0)
        #expect(summary["moves"]! > 0)

        // The final nodes restore as a valid tree.
        let nodes = try JSONSerialization.data(withJSONObject: final["nodes"]!)
        let viewers = try JSONDecoder().decode([Viewer].self, from: nodes)
        let levels = try #require(final["levels"] as? [[String]]).map { level in level.map { ViewerID($0) } }
        let configuration = try BranchTree.Configuration(fanout: 3)
        let snapshot = BranchTree.Snapshot(
            broadcaster: "root", configuration: configuration, firstViewers: levels.first ?? [],
            levels: levels, nodes: viewers)
        try BranchTree(snapshot: snapshot).validate()
    }

    @Test func mixedAudienceHasDeparturesInTheMiddleOfTheTree() throws {
        let run = SimRun(["replay", "--each", PackagePaths.example("mixed-audience.jsonl")])
        #expect(run.status == 0)
        var middleDepartures = 0
        for line in run.stdoutLines {
            let step = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let change = try #require(step["change"] as? [String: Any])
            if step["op"] as? String == "leave", let moves = change["moves"] as? [Any], !moves.isEmpty {
                middleDepartures += 1
            }
        }
        #expect(middleDepartures >= 3)
    }
}
