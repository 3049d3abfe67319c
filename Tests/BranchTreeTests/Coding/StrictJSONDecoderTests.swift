import Foundation
import Testing

@testable import BranchTree

@Suite("Strict JSON decoder")
struct StrictJSONDecoderTests {
    /// One field of every integer width, and the other kinds the decoder reads.
    struct Sample: Decodable, Equatable {
        var int: Int?
        var int8: Int8?
        var int64: Int64?
        var uint8: UInt8?
        var uint64: UInt64?
        var double: Double?
        var text: String?
        var flag: Bool?
        var list: [UInt64]?
        var nested: [String: [Int]]?
    }

    static func decode<Value: Decodable>(_ type: Value.Type, _ json: String) throws(BranchTreeError) -> Value {
        try StrictJSONDecoder.decode(type, from: Data(json.utf8), failure: BranchTreeError.malformedMessage)
    }

    /// The failure's text, or nil when `json` decodes.
    static func failure(_ json: String) -> String? {
        do {
            _ = try decode(Sample.self, json)
            return nil
        } catch {
            guard case .malformedMessage(let why) = error else { return "unexpected \(error)" }
            return why
        }
    }

    @Test func decodesEveryKind() throws {
        let json = #"""
            {"int":-7,"int8":-128,"int64":9223372036854775807,"uint8":255,"uint64":18446744073709551615,
             "double":1.5e3,"text":"é","flag":false,"list":[0,1],"nested":{"a":[-0,2]}}
            """#
        #expect(
            try Self.decode(Sample.self, json)
                == Sample(
                    int: -7, int8: -128, int64: .max, uint8: 255, uint64: .max, double: 1500, text: "é", flag: false,
                    list: [0, 1], nested: ["a": [0, 2]]))
        #expect(try Self.decode(Sample.self, #"{"int":null}"#) == Sample())
    }

    @Test(
        "An integer comes only from an integer literal",
        arguments: [
            (#"{"int":1.0}"#, "int: must be an integer, got 1.0"),
            (#"{"int":1e2}"#, "int: must be an integer, got 1e2"),
            (#"{"int":1E+2}"#, "int: must be an integer, got 1E+2"),
            (#"{"int":-0.0}"#, "int: must be an integer, got -0.0"),
            (#"{"uint64":1.5}"#, "uint64: must be an integer, got 1.5"),
            (#"{"list":[1,2.0]}"#, "list[1]: must be an integer, got 2.0"),
            (#"{"nested":{"a":[1e0]}}"#, "nested.a[0]: must be an integer, got 1e0"),
        ])
    func fractionsAndExponents(json: String, expected: String) {
        #expect(Self.failure(json) == expected)
    }

    @Test(
        "Integers must fit their type; unsigned ones take no minus sign, not even -0",
        arguments: [
            (#"{"uint64":-0}"#, "uint64: must be an integer in 0...18446744073709551615, got -0"),
            (#"{"uint64":-1}"#, "uint64: must be an integer in 0...18446744073709551615, got -1"),
            (
                #"{"uint64":18446744073709551616}"#,
                "uint64: must be an integer in 0...18446744073709551615, got 18446744073709551616"
            ),
            (#"{"uint8":256}"#, "uint8: must be an integer in 0...255, got 256"),
            (#"{"uint8":-0}"#, "uint8: must be an integer in 0...255, got -0"),
            (#"{"int8":-129}"#, "int8: must be an integer in -128...127, got -129"),
            (
                #"{"int":9223372036854775808}"#,
                "int: must be an integer in -9223372036854775808...9223372036854775807, got 9223372036854775808"
            ),
            (#"{"list":[-0]}"#, "list[0]: must be an integer in 0...18446744073709551615, got -0"),
        ])
    func ranges(json: String, expected: String) {
        #expect(Self.failure(json) == expected)
    }

    @Test func aValueAtTheTopIsTheDocument() throws {
        #expect(throws: BranchTreeError.malformedMessage("the document: must be an integer, got 1.0")) {
            try Self.decode(UInt64.self, "1.0")
        }
        #expect(throws: BranchTreeError.malformedMessage("the document is null, expected Int")) {
            try Self.decode(Int.self, "null")
        }
        #expect(try Self.decode([Int].self, " [1, -0] ") == [1, 0])
    }

    @Test("A long literal is cut short in the message")
    func longLiteral() {
        let digits = String(repeating: "9", count: 10_000)
        #expect(
            Self.failure(#"{"int":"# + digits + "}")
                == "int: must be an integer in -9223372036854775808...9223372036854775807, got \(digits.prefix(40))…")
    }

    @Test(
        "Other mistakes read as Foundation's do",
        arguments: [
            (#"{"int":"1"}"#, "int is not of type Int"),
            (#"{"text":1}"#, "text is not of type String"),
            (#"{"flag":0}"#, "flag is not of type Bool"),
            (#"{"list":{}}"#, "list is not of type Array<Any>"),
            (#"{"list":[1,null]}"#, "list[1] is null, expected UInt64"),
            (#"{"nested":[]}"#, "nested is not of type Dictionary<String, Any>"),
            (#"{"double":1e999}"#, "double: must be a finite Double, got 1e999"),
            ("[]", "the document is not of type Dictionary<String, Any>"),
            (#"{"int":1,"int":1}"#, #"repeated key "int""#),
            (#"{"text":"a"#, "the data is not valid JSON: unterminated string at byte 9"),
        ])
    func otherMistakes(json: String, expected: String) {
        #expect(Self.failure(json) == expected)
    }

    /// A type that reads its fields the long way: nested and super decoders, nil checks
    /// and a fixed number of array elements.
    struct Manual: Decodable, Equatable {
        var first: Int
        var second: Int?
        var inner: Int

        private enum Keys: String, CodingKey { case pair, inner, missing }
        private enum InnerKeys: String, CodingKey { case value }

        init(first: Int, second: Int?, inner: Int) {
            (self.first, self.second, self.inner) = (first, second, inner)
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Keys.self)
            var pair = try container.nestedUnkeyedContainer(forKey: .pair)
            first = try pair.decode(Int.self)
            second = try pair.decodeNil() ? nil : try pair.decode(Int.self)
            #expect(pair.isAtEnd && pair.count == 2)
            #expect(throws: DecodingError.self) { _ = try pair.decode(Int.self) }
            inner = try container.nestedContainer(keyedBy: InnerKeys.self, forKey: .inner).decode(
                Int.self, forKey: .value)
            #expect(try container.superDecoder().singleValueContainer().decodeNil())
            #expect(try container.superDecoder(forKey: .inner).codingPath.map(\.stringValue) == ["inner"])
            #expect(!container.contains(.missing))
            #expect(Set(container.allKeys.map(\.stringValue)) == ["pair", "inner"])
        }
    }

    @Test func nestedContainersAndNils() throws {
        #expect(
            try Self.decode(Manual.self, #"{"pair":[1,null],"inner":{"value":3}}"#)
                == Manual(first: 1, second: nil, inner: 3))
        #expect(
            try Self.decode(Manual.self, #"{"inner":{"value":3},"pair":[1,2]}"#)
                == Manual(first: 1, second: 2, inner: 3))
        do {
            _ = try Self.decode(Manual.self, #"{"pair":[1,2],"inner":{"value":3.0}}"#)
            Issue.record("decoded 3.0 as an integer")
        } catch {
            #expect(error == .malformedMessage("inner.value: must be an integer, got 3.0"))
        }
    }
}
