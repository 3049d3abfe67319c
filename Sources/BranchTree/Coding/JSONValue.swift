/// A JSON value: what ``JSONReader`` reads, for the library's ``StrictJSONDecoder`` and
/// for the simulator's scenario files, traces and reports (which also writes them).
///
///     let value = try JSONReader.read(Array(#"{"epoch":1.0}"#.utf8))
///     // .object([.init("epoch", .number("1.0"))])
///
/// Numbers keep their literal text, so that `1.0` and `1e2` stay distinguishable from
/// integers and nothing is rounded; objects keep their members in document order (the
/// reader refuses a key twice in one object).
package enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    /// A number, as its JSON literal.
    case number(String)
    case string(String)
    case array([JSONValue])
    /// Members in document order; the reader refuses a repeated key.
    case object([Member])

    /// One `"key": value` pair of an object.
    package struct Member: Hashable, Sendable {
        package var key: String
        package var value: JSONValue

        package init(_ key: String, _ value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// The kind of value with its article, for messages: "an object", "a string", …
    package var kindDescription: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// Text from the input, cut short for a message: hostile input can hold a megabyte
    /// of digits.
    package static func excerpt(_ text: String) -> String {
        let limit = 40
        return text.count <= limit ? text : text.prefix(limit) + "…"
    }
}
