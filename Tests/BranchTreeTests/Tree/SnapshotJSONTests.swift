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
        #expect(
            try Self.sampleTree().snapshot().jsonData(prettyPrinted: true)
                == snapshot.jsonData(prettyPrinted: true))
    }

    @Test(arguments: [
        ("not json at all", "not valid JSON"),
        ("{}", "formatVersion is missing"),
        (#"{"formatVersion":"one"}"#, "formatVersion is not of type"),
        (
            #"{"formatVersion":1,"broadcaster":"root","configuration":{"fanout":0},"firstViewers":[],"levels":[],"nodes":[]}"#,
            "configuration"
        ),
        (
            #"{"formatVersion":1,"broadcaster":"root","configuration":{"fanout":2},"firstViewers":["A"],"levels":[["A"]],"nodes":[{"id":"A","parent":"root","depth":0,"children":[],"capacity":"x"}]}"#,
            "nodes[0].capacity"
        ),
    ])
    func badJSONNamesTheProblem(json: String, expected: String) {
        #expect {
            try BranchTree.Snapshot(jsonData: Data(json.utf8))
        } throws: { error in
            guard case .malformedSnapshot(let why) = error as? BranchTreeError else { return false }
            return why.contains(expected)
        }
    }

    @Test func prettyPrintedRoundTrips() throws {
        let snapshot = try Self.sampleTree().snapshot()
        #expect(try BranchTree.Snapshot(jsonData: snapshot.jsonData(prettyPrinted: true)) == snapshot)
    }

    /// The smallest complete snapshot, with every integer field.
    static let minimal =
        #"{"formatVersion":1,"broadcaster":"root","configuration":{"fanout":2,"broadcasterFanout":1},"#
        + #""firstViewers":["A"],"levels":[["A"]],"#
        + #""nodes":[{"id":"A","parent":"root","depth":0,"children":[],"capacity":2}],"version":3,"linkEpochs":[3]}"#

    /// Every integer field of ``minimal``: its text there, its path as errors name it,
    /// and whether it is unsigned.
    static let integerFields: [(original: String, field: String, unsigned: Bool)] = [
        (#""formatVersion":1"#, "formatVersion", false),
        (#""fanout":2"#, "configuration.fanout", false),
        (#""broadcasterFanout":1"#, "configuration.broadcasterFanout", false),
        (#""depth":0"#, "nodes[0].depth", false),
        (#""capacity":2"#, "nodes[0].capacity", false),
        (#""version":3"#, "version", true),
        (#""linkEpochs":[3]"#, "linkEpochs[0]", true),
    ]

    static func malformedReason(_ json: String) -> String? {
        do {
            _ = try BranchTree.Snapshot(jsonData: Data(json.utf8))
            return nil
        } catch {
            guard case .malformedSnapshot(let why) = error else { return "unexpected \(error)" }
            return why
        }
    }

    /// ``minimal`` with `field`'s number written as `literal`.
    static func replacing(_ original: String, with literal: String) -> String {
        let number = original.firstIndex { $0.isNumber }!
        let end = original[number...].firstIndex { !$0.isNumber } ?? original.endIndex
        return minimal.replacing(original, with: original[..<number] + literal + original[end...])
    }

    @Test func theMinimalSnapshotRestores() throws {
        #expect(Self.malformedReason(Self.minimal) == nil)
        #expect(try BranchTree(snapshot: BranchTree.Snapshot(jsonData: Data(Self.minimal.utf8))).count == 1)
    }

    @Test("Every integer field refuses a fraction or an exponent, naming the field", arguments: integerFields)
    func integerFieldsRefuseFractions(original: String, field: String, unsigned: Bool) {
        for literal in ["1.0", "1e2", "2E+0", "0.5"] {
            #expect(
                Self.malformedReason(Self.replacing(original, with: literal))
                    == "\(field): must be an integer, got \(literal)")
        }
    }

    @Test("Every integer field refuses numbers out of its range, and -0 where unsigned", arguments: integerFields)
    func integerFieldsRefuseOutOfRange(original: String, field: String, unsigned: Bool) {
        let (range, literals) =
            unsigned
            ? ("0...18446744073709551615", ["-0", "-1", "18446744073709551616"])
            : ("-9223372036854775808...9223372036854775807", ["9223372036854775808", "-9223372036854775809"])
        for literal in literals {
            #expect(
                Self.malformedReason(Self.replacing(original, with: literal))
                    == "\(field): must be an integer in \(range), got \(literal)")
        }
    }

    @Test(
        "A repeated key is refused, naming the object that holds it",
        arguments: [
            (#""version":3"#, #""version":3,"version":3"#, #"repeated key "version""#),
            (#""levels""#, #""levels":[],"levels""#, #"repeated key "levels""#),
            (#""fanout":2"#, #""fanout":2,"fanout":3"#, #"configuration: repeated key "fanout""#),
            (#""capacity":2"#, #""capacity":2,"capacity":0"#, #"nodes[0]: repeated key "capacity""#),
            (#""id":"A""#, #""id":"A","id":"A""#, #"nodes[0]: repeated key "id""#),
        ])
    func repeatedKeys(original: String, repeated: String, expected: String) {
        #expect(Self.malformedReason(Self.minimal.replacing(original, with: repeated)) == expected)
    }

    /// Like the byte fuzz below, but each edit is one `JSONDecoder` lets through: a member
    /// of the sample tree's snapshot written twice, or one of its integers with a
    /// fraction or an exponent. Every one must be refused.
    @Test(arguments: 0..<4 as Range<UInt64>)
    func loosenedSnapshotsAreRefused(seed: UInt64) throws {
        var random = Xoshiro256StarStar(seed: 0x1005_E000 + seed)
        let text = String(decoding: try Self.sampleTree().snapshot().jsonData(), as: UTF8.self)
        let members = text.matches(of: /"(\w+)":(-?\d+|true|false|"[^"\\]*")/)
        let numbers = text.matches(of: /[:,\[](\d+)/)
        for iteration in 0..<100 {
            let json: String
            if random.nextBool(probability: 0.5) {
                let member = members[random.next(below: members.count)]
                json =
                    String(text[..<member.range.lowerBound]) + member.output.0 + "," + text[member.range.lowerBound...]
            } else {
                let number = numbers[random.next(below: numbers.count)]
                let loose = ["\(number.output.1).0", "\(number.output.1)e0", "\(number.output.1)E1"][
                    random.next(below: 3)]
                json = String(text[..<number.output.1.startIndex]) + loose + text[number.range.upperBound...]
            }
            #expect(Self.malformedReason(json) != nil, "seed \(seed) iteration \(iteration): \(json) decoded")
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
