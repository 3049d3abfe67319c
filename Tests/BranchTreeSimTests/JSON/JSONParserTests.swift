import BranchTree
import BranchTreeSim
import Foundation
import Testing

@Suite struct JSONParserTests {
    private func parse(_ text: String) throws(JSONParser.Failure) -> JSONValue {
        try JSONParser.parse(Array(text.utf8))
    }

    @Test func objectsKeepOrderAndDuplicates() throws {
        #expect(try parse(#" {"b":1, "a":[true,false,null], "b":"x"} "#) == .object([
            .init("b", .number("1")), .init("a", .array([.bool(true), .bool(false), .null])), .init("b", .string("x")),
        ]))
        #expect(try parse("{}") == .object([]))
        #expect(try parse("[ ]") == .array([]))
    }

    @Test(arguments: ["0", "-0", "12", "-3.25", "1e9", "1E+2", "2.5e-3"])
    func numbersKeepTheirLiteral(literal: String) throws {
        #expect(try parse(literal) == .number(literal))
    }

    @Test func stringEscapes() throws {
        #expect(try parse(#""a\"b\\c\/d\b\f\n\r\t""#) == .string("a\"b\\c/d\u{08}\u{0C}\n\r\t"))
        #expect(try parse(#""\u00e9\u4E2D\ud83d\ude00""#) == .string("é中😀"))
        #expect(try parse("\"é中😀\"") == .string("é中😀"))
        #expect(try parse(#""\u0000""#) == .string("\u{0}"))
    }

    @Test(arguments: [
        "", " ", "{", "}", "[1,]", "{\"a\":1,}", "{'a':1}", "{a:1}", "01", "1.", ".5", "-", "+1", "1e", "--1",
        "tru", "nul", "True", "NaN", "Infinity", "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\ud800\"", "\"\\udc00\"",
        "\"\\ud800\\u0041\"", "\"a\u{01}b\"", "\"tab\there\"", "[1 2]", "{\"a\" 1}", "{\"a\":}", "1 2", "[] x",
        "// c", "/* c */ 1", "{\"a\":1}}",
    ])
    func rejectsInvalidJSON(text: String) {
        #expect(throws: JSONParser.Failure.self) { try parse(text) }
    }

    @Test func rejectsInvalidUTF8InStrings() {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse([0x22, 0xC3, 0x28, 0x22]) }
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse([0x22, 0xED, 0xA0, 0x80, 0x22]) }
    }

    @Test func failuresNameTheColumn() {
        #expect(throws: JSONParser.Failure(reason: "unexpected 'x', expected ',' or '}'", column: 9)) {
            try parse(#"{"a":1  x}"#)
        }
        #expect(throws: JSONParser.Failure(reason: "unexpected end of input", column: 1)) { try parse("") }
        #expect(throws: JSONParser.Failure(reason: "unexpected text after the value", column: 4)) { try parse("{} x") }
    }

    @Test func nestingIsLimited() throws {
        let ok = String(repeating: "[", count: JSONParser.maximumDepth) + String(repeating: "]", count: JSONParser.maximumDepth)
        _ = try parse(ok)
        let deep = String(repeating: "[", count: 100_000)
        #expect(throws: JSONParser.Failure.self) { try parse(deep) }
        let deepObjects = String(repeating: "{\"a\":", count: 10_000)
        #expect(throws: JSONParser.Failure.self) { try parse(deepObjects) }
    }

    @Test func agreesWithFoundationOnRandomBytes() {
        var random = Xoshiro256StarStar(seed: 11)
        let alphabet = Array("{}[]\":,\\ tfn01-.eE\"ua".utf8) + [0x80, 0xC3, 0xFF, 0x00, 0x0A]
        for _ in 0..<5_000 {
            let bytes = (0..<random.next(below: 12)).map { _ in alphabet[random.next(below: alphabet.count)] }
            let ours = (try? JSONParser.parse(bytes)) != nil
            let foundation =
                (try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])) != nil
            // Foundation is more lenient in places (e.g. unescaped control characters on
            // some versions); it must never reject what we accept.
            if ours { #expect(foundation, "\(bytes)") }
        }
    }
}
