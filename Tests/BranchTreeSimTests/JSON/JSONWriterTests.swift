import BranchTree
import BranchTreeSim
import Foundation
import Testing

@Suite struct JSONWriterTests {
    private let sample: JSONValue = .object([
        .init("levels", .array([.strings(["D"]), .strings(["B", "H"])])),
        .init("empty", .array([])),
        .init("summary", .object([.init("ops", .int(3)), .init("ok", .bool(true)), .init("none", .null)])),
    ])

    @Test func compact() {
        #expect(
            JSONWriter.string(sample, style: .compact)
                == #"{"levels":[["D"],["B","H"]],"empty":[],"summary":{"ops":3,"ok":true,"none":null}}"#)
    }

    @Test func prettyExpandsTwoLevels() {
        #expect(
            JSONWriter.string(sample, style: .pretty) == """
                {
                  "levels": [
                    ["D"],
                    ["B", "H"]
                  ],
                  "empty": [],
                  "summary": {
                    "ops": 3,
                    "ok": true,
                    "none": null
                  }
                }
                """)
        #expect(JSONWriter.string(.object([]), style: .pretty) == "{}")
        #expect(JSONWriter.string(.int(1), style: .pretty) == "1")
    }

    @Test func escaping() {
        let text = "q\"b\\s/n\nr\rt\tb\u{08}f\u{0C}z\u{0}u\u{1F}é😀\u{7F}"
        #expect(
            JSONWriter.string(.string(text), style: .compact)
                == #""q\"b\\s/n\nr\rt\tb\bf\fz\u0000u\u001Fé😀"# + "\u{7F}\"")
    }

    @Test func roundTripsThroughBothParsers() throws {
        var random = Xoshiro256StarStar(seed: 3)
        for _ in 0..<500 {
            let scalars = (0..<random.next(below: 8)).compactMap { _ in
                Unicode.Scalar(UInt32(random.next(below: 0x3000)))
            }
            var text = ""
            text.unicodeScalars.append(contentsOf: scalars)
            let value: JSONValue = .object([.init(text, .array([.string(text), .int(random.next(below: 100) - 50)]))])
            for style in [JSONWriter.Style.compact, .pretty] {
                let written = JSONWriter.string(value, style: style)
                #expect(try JSONReader.read(Array(written.utf8)) == value)
                let decoded = try #require(
                    try JSONSerialization.jsonObject(with: Data(written.utf8)) as? [String: [Any]])
                #expect(decoded[text]?.first as? String == text)
            }
        }
    }
}
