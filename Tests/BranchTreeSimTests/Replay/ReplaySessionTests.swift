import BranchTree
import BranchTreeSim
import Testing

@Suite struct ReplaySessionTests {
    private func join(_ id: ViewerID, line: Int, relayable: Bool = true, capacity: Int? = nil) -> ReplayEntry {
        ReplayEntry(line: line, operation: .join(id, relayable: relayable, capacity: capacity))
    }

    @Test func appliesEntriesAndCounts() throws {
        var session = try ReplaySession(broadcaster: "root", configuration: .init(fanout: 2))
        for (line, id) in ["A", "B", "C", "D"].enumerated() {
            _ = try session.apply(join(ViewerID(id), line: line + 1))
        }
        let duplicate = try session.apply(join("B", line: 5))
        #expect(duplicate.treeChange?.changedTree == false)
        let change = try session.apply(ReplayEntry(line: 6, operation: .leave("B")))
        #expect(change.treeChange?.linksCreated == [Link(parent: "A", child: "D")])
        #expect(session.tree.levels == [["A"], ["C", "D"]])
        #expect(session.step == 6)
        var expected = ReplaySummary()
        (expected.operations, expected.joins, expected.duplicateJoins, expected.leaves) = (6, 4, 1, 1)
        (expected.moves, expected.reconnections, expected.interruptedViewers) = (1, 1, 1)
        #expect(session.summary == expected)
    }

    @Test func refusalsNameTheLineAndChangeNothing() throws {
        var session = try ReplaySession(broadcaster: "root", configuration: .init(fanout: 1))
        _ = try session.apply(join("A", line: 1, relayable: false))
        let before = session
        // B cannot relay either, so it has no place (a relayable B would take A's place).
        #expect(throws: ReplayInputError(line: 2, message: #"no viewer has a free relay slot for "B""#)) {
            try session.apply(join("B", line: 2, relayable: false))
        }
        #expect(throws: ReplayInputError(line: 3, message: #"unknown viewer "X""#)) {
            try session.apply(ReplayEntry(line: 3, operation: .leave("X")))
        }
        #expect(
            throws: ReplayInputError(
                line: 4, message: #""root" is the broadcaster's id and cannot be used by a viewer"#)
        ) {
            try session.apply(join("root", line: 4))
        }
        #expect(throws: ReplayInputError(line: 5, message: #""root" is the broadcaster and cannot leave the tree"#)) {
            try session.apply(ReplayEntry(line: 5, operation: .leave("root")))
        }
        #expect(throws: ReplayInputError.self) { try session.apply(join("C", line: 6, capacity: 2)) }
        #expect(throws: ReplayInputError.self) { try session.apply(join("C", line: 7, relayable: false, capacity: 1)) }
        #expect(session.tree == before.tree)
        #expect(session.summary == before.summary)
    }

    @Test func summaryCountsRepairLinksNotJoinLinks() {
        var summary = ReplaySummary()
        summary.record(
            TreeChange(
                subject: "A", outcome: .joined(parent: "root", depth: 0),
                linksCreated: [Link(parent: "root", child: "A")]))
        summary.record(TreeChange(subject: "A", outcome: .alreadyPresent(parent: "root", depth: 0)))
        summary.record(
            TreeChange(
                subject: "B", outcome: .left,
                moves: [.init(viewer: "C", fromParent: "B", toParent: "A", fromDepth: 2, toDepth: 1)],
                linksCut: [Link(parent: "A", child: "B"), Link(parent: "B", child: "C")],
                linksCreated: [Link(parent: "A", child: "C")], reconnecting: ["C"], keepingLink: ["D", "E"],
                evicted: ["F"]))
        #expect(summary.operations == 3)
        #expect(summary.joins == 1)
        #expect(summary.duplicateJoins == 1)
        #expect(summary.leaves == 1)
        #expect(summary.moves == 1)
        #expect(summary.reconnections == 1)
        #expect(summary.interruptedViewers == 3)
        #expect(summary.evicted == 1)
    }
}
