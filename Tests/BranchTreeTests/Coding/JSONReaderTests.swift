import Foundation
import Testing

@testable import BranchTree

@Suite("Strict JSON reader")
struct JSONReaderTests {
    static func read(_ text: String) throws(JSONReader.Failure) -> JSONValue {
        try JSONReader.read(Array(text.utf8))
    }

    /// The failure's description, or nil when the text reads.
    static func failure(_ text: String) -> String? {
        do {
            _ = try read(text)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func readsEveryKindOfValue() throws {
        let value = try Self.read(#" {"a":[null,true,false,-0,1.5e-3,"x\u00e9\n"],"b":{}} "#)
        guard case .object(let members) = value, members.map(\.key) == ["a", "b"],
            case .array(let elements) = members[0].value, elements.count == 6
        else {
            Issue.record("unexpected \(value)")
            return
        }
        guard case .number("-0") = elements[3], case .number("1.5e-3") = elements[4],
            case .string("xé\n") = elements[5], case .object(let empty) = members[1].value, empty.isEmpty
        else {
            Issue.record("unexpected \(elements)")
            return
        }
    }

    @Test(
        "Numbers keep their literal text", arguments: ["0", "-0", "17", "1.0", "1e2", "1E+2", "18446744073709551616"])
    func numbersKeepTheirLiteral(literal: String) throws {
        guard case .number(let kept) = try Self.read(literal) else {
            Issue.record("not a number")
            return
        }
        #expect(kept == literal)
    }

    @Test(
        "A repeated key is refused, naming the key and the object that holds it",
        arguments: [
            (#"{"epoch":1,"epoch":1}"#, #"repeated key "epoch""#),
            (#"{"epoch":1,"epoch":2.5}"#, #"repeated key "epoch""#),
            (#"{"a":{"b":[{"c":1},{"d":1,"d":null}]}}"#, #"a.b[1]: repeated key "d""#),
            (#"{"nodes":[{"id":"A","depth":0,"depth":0}]}"#, #"nodes[0]: repeated key "depth""#),
            (#"[[{"x":1}],[{"x":1,"y":2,"x":3}]]"#, #"[1][0]: repeated key "x""#),
            (#"{"a\n\"b":1,"a\n\"b":2}"#, #"repeated key "a\n\"b""#),
        ])
    func repeatedKeys(json: String, expected: String) {
        #expect(Self.failure(json) == expected)
    }

    @Test("Keys that differ only in escapes are the same key")
    func escapedRepeat() {
        #expect(Self.failure(#"{"epoch":1,"\u0065poch":2}"#) == #"repeated key "epoch""#)
        #expect(Self.failure(#"{"Epoch":1,"epoch":2}"#) == nil)
    }

    @Test("A repeat among many keys is found, and many distinct keys read in linear time")
    func manyKeys() throws {
        let keys = (0..<5_000).map { "\"k\($0)\":\($0)" }
        #expect(Self.failure("{" + keys.joined(separator: ",") + "}") == nil)
        #expect(Self.failure("{" + (keys + [#""k4321":0"#]).joined(separator: ",") + "}") == #"repeated key "k4321""#)
        #expect(Self.failure("{" + ([#""k17":0"#] + keys).joined(separator: ",") + "}") == #"repeated key "k17""#)
    }

    @Test(
        "Syntax errors say the data is not JSON and where",
        arguments: [
            ("", "the data is not valid JSON: unexpected end of input at byte 1"),
            ("nul", "the data is not valid JSON: expected 'null' at byte 1"),
            (#"{"a":1,}"#, "the data is not valid JSON: unexpected '}', expected a string key at byte 8"),
            (#"{"a":1} x"#, "the data is not valid JSON: unexpected text after the value at byte 9"),
            ("01", "the data is not valid JSON: leading zero in a number at byte 2"),
            ("1.", "the data is not valid JSON: unexpected end of input, expected a digit at byte 3"),
            ("[1e]", "the data is not valid JSON: unexpected ']', expected a digit at byte 4"),
            (#"{"a":[1,2}"#, "the data is not valid JSON: unexpected '}', expected ',' or ']' at byte 10"),
            (#""\ud800""#, "the data is not valid JSON: lone surrogate in a \\u escape at byte 8"),
            ("\"a\u{1}\"", "the data is not valid JSON: unescaped control character in a string at byte 3"),
            (#"{'a':1}"#, "the data is not valid JSON: unexpected ''', expected a string key at byte 2"),
        ])
    func syntaxErrors(json: String, expected: String) {
        #expect(Self.failure(json) == expected)
    }

    @Test func invalidUTF8IsRefused() {
        let bytes = Array(#"{"a":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
        #expect(throws: JSONReader.Failure.self) { try JSONReader.read(bytes) }
    }

    @Test func aByteOrderMarkIsSkipped() throws {
        let value = try JSONReader.read([0xEF, 0xBB, 0xBF] + Array("[]".utf8))
        guard case .array(let elements) = value, elements.isEmpty else {
            Issue.record("unexpected \(value)")
            return
        }
    }

    @Test func nestingIsLimited() {
        let limit = JSONReader.maximumDepth
        let fits = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        #expect(Self.failure(fits) == nil)
        let deep = String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1)
        #expect(Self.failure(deep) == "the data nests deeper than \(limit) levels at byte \(limit + 1)")
        #expect(Self.failure(String(repeating: "{\"a\":", count: 100_000)) != nil)
    }

    @Test("Long keys and literals are cut short in messages")
    func excerpts() {
        let key = String(repeating: "k", count: 1_000)
        #expect(Self.failure("{\"\(key)\":1,\"\(key)\":2}") == "repeated key \"\(String(repeating: "k", count: 40))…\"")
    }

    @Test("Random bytes never trap", arguments: 0..<4 as Range<UInt64>)
    func randomBytes(seed: UInt64) {
        var random = Xoshiro256StarStar(seed: 0x5EAD_0000 + seed)
        let alphabet = Array(#"{}[]":,.-+eE0123456789 \truefalsnlu"#.utf8)
        for _ in 0..<2_000 {
            let bytes: [UInt8] = (0..<random.next(below: 40)).map { _ in
                random.nextBool(probability: 0.8)
                    ? alphabet[random.next(below: alphabet.count)] : UInt8(truncatingIfNeeded: random.next())
            }
            _ = try? JSONReader.read(bytes)
        }
    }

    @Test func stringEscapesAreDecoded() throws {
        func read(_ text: String) throws -> JSONValue { try JSONReader.read(Array(text.utf8)) }
        #expect(try read(#""a\"b\\c\/d\b\f\n\r\t""#) == .string("a\"b\\c/d\u{08}\u{0C}\n\r\t"))
        #expect(try read(#""\u00e9\u4E2D\ud83d\ude00""#) == .string("é中😀"))
        #expect(try read("\"é中😀\"") == .string("é中😀"))
        #expect(try read(#""\u0000""#) == .string("\u{0}"))
    }

    @Test(
        "Everything RFC 8259 refuses is refused",
        arguments: [
            "", " ", "{", "}", "[1,]", "{\"a\":1,}", "{'a':1}", "{a:1}", "01", "1.", ".5", "-", "+1", "1e", "--1",
            "tru", "nul", "True", "NaN", "Infinity", "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\ud800\"", "\"\\udc00\"",
            "\"\\ud800\\u0041\"", "\"a\u{01}b\"", "\"tab\there\"", "[1 2]", "{\"a\" 1}", "{\"a\":}", "1 2", "[] x",
            "// c", "/* c */ 1", "{\"a\":1}}",
        ])
    func invalidJSONIsRefused(text: String) {
        #expect(throws: JSONReader.Failure.self) { try JSONReader.read(Array(text.utf8)) }
    }

    @Test func whatItAcceptsFoundationAcceptsToo() {
        var random = Xoshiro256StarStar(seed: 11)
        let alphabet = Array("{}[]\":,\\ tfn01-.eE\"ua".utf8) + [0x80, 0xC3, 0xFF, 0x00, 0x0A]
        for _ in 0..<5_000 {
            let bytes = (0..<random.next(below: 12)).map { _ in alphabet[random.next(below: alphabet.count)] }
            let ours = (try? JSONReader.read(bytes)) != nil
            let foundation =
                (try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])) != nil
            // Foundation is more lenient in places (unescaped control characters on some
            // versions); it must never refuse what this reader accepts.
            if ours { #expect(foundation, "\(bytes)") }
        }
    }
}
