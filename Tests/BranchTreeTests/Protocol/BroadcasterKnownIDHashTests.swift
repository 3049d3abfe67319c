import BranchTreeTesting
import Testing

@testable import BranchTree

@Suite("BroadcasterStateMachine id-hash hints")
struct BroadcasterKnownIDHashTests {
    /// The id an input names: its sender, or the viewer it is about.
    static func namedID(_ input: BroadcasterStateMachine.Input) -> ViewerID? {
        switch input {
        case .received(_, let sender): sender
        case .downstreamConnected(let id), .downstreamClosed(let id), .viewerDisconnected(let id): id
        case .timerFired, .restarted: nil
        }
    }

    /// A machine given each input's id with its hash, or a hint for another id with a
    /// wrong hash, acts as one given none.
    @Test("A hint changes no action", arguments: 0..<3 as Range<UInt64>)
    func hintsChangeNothing(batch: UInt64) throws {
        var hinted = 0
        for seed in (batch * 40)..<((batch + 1) * 40) {
            let tree = try BranchTree(fanout: 3)
            var plain = BroadcasterStateMachine(tree: tree)
            var right = BroadcasterStateMachine(tree: tree)
            var wrong = BroadcasterStateMachine(tree: tree)
            var now = Timestamp.zero
            var snapshots = [tree.snapshot()]
            for op in ProtocolFuzzTests.broadcasterOps(seed: seed, count: 150) {
                now = now + .milliseconds(1)
                guard let (input, _) = try ProtocolFuzzTests.input(for: op, in: plain.tree, snapshots: snapshots) else {
                    if case .wait(let milliseconds) = op { now = now + .milliseconds(milliseconds) }
                    continue
                }
                if let id = Self.namedID(input) {
                    right.knownIDHash = (id, BranchTree.indexHash(of: id))
                    wrong.knownIDHash = (ViewerID(id.rawValue + "-other"), BranchTree.indexHash(of: id) &+ 1)
                    hinted += 1
                }
                let expected = plain.handle(input, at: now)
                let withRight = right.handle(input, at: now)
                let withWrong = wrong.handle(input, at: now)
                guard withRight == expected, withWrong == expected, right.knownIDHash == nil else {
                    Issue.record("seed \(seed): \(op) gave \(withRight) and \(withWrong), expected \(expected)")
                    return
                }
                snapshots.append(plain.tree.snapshot())
            }
        }
        #expect(hinted > 1_000)
    }
}
