import Foundation
import Testing
@testable import BranchTree

@Suite("Snapshot JSON")
struct SnapshotJSONTests {
    /// A tree with some history: migrations, a non-relayable viewer, a low-capacity one.
    static func sampleTree() throws -> BranchTree {
        var tree = try BranchTree(fanout: 3)
        for index in 0..<20 { try tree.join(ViewerID("v\(index)")) }
        try tree.join("quiet", relayable: false)
        try tree.join("weak", capacity: 1)
        for index in [3, 0, 11, 7] { try tree.leave(ViewerID("v\(index)")) }
        return tree
    }

    @Test func roundTripsThroughJSON() throws {
        let tree = try Self.sampleTree()
        let restored = try BranchTree(snapshot: BranchTree.Snapshot(jsonData: tree.snapshot().jsonData()))
        #expect(restored == tree)
    }

    @Test func encodingIsByteIdenticalEveryTime() throws {
        let snapshot = try Self.sampleTree().snapshot()
        let first = snapshot.jsonData()
        for _ in 0..<20 { #expect(snapshot.jsonData() == first) }
        #expect(try Self.sampleTree().snapshot().jsonData(prettyPrinted: true)
            == snapshot.jsonData(prettyPrinted: true))
    }

    @Test(arguments: [
        ("not json at all", "not valid JSON"),
        ("{}", "formatVersion is missing"),
        (#"{"formatVersion":"one"}"#, "formatVersion is not of type"),
        (#"{"formatVersion":1,"broadcaster":"root","configuration":{"fanout":0},"firstViewers":[],"levels":[],"nodes":[]}"#,
         "configuration"),
        (#"{"formatVersion":1,"broadcaster":"root","configuration":{"fanout":2},"firstViewers":["A"],"levels":[["A"]],"nodes":[{"id":"A","parent":"root","depth":0,"children":[],"capacity":"x"}]}"#,
         "nodes[0].capacity"),
    ])
    func badJSONNamesTheProblem(json: String, expected: String) {
        #expect {
            try BranchTree.Snapshot(jsonData: Data(json.utf8))
        } throws: { error in
            guard case .malformedSnapshot(let why) = error as? BranchTreeError else { return false }
            return why.contains(expected)
        }
    }

    /// Outside input: random byte edits of a valid snapshot either restore to a tree that
    /// validates, or fail with `.malformedSnapshot` — never a crash or another error.
    @Test(arguments: 0..<400 as Range<UInt64>)
    func fuzzedSnapshotsFailCleanly(seed: UInt64) throws {
        var random = Xoshiro256StarStar(seed: seed)
        var bytes = Array(try Self.sampleTree().snapshot().jsonData())
        let alphabet = Array(#"{}[]":,0123456789-truefalsnl vABCroot"#.utf8)
        for _ in 0..<(1 + random.next(below: 4)) {
            let position = random.next(below: bytes.count)
            switch random.next(below: 3) {
            case 0: bytes[position] = alphabet[random.next(below: alphabet.count)]
            case 1: bytes.remove(at: position)
            default: bytes.insert(alphabet[random.next(below: alphabet.count)], at: position)
            }
        }
        do {
            let tree = try BranchTree(snapshot: BranchTree.Snapshot(jsonData: Data(bytes)))
            try tree.validate()
        } catch {
            guard case .malformedSnapshot = error else {
                Issue.record("seed \(seed): unexpected error \(error)")
                return
            }
        }
    }
}
