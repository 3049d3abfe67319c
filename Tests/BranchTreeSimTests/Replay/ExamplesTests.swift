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
        try validateReplayedTree(final, configuration: BranchTree.Configuration(fanout: 3))
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

    @Test func restartRestoreCostsFarFewerConnectionsThanReconnectAll() throws {
        let path = PackagePaths.example("restart.jsonl")
        func restarts(_ strategy: String) throws -> [[String: Any]] {
            let run = SimRun(["replay", "--restart-strategy", strategy, path])
            #expect(run.status == 0, "\(run.stderr)")
            let final = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
            return try #require((final?["summary"] as? [String: Any])?["restarts"] as? [[String: Any]])
        }
        let restore = try restarts("restore")
        let reconnectAll = try restarts("reconnect-all")
        #expect(restore.count == 3 && reconnectAll.count == 3)
        // The first two lines name no strategy: the option decides. The third names reconnect-all.
        for index in 0..<2 {
            let (kept, rebuilt) = (restore[index], reconnectAll[index])
            #expect(kept["strategy"] as? String == "restore")
            #expect(rebuilt["strategy"] as? String == "reconnect-all")
            #expect(kept["removed"] as? Int == rebuilt["removed"] as? Int)
            let cheap = try #require(kept["linksCreated"] as? Int)
            let costly = try #require(rebuilt["linksCreated"] as? Int)
            #expect(cheap * 3 <= costly, "restore \(cheap), reconnect-all \(costly)")
        }
        #expect(restore[0]["linksCreated"] as? Int == 1)
        #expect(restore[1]["removed"] as? Int == 2)
        #expect(restore[2]["strategy"] as? String == "reconnect-all")
        #expect(reconnectAll[2]["strategy"] as? String == "reconnect-all")
    }
}
