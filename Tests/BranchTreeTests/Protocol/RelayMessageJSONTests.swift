import Foundation
import Testing

@testable import BranchTree

@Suite("RelayMessage JSON")
struct RelayMessageJSONTests {
    /// One message of every type, with every optional field both present and absent.
    static let samples: [RelayMessage] = [
        .join(.init()),
        .join(.init(relayable: true, capacity: 2)),
        .join(.init(relayable: false, capacity: 0)),
        .join(.init(relayable: false)),
        .closeBranch(.init(child: "Q", epoch: 17)),
        .branchData(.init(parent: "A", epoch: 17, depth: 1, children: [.init(id: "D", epoch: 9)], sequence: 21)),
        .branchData(.init(parent: "root", epoch: 0, depth: 0, children: [], sequence: 0)),
        .branchData(
            .init(
                parent: "ä/\"x\"", epoch: .max, depth: Int.max,
                children: [.init(id: "C1", epoch: 1), .init(id: "C2", epoch: .max)], sequence: .max)),
        .requestStream(.init(epoch: 17)),
        .requestStream(.init(epoch: 0)),
        .reconnectRoot,
    ]

    static func decode(_ json: String) throws(BranchTreeError) -> RelayMessage {
        try RelayMessage(jsonData: Data(json.utf8))
    }

    /// The text of the `.malformedMessage` that decoding `json` throws, or nil when it
    /// decodes or throws anything else.
    static func malformedReason(_ json: String) -> String? {
        do {
            _ = try decode(json)
            return nil
        } catch {
            guard case .malformedMessage(let why) = error else { return nil }
            return why
        }
    }

    // MARK: Round trip and exact bytes

    @Test(arguments: samples)
    func roundTripsThroughJSON(message: RelayMessage) throws {
        let data = message.jsonData()
        #expect(try RelayMessage(jsonData: data) == message)
        #expect(message.jsonData() == data, "encoding must be deterministic")
    }

    @Test(
        "Every type encodes to exact, sorted-key bytes",
        arguments: [
            (RelayMessage.join(.init()), #"{"relayable":true,"type":"join","version":1}"#),
            (
                .join(.init(relayable: false, capacity: 0)),
                #"{"capacity":0,"relayable":false,"type":"join","version":1}"#
            ),
            (.join(.init(capacity: 2)), #"{"capacity":2,"relayable":true,"type":"join","version":1}"#),
            (
                .closeBranch(.init(child: "Q", epoch: 17)),
                #"{"child":"Q","epoch":17,"type":"close_branch","version":1}"#
            ),
            (
                .branchData(
                    .init(parent: "A", epoch: 17, depth: 1, children: [.init(id: "D", epoch: 9)], sequence: 21)),
                #"{"children":[{"epoch":9,"id":"D"}],"depth":1,"epoch":17,"parent":"A","sequence":21,"type":"branch_data","version":1}"#
            ),
            (.requestStream(.init(epoch: 17)), #"{"epoch":17,"type":"request_stream","version":1}"#),
            (.reconnectRoot, #"{"type":"reconnect_root","version":1}"#),
        ])
    func pinnedBytes(message: RelayMessage, json: String) throws {
        #expect(String(decoding: message.jsonData(), as: UTF8.self) == json)
        #expect(try Self.decode(json) == message)
    }

    @Test("Type names are the seed's wire names")
    func typeNames() {
        #expect(
            Self.samples.map(\.typeName) == [
                "join", "join", "join", "join", "close_branch", "branch_data", "branch_data", "branch_data",
                "request_stream", "request_stream", "reconnect_root",
            ])
        #expect(RelayMessage.wireVersion == 1)
    }

    @Test("Epochs and sequences use the full UInt64 range")
    func largeNumbers() throws {
        let json = #"{"type":"close_branch","version":1,"child":"Q","epoch":18446744073709551615}"#
        #expect(try Self.decode(json) == .closeBranch(.init(child: "Q", epoch: .max)))
    }

    // MARK: Defaults and leniency

    @Test("join without relayable means relayable, without capacity means the fan-out")
    func joinDefaults() throws {
        #expect(try Self.decode(#"{"type":"join","version":1}"#) == .join(.init(relayable: true, capacity: nil)))
        #expect(
            try Self.decode(#"{"type":"join","version":1,"relayable":false}"#)
                == .join(.init(relayable: false, capacity: nil)))
        #expect(
            try Self.decode(#"{"type":"join","version":1,"capacity":null}"#)
                == .join(.init(relayable: true, capacity: nil)))
    }

    @Test(
        "Unknown keys are ignored, in any position",
        arguments: [
            (
                #"{"type":"join","version":1,"future":{"a":[1,2]},"relayable":false}"#,
                RelayMessage.join(.init(relayable: false))
            ),
            (#"{"x":1,"type":"reconnect_root","version":1,"child":"not-used"}"#, .reconnectRoot),
            (#"{"type":"request_stream","epoch":5,"version":1,"parent":7}"#, .requestStream(.init(epoch: 5))),
            (
                #"{"type":"close_branch","version":1,"child":"C","epoch":3,"depth":-1}"#,
                .closeBranch(.init(child: "C", epoch: 3))
            ),
            (
                #"{"type":"branch_data","version":1,"parent":"A","epoch":2,"depth":0,"children":[{"id":"B","epoch":2,"rtt":9}],"sequence":4,"note":"hi"}"#,
                .branchData(.init(parent: "A", epoch: 2, depth: 0, children: [.init(id: "B", epoch: 2)], sequence: 4))
            ),
        ])
    func unknownKeysAreIgnored(json: String, expected: RelayMessage) throws {
        #expect(try Self.decode(json) == expected)
    }

    @Test("Whitespace and key order do not matter")
    func layoutDoesNotMatter() throws {
        let json = """
            {
              "sequence" : 21, "version": 1, "type" :"branch_data",
              "children": [ { "id": "D", "epoch": 9 } ], "depth": 1, "parent": "A", "epoch": 17
            }
            """
        #expect(
            try Self.decode(json)
                == .branchData(
                    .init(parent: "A", epoch: 17, depth: 1, children: [.init(id: "D", epoch: 9)], sequence: 21)))
    }

    // MARK: Typed errors naming the field

    @Test(
        "Malformed messages throw .malformedMessage naming what is wrong",
        arguments: [
            // Not JSON, or not an object.
            ("", "not valid JSON"),
            ("join", "not valid JSON"),
            (#"{"type":"join","version":1"#, "not valid JSON"),
            ("[1,2]", "the document"),
            (#""join""#, "the document"),
            // Version.
            (#"{"type":"join"}"#, "version is missing"),
            (#"{"type":"join","version":2}"#, "version"),
            (#"{"type":"join","version":0}"#, "not supported"),
            (#"{"type":"join","version":"1"}"#, "version is not of type"),
            (#"{"type":"join","version":null}"#, "version is null"),
            // Type.
            (#"{"version":1}"#, "type is missing"),
            (#"{"version":1,"type":"leave"}"#, #"unknown type "leave""#),
            (#"{"version":1,"type":"JOIN"}"#, "unknown type"),
            (#"{"version":1,"type":7}"#, "type is not of type"),
            // Wrong field types.
            (#"{"type":"join","version":1,"relayable":"yes"}"#, "relayable is not of type"),
            (#"{"type":"join","version":1,"capacity":"2"}"#, "capacity is not of type"),
            (#"{"type":"close_branch","version":1,"child":3,"epoch":1}"#, "child is not of type"),
            (#"{"type":"close_branch","version":1,"child":"C","epoch":"1"}"#, "epoch is not of type"),
            (
                #"{"type":"branch_data","version":1,"parent":"A","epoch":1,"depth":0,"children":{},"sequence":1}"#,
                "children is not of type"
            ),
            (
                #"{"type":"branch_data","version":1,"parent":"A","epoch":1,"depth":0,"children":[{"id":"B"}],"sequence":1}"#,
                "children[0].epoch is missing"
            ),
            (
                #"{"type":"branch_data","version":1,"parent":"A","epoch":1,"depth":0,"children":[{"id":"B","epoch":1},{"epoch":2}],"sequence":1}"#,
                "children[1].id is missing"
            ),
            // Out of range.
            (#"{"type":"join","version":1,"capacity":-1}"#, "capacity: must not be negative"),
            (
                #"{"type":"branch_data","version":1,"parent":"A","epoch":1,"depth":-1,"children":[],"sequence":1}"#,
                "depth: must not be negative"
            ),
            // Missing fields.
            (#"{"type":"request_stream","version":1}"#, "epoch is missing"),
            (#"{"type":"close_branch","version":1,"epoch":3}"#, "child is missing"),
            (#"{"type":"close_branch","version":1,"child":"C"}"#, "epoch is missing"),
            (
                #"{"type":"branch_data","version":1,"parent":"A","depth":0,"children":[],"sequence":1}"#,
                "epoch is missing"
            ),
            (
                #"{"type":"branch_data","version":1,"epoch":1,"depth":0,"children":[],"sequence":1}"#,
                "parent is missing"
            ),
            (
                #"{"type":"branch_data","version":1,"parent":"A","epoch":1,"children":[],"sequence":1}"#,
                "depth is missing"
            ),
            (
                #"{"type":"branch_data","version":1,"parent":"A","epoch":1,"depth":0,"sequence":1}"#,
                "children is missing"
            ),
            (
                #"{"type":"branch_data","version":1,"parent":"A","epoch":1,"depth":0,"children":[]}"#,
                "sequence is missing"
            ),
            (
                #"{"type":"branch_data","version":1,"parent":null,"epoch":1,"depth":0,"children":[],"sequence":1}"#,
                "parent is null"
            ),
        ])
    func malformed(json: String, expected: String) {
        let reason = Self.malformedReason(json)
        #expect(reason?.contains(expected) == true, "got \(reason ?? "no .malformedMessage")")
    }

    /// Numbers that are valid JSON but do not fit the field's type. Foundation's
    /// `JSONDecoder` (swift-foundation on Linux) reports these as "The given data was not
    /// valid JSON" with an empty coding path; the decoder must name the field instead.
    @Test(
        "Numbers out of a field's range name the field",
        arguments: [
            (#"{"type":"request_stream","version":1,"epoch":-1}"#, "epoch"),
            (#"{"type":"request_stream","version":1,"epoch":1.5}"#, "epoch"),
            (#"{"type":"close_branch","version":1,"child":"C","epoch":18446744073709551616}"#, "epoch"),
            (
                #"{"type":"branch_data","version":1,"parent":"A","epoch":1,"depth":0.5,"children":[],"sequence":1}"#,
                "depth"
            ),
            (
                #"{"type":"branch_data","version":1,"parent":"A","epoch":1,"depth":0,"children":[],"sequence":-3}"#,
                "sequence"
            ),
            (#"{"type":"join","version":1.5}"#, "version"),
        ])
    func outOfRangeNumbers(json: String, field: String) {
        let reason = Self.malformedReason(json)
        // Always a typed error...
        #expect(reason != nil)
        // ...that names the field, and does not call valid JSON invalid.
        #expect(reason?.contains(field) == true, "got \(reason ?? "no .malformedMessage")")
        #expect(reason?.contains("not valid JSON") == false)
    }

    // MARK: Strict integers and keys

    /// A message with one integer field written as `%`, the field as errors name it (with
    /// the message's type once it is known), and whether the field is unsigned.
    static let integerFields: [(template: String, field: String, unsigned: Bool)] = [
        (#"{"type":"join","version":%}"#, "version", false),
        (#"{"type":"join","version":1,"capacity":%}"#, "join.capacity", false),
        (#"{"type":"close_branch","version":1,"child":"C","epoch":%}"#, "close_branch.epoch", true),
        (#"{"type":"request_stream","version":1,"epoch":%}"#, "request_stream.epoch", true),
        (
            #"{"type":"branch_data","version":1,"parent":"A","epoch":%,"depth":0,"children":[],"sequence":1}"#,
            "branch_data.epoch", true
        ),
        (
            #"{"type":"branch_data","version":1,"parent":"A","epoch":1,"depth":%,"children":[],"sequence":1}"#,
            "branch_data.depth", false
        ),
        (
            #"{"type":"branch_data","version":1,"parent":"A","epoch":1,"depth":0,"children":[],"sequence":%}"#,
            "branch_data.sequence", true
        ),
        (
            #"{"type":"branch_data","version":1,"parent":"A","epoch":1,"depth":0,"children":[{"id":"B","epoch":%}],"sequence":1}"#,
            "branch_data.children[0].epoch", true
        ),
    ]

    @Test("Every integer field refuses a fraction or an exponent, naming the field", arguments: integerFields)
    func integerFieldsRefuseFractions(template: String, field: String, unsigned: Bool) {
        for literal in ["1.0", "1e2", "2E+0", "0.5", "-0.0"] {
            #expect(
                Self.malformedReason(template.replacing("%", with: literal))
                    == "\(field): must be an integer, got \(literal)")
        }
    }

    @Test("Every integer field refuses numbers out of its range, and -0 where unsigned", arguments: integerFields)
    func integerFieldsRefuseOutOfRange(template: String, field: String, unsigned: Bool) {
        let (range, literals) =
            unsigned
            ? ("0...18446744073709551615", ["-0", "-1", "18446744073709551616", "99999999999999999999999"])
            : ("-9223372036854775808...9223372036854775807", ["9223372036854775808", "-9223372036854775809"])
        for literal in literals {
            #expect(
                Self.malformedReason(template.replacing("%", with: literal))
                    == "\(field): must be an integer in \(range), got \(literal)")
        }
    }

    @Test("-0 in a signed field is 0")
    func negativeZeroInSignedFields() throws {
        #expect(try Self.decode(#"{"type":"join","version":1,"capacity":-0}"#) == .join(.init(capacity: 0)))
        #expect(
            Self.malformedReason(#"{"type":"join","version":-0}"#)
                == "version: wire version 0 is not supported (expected 1)")
    }

    @Test(
        "A repeated key is refused, wherever it is and whatever its values",
        arguments: [
            (#"{"type":"close_branch","version":1,"child":"C","epoch":3,"epoch":3}"#, #"repeated key "epoch""#),
            (#"{"type":"close_branch","version":1,"child":"C","epoch":3,"epoch":4}"#, #"repeated key "epoch""#),
            (#"{"type":"join","type":"reconnect_root","version":1}"#, #"repeated key "type""#),
            (#"{"type":"join","version":1,"version":2}"#, #"repeated key "version""#),
            (#"{"type":"join","version":1,"relayable":true,"relayable":false}"#, #"repeated key "relayable""#),
            (
                #"{"type":"branch_data","version":1,"parent":"A","epoch":1,"depth":0,"children":[{"id":"B","epoch":1},{"id":"C","id":"D","epoch":1}],"sequence":1}"#,
                #"children[1]: repeated key "id""#
            ),
            (#"{"type":"join","version":1,"future":{"a":1,"a":2}}"#, #"future: repeated key "a""#),
            (#"{"type":"join","version":1,"x":1,"x":1}"#, #"repeated key "x""#),
        ])
    func repeatedKeys(json: String, expected: String) {
        #expect(Self.malformedReason(json) == expected)
    }

    /// A valid message made invalid in one of the two ways `JSONDecoder` lets through:
    /// one of its members written twice (before itself, so in the same object), or one of
    /// its integers written with a fraction or an exponent.
    static func loosened(_ message: RelayMessage, random: inout Xoshiro256StarStar) -> String {
        let text = String(decoding: message.jsonData(), as: UTF8.self)
        let members = text.matches(of: /"(\w+)":(-?\d+|true|false|"[^"\\]*")/)
        let member = members[random.next(below: members.count)]
        let value = String(member.output.2)
        if random.nextBool(probability: 0.5) || value.first?.isNumber != true {
            return String(text[..<member.range.lowerBound]) + member.output.0 + "," + text[member.range.lowerBound...]
        }
        let loose = value + [".0", "e0", "E+0", ".00", "e-0"][random.next(below: 5)]
        return String(text[..<member.range.lowerBound]) + "\"\(member.output.1)\":" + loose
            + text[member.range.upperBound...]
    }

    @Test(
        "A repeated member or an integer with a fraction or exponent is always refused",
        arguments: 0..<4 as Range<UInt64>)
    func fuzzLoosenedMessages(seed: UInt64) {
        var random = Xoshiro256StarStar(seed: 0x5791_C700 + seed)
        for iteration in 0..<300 {
            let json = Self.loosened(Self.samples[random.next(below: Self.samples.count)], random: &random)
            #expect(Self.malformedReason(json) != nil, "seed \(seed) iteration \(iteration): \(json) decoded")
        }
    }

    @Test("A missing version is reported before anything else")
    func versionFirst() {
        #expect(Self.malformedReason(#"{"type":"nonsense"}"#) == "version is missing")
        #expect(Self.malformedReason("{}") == "version is missing")
    }

    @Test("The error's description reads as a malformed message")
    func description() throws {
        let error = try #require(throws: BranchTreeError.self) { try Self.decode(#"{"version":1}"#) }
        #expect(error == .malformedMessage("type is missing"))
        #expect(error.description == "malformed message: type is missing")
    }

    // MARK: Fuzz

    /// Decodes `bytes`: a message that must re-encode to itself, or `.malformedMessage`.
    static func decodeCleanly(_ bytes: [UInt8]) -> String? {
        do {
            let message = try RelayMessage(jsonData: Data(bytes))
            let again = try RelayMessage(jsonData: message.jsonData())
            return again == message ? nil : "\(message) re-decodes as \(again)"
        } catch {
            guard case .malformedMessage = error else { return "unexpected error \(error)" }
            return nil
        }
    }

    @Test("Random bytes either decode or throw .malformedMessage", arguments: 0..<8 as Range<UInt64>)
    func fuzzRandomBytes(seed: UInt64) {
        var random = Xoshiro256StarStar(seed: 0xB17E_0000 + seed)
        let alphabet = Array(#"{}[]":,.-+eE0123456789 \truefalsnl"#.utf8)
        var decoded = 0
        for iteration in 0..<500 {
            let length = random.next(below: 48)
            let bytes: [UInt8] = (0..<length).map { _ in
                random.nextBool(probability: 0.5)
                    ? alphabet[random.next(below: alphabet.count)] : UInt8(truncatingIfNeeded: random.next())
            }
            if let failure = Self.decodeCleanly(bytes) {
                Issue.record("seed \(seed) iteration \(iteration) bytes \(bytes): \(failure)")
                return
            }
            if (try? RelayMessage(jsonData: Data(bytes))) != nil { decoded += 1 }
        }
        // Random bytes are practically never a valid message.
        #expect(decoded < 5)
    }

    /// A valid message with a few random edits: truncation, byte flips, insertions,
    /// deletions, and values swapped for other JSON values.
    static func mutate(_ message: RelayMessage, random: inout Xoshiro256StarStar) -> [UInt8] {
        var bytes = Array(message.jsonData())
        let values = [
            "-1", "0", "1", "1.5", "1e3", "-0", "18446744073709551616", "9223372036854775808", "null", "true",
            "\"\"", "\"x\"", "[]", "{}", "[{\"id\":\"Z\",\"epoch\":1}]", "[{}]", "\"root\"",
        ].map { Array($0.utf8) }
        let keys = [
            "type", "version", "relayable", "capacity", "child", "epoch", "parent", "depth", "children",
            "sequence", "id",
        ]
        let types = ["join", "close_branch", "branch_data", "request_stream", "reconnect_root", "leave"]
        for _ in 0..<(1 + random.next(below: 3)) {
            guard !bytes.isEmpty else { break }
            switch random.next(below: 7) {
            case 0:  // truncate
                bytes.removeSubrange(random.next(below: bytes.count)...)
            case 1:  // flip a byte
                let position = random.next(below: bytes.count)
                bytes[position] ^= UInt8(truncatingIfNeeded: 1 + random.next(below: 255))
            case 2:  // delete a byte
                bytes.remove(at: random.next(below: bytes.count))
            case 3:  // insert a structural byte
                let structural = Array(#"{}[]":,0-"#.utf8)
                bytes.insert(structural[random.next(below: structural.count)], at: random.next(below: bytes.count + 1))
            case 4:  // swap a value for another JSON value
                let text = String(decoding: bytes, as: UTF8.self)
                let key = keys[random.next(below: keys.count)]
                guard let range = text.range(of: "\"\(key)\":") else { continue }
                var end = range.upperBound
                var nesting = 0
                while end < text.endIndex {
                    let character = text[end]
                    if character == "[" || character == "{" { nesting += 1 }
                    if character == "]" || character == "}" {
                        if nesting == 0 { break }
                        nesting -= 1
                    }
                    if character == ",", nesting == 0 { break }
                    end = text.index(after: end)
                }
                let value = values[random.next(below: values.count)]
                bytes = Array(text[..<range.upperBound].utf8) + value + Array(text[end...].utf8)
            case 5:  // swap the type
                let text = String(decoding: bytes, as: UTF8.self)
                let type = types[random.next(below: types.count)]
                bytes = Array(text.replacingOccurrences(of: "\"\(message.typeName)\"", with: "\"\(type)\"").utf8)
            default:  // drop a key
                let text = String(decoding: bytes, as: UTF8.self)
                let key = keys[random.next(below: keys.count)]
                bytes = Array(text.replacingOccurrences(of: "\"\(key)\":", with: "\"_\(key)\":").utf8)
            }
        }
        return bytes
    }

    @Test("Mutated valid messages either decode or throw .malformedMessage", arguments: 0..<8 as Range<UInt64>)
    func fuzzMutations(seed: UInt64) {
        var random = Xoshiro256StarStar(seed: 0x3E55_A6E0 + seed)
        var outcomes = (decoded: 0, rejected: 0)
        for iteration in 0..<400 {
            let message = Self.samples[random.next(below: Self.samples.count)]
            let bytes = Self.mutate(message, random: &random)
            if let failure = Self.decodeCleanly(bytes) {
                Issue.record(
                    "seed \(seed) iteration \(iteration): \(String(decoding: bytes, as: UTF8.self)): \(failure)")
                return
            }
            if (try? RelayMessage(jsonData: Data(bytes))) != nil {
                outcomes.decoded += 1
            } else {
                outcomes.rejected += 1
            }
        }
        // The mutations reach both sides: some edits keep a valid message, most do not.
        #expect(outcomes.decoded > 0)
        #expect(outcomes.rejected > outcomes.decoded)
    }

    @Test("Deeply nested input is rejected, not a crash")
    func deepNesting() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(Self.malformedReason(deep) != nil)
        let deepValue =
            #"{"type":"join","version":1,"x":"# + String(repeating: "{\"a\":", count: 2_000) + "1"
            + String(repeating: "}", count: 2_000) + "}"
        // Either the decoder reads past the unknown key or it refuses the depth; it must not trap.
        do {
            #expect(try Self.decode(deepValue) == .join(.init()))
        } catch {
            guard case .malformedMessage = error else {
                Issue.record("unexpected \(error)")
                return
            }
        }
    }
}
