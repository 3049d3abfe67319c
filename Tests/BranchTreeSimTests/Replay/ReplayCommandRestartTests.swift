import BranchTree
import BranchTreeSim
import Foundation
import Testing

/// `restart` lines through the command line: options, output and errors.
@Suite struct ReplayCommandRestartTests {
    /// Seven viewers at fan-out 2: root(A(B(D E) C(F G))).
    static let sevenViewers =
        ["A", "B", "C", "D", "E", "F", "G"]
        .map { #"{"op":"join","id":"\#($0)"}"# }.joined(separator: "\n") + "\n"

    private func object(_ line: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    @Test func eachPrintsARestartStep() throws {
        let log = Self.sevenViewers + #"{"op":"restart","missing":["C"]}"# + "\n"
        let run = SimRun(["replay", "--each", "--fanout", "2", "-"], stdinText: log)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdoutLines.count == 8)
        // Skyway: C leaves its place to the tail D; G, F follow D.
        #expect(
            run.stdoutLines[7] == #"""
                {"step":8,"line":8,"op":"restart","strategy":"restore","change":{"outcome":"restarted",\#
                "kept":["A","B","E"],"rejoined":[],"moves":[\#
                {"viewer":"D","fromParent":"B","toParent":"A","fromDepth":2,"toDepth":1},\#
                {"viewer":"F","fromParent":"C","toParent":"D","fromDepth":2,"toDepth":2},\#
                {"viewer":"G","fromParent":"C","toParent":"D","fromDepth":2,"toDepth":2}],\#
                "removed":["C"],"evicted":[],\#
                "linksCut":[{"parent":"root","child":"A"},{"parent":"A","child":"C"},{"parent":"B","child":"D"},\#
                {"parent":"C","child":"F"},{"parent":"C","child":"G"}],\#
                "linksCreated":[{"parent":"root","child":"A"},{"parent":"A","child":"D"},{"parent":"D","child":"F"},\#
                {"parent":"D","child":"G"}]},\#
                "counts":{"kept":3,"rejoined":0,"moved":3,"removed":1,"evicted":0,"linksCut":5,"linksCreated":4},\#
                "levels":[["A"],["B","D"],["E","F","G"]],\#
                "nodes":[{"id":"A","parent":"root","depth":0,"children":["B","D"],"relayable":true,"capacity":2},\#
                {"id":"B","parent":"A","depth":1,"children":["E"],"relayable":true,"capacity":2},\#
                {"id":"D","parent":"A","depth":1,"children":["F","G"],"relayable":true,"capacity":2},\#
                {"id":"E","parent":"B","depth":2,"children":[],"relayable":true,"capacity":2},\#
                {"id":"F","parent":"D","depth":2,"children":[],"relayable":true,"capacity":2},\#
                {"id":"G","parent":"D","depth":2,"children":[],"relayable":true,"capacity":2}]}
                """#)
    }

    @Test func theFinalSummaryListsEveryRestart() throws {
        let log =
            Self.sevenViewers + """
                {"op":"restart"}
                {"op":"leave","id":"B"}

                {"op":"restart","strategy":"reconnect-all","missing":["G"]}

                """
        let run = SimRun(["replay", "--fanout", "2", "-"], stdinText: log)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(
            run.stdout.hasSuffix(
                """
                    "evicted": 0,
                    "restarts": [\
                {"step": 8, "line": 8, "strategy": "restore", "kept": 7, "rejoined": 0, "moved": 0, "removed": 0, \
                "evicted": 0, "linksCut": 1, "linksCreated": 1}, \
                {"step": 10, "line": 11, "strategy": "reconnect-all", "kept": 0, "rejoined": 5, "moved": 0, "removed": 1, \
                "evicted": 0, "linksCut": 6, "linksCreated": 5}]
                  }
                }

                """), "\(run.stdout)")
        let summary = try #require(try object(run.stdout)["summary"] as? [String: Any])
        #expect(summary["operations"] as? Int == 10)
        #expect(summary["joins"] as? Int == 7)
        #expect(summary["leaves"] as? Int == 1)
    }

    @Test func aLogWithoutRestartsHasNoRestartsInItsSummary() throws {
        let run = SimRun(["replay", "--restart-strategy", "reconnect-all", "-"], stdinText: Self.sevenViewers)
        #expect(run.status == 0)
        #expect(!run.stdout.contains("restart"))
        #expect(run.stdout == SimRun(["replay", "-"], stdinText: Self.sevenViewers).stdout)
    }

    @Test func restartStrategyOptionIsTheDefaultAndALineOverridesIt() throws {
        let log = Self.sevenViewers + #"{"op":"restart"}"# + "\n" + #"{"op":"restart","strategy":"restore"}"# + "\n"
        for (option, first) in [
            ([String](), "restore"), (["--restart-strategy", "reconnect-all"], "reconnect-all"),
            (["--restart-strategy=restore"], "restore"),
        ] {
            let run = SimRun(["replay", "--each", "--fanout", "2"] + option + ["-"], stdinText: log)
            #expect(run.status == 0)
            #expect(try object(run.stdoutLines[7])["strategy"] as? String == first)
            #expect(try object(run.stdoutLines[8])["strategy"] as? String == "restore")
        }
    }

    @Test func restoreKeepsTheTreeAndReconnectAllRebuildsIt() throws {
        let log = Self.sevenViewers + #"{"op":"leave","id":"B"}"# + "\n" + #"{"op":"restart"}"# + "\n"
        let before = try object(
            SimRun(
                ["replay", "--fanout", "2", "-"],
                stdinText: Self.sevenViewers
                    + #"{"op":"leave","id":"B"}"# + "\n"
            ).stdout)
        let restore = try object(SimRun(["replay", "--fanout", "2", "-"], stdinText: log).stdout)
        #expect(restore["nodes"] as? NSArray == before["nodes"] as? NSArray)
        let rebuilt = try object(
            SimRun(
                ["replay", "--fanout", "2", "--restart-strategy", "reconnect-all", "-"],
                stdinText: log
            ).stdout)
        let levels = try #require(rebuilt["levels"] as? [[String]])
        #expect(Set(levels.joined()) == ["A", "C", "D", "E", "F", "G"])
        let restarts = try #require((rebuilt["summary"] as? [String: Any])?["restarts"] as? [[String: Any]])
        #expect(restarts.first?["rejoined"] as? Int == 6)
        #expect(restarts.first?["linksCreated"] as? Int == 6)
    }

    @Test(arguments: ["restore", "reconnect-all", "RESTORE", "", "reconnect_all"])
    func restartStrategyOptionValues(value: String) {
        let run = SimRun(["replay", "--restart-strategy", value, "-"], stdinText: Self.sevenViewers)
        if value == "restore" || value == "reconnect-all" {
            #expect(run.status == 0)
        } else {
            #expect(run.status == 64)
            #expect(
                run.stderr.hasPrefix(
                    "Error: invalid value '\(value)' for '--restart-strategy <name>': expected one of: reconnect-all, restore\n"
                ))
        }
    }

    /// Four good lines, then the bad restart as line 5, then a good one.
    @Test(arguments: [
        (#"{"op":"restart","missing":["X"]}"#, #"field "missing": unknown viewer "X""#),
        (#"{"op":"restart","missing":["A","root"]}"#, #"field "missing": "root" is the broadcaster"#),
        (#"{"op":"restart","strategy":"rebuild"}"#, #"field "strategy" must be "reconnect-all" or "restore""#),
        (#"{"op":"restart","strategy":7}"#, #"field "strategy" must be "reconnect-all" or "restore", found a number"#),
        (#"{"op":"restart","missing":"A"}"#, #"field "missing" must be an array of viewer ids, found a string"#),
        (#"{"op":"restart","missing":[1]}"#, #"field "missing" must hold only strings, found a number"#),
        (#"{"op":"restart","missing":["A","A"]}"#, #"field "missing" lists "A" twice"#),
        (#"{"op":"restart","id":"A"}"#, #"field "id" is only allowed with "op":"join" or "leave""#),
    ])
    func badRestartLineStopsWithDataError(line: String, message: String) throws {
        let good = ["A", "B", "C"].map { #"{"op":"join","id":"\#($0)"}"# }.joined(separator: "\n") + "\n\n"
        let log = good + line + "\n" + #"{"op":"join","id":"Z"}"# + "\n"
        let run = SimRun(["replay", "--fanout", "2", "-"], stdinText: log)
        #expect(run.status == 65)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.hasPrefix("Error: line 5: \(message)"), "\(run.stderr)")
        #expect(run.stderr.split(separator: "\n").count == 1, "no usage for data errors")

        let each = SimRun(["replay", "--each", "--fanout", "2", "-"], stdinText: log)
        #expect(each.status == 65)
        #expect(each.stdoutLines.count == 3, "the lines before the bad one were printed")
        #expect(each.stderr == run.stderr)
    }

    @Test func twoRunsAreByteIdentical() {
        let path = PackagePaths.example("restart.jsonl")
        for arguments in [
            ["replay", "--each"], ["replay"],
            ["replay", "--policy", "rejoin", "--restart-strategy", "reconnect-all", "--each"],
        ] {
            let first = SimRun(arguments + [path])
            let second = SimRun(arguments + [path])
            #expect(first.status == 0)
            #expect(first.stdout == second.stdout)
            #expect(!first.stdout.isEmpty)
        }
    }
}
