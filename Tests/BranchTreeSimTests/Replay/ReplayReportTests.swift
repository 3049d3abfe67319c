import BranchTree
import BranchTreeSim
import Foundation
import Testing

@Suite struct ReplayReportTests {
    private func tree(fanout: Int = 2, joins: [String], policy: Policy = .skyway) throws -> BranchTree {
        var tree = try BranchTree(fanout: fanout, policy: policy)
        for id in joins { try tree.join(ViewerID(id)) }
        return tree
    }

    @Test func nodesDecodeAsViewers() throws {
        var tree = try tree(fanout: 3, joins: ["A", "B", "C"])
        try tree.join("P", relayable: false)
        try tree.join("Q", capacity: 1)
        let json = JSONWriter.string(ReplayReport.nodes(of: tree), style: .compact)
        let decoded = try JSONDecoder().decode([Viewer].self, from: Data(json.utf8))
        #expect(decoded == tree.viewers)
        #expect(json.contains(#"{"id":"P","parent":"A","depth":1,"children":[],"relayable":false,"capacity":0}"#))
    }

    @Test func levelsMatchTheTree() throws {
        let tree = try tree(joins: ["A", "B", "C", "D"])
        #expect(JSONWriter.string(ReplayReport.levels(of: tree), style: .compact) == #"[["A"],["B","C"],["D"]]"#)
    }

    @Test func changeOfALeave() throws {
        var tree = try tree(joins: ["A", "B", "C", "D", "E", "F", "G", "H"])
        let change = try tree.leave("C")
        #expect(
            JSONWriter.string(ReplayReport.change(change), style: .compact) == #"""
                {"outcome":"left","moves":[{"viewer":"H","fromParent":"D","toParent":"A","fromDepth":3,"toDepth":1},\#
                {"viewer":"F","fromParent":"C","toParent":"H","fromDepth":2,"toDepth":2},\#
                {"viewer":"G","fromParent":"C","toParent":"H","fromDepth":2,"toDepth":2}],\#
                "linksCut":[{"parent":"A","child":"C"},{"parent":"C","child":"F"},{"parent":"C","child":"G"},{"parent":"D","child":"H"}],\#
                "linksCreated":[{"parent":"A","child":"H"},{"parent":"H","child":"F"},{"parent":"H","child":"G"}],\#
                "reconnecting":["F","G","H"],"keepingLink":[],"evicted":[]}
                """#)
    }

    @Test func changeOfJoins() throws {
        var tree = try tree(joins: ["A"])
        let joined = try tree.join("B")
        let again = try tree.join("B")
        #expect(
            JSONWriter.string(ReplayReport.change(joined), style: .compact)
                == #"{"outcome":"joined","parent":"A","depth":1,"moves":[],"linksCut":[],"linksCreated":[{"parent":"A","child":"B"}],"reconnecting":[],"keepingLink":[],"evicted":[]}"#
        )
        #expect(
            JSONWriter.string(ReplayReport.change(again), style: .compact)
                == #"{"outcome":"alreadyPresent","parent":"A","depth":1,"moves":[],"linksCut":[],"linksCreated":[],"reconnecting":[],"keepingLink":[],"evicted":[]}"#
        )
    }

    @Test func stepMemberOrder() throws {
        var tree = try BranchTree(fanout: 2)
        let change = try tree.join("A")
        let entry = ReplayEntry(line: 3, operation: .join("A", relayable: true, capacity: nil))
        guard case .object(let members) = ReplayReport.step(1, entry: entry, change: change, tree: tree) else {
            Issue.record("not an object")
            return
        }
        #expect(members.map(\.key) == ["step", "line", "op", "id", "change", "levels", "nodes"])
    }

    @Test func finalMemberOrder() throws {
        guard case .object(let members) = ReplayReport.final(tree: try tree(joins: []), summary: ReplaySummary()) else {
            Issue.record("not an object")
            return
        }
        #expect(members.map(\.key) == ["levels", "nodes", "summary"])
        guard case .object(let summary) = members[2].value else { return }
        #expect(
            summary.map(\.key) == [
                "operations", "joins", "duplicateJoins", "leaves", "moves", "reconnections", "interruptedViewers",
                "evicted",
            ])
    }

    @Test func restartStepMemberOrder() throws {
        let tree = try tree(joins: ["A", "B"])
        let outcome = ReplayRestartOutcome(strategy: .reconnectAll, before: tree, after: tree, missing: [])
        guard case .object(let members) = ReplayReport.restartStep(4, line: 6, outcome: outcome, tree: tree) else {
            Issue.record("not an object")
            return
        }
        #expect(members.map(\.key) == ["step", "line", "op", "strategy", "change", "counts", "levels", "nodes"])
        #expect(
            JSONWriter.string(.object(Array(members.prefix(6))), style: .compact) == #"""
                {"step":4,"line":6,"op":"restart","strategy":"reconnect-all","change":{"outcome":"restarted",\#
                "kept":[],"rejoined":["A","B"],"moves":[],"removed":[],"evicted":[],"linksCut":[],"linksCreated":[]},\#
                "counts":{"kept":0,"rejoined":2,"moved":0,"removed":0,"evicted":0,"linksCut":0,"linksCreated":0}}
                """#)
    }

    @Test func summaryListsRestartsOnlyWhenThereWereAny() throws {
        var summary = ReplaySummary()
        #expect(!JSONWriter.string(ReplayReport.summary(summary), style: .compact).contains("restarts"))
        var outcome = ReplayRestartOutcome(strategy: .restore)
        (outcome.kept, outcome.removed) = (["A", "B"], ["C"])
        outcome.linksCreated = [Link(parent: "root", child: "A")]
        summary.record(outcome, line: 3)
        #expect(
            JSONWriter.string(ReplayReport.summary(summary), style: .compact) == #"""
                {"operations":1,"joins":0,"duplicateJoins":0,"leaves":0,"moves":0,"reconnections":0,\#
                "interruptedViewers":0,"evicted":0,"restarts":[{"step":1,"line":3,"strategy":"restore",\#
                "kept":2,"rejoined":0,"moved":0,"removed":1,"evicted":0,"linksCut":0,"linksCreated":1}]}
                """#)
    }
}
