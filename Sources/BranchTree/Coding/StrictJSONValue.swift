/// A JSON value as ``StrictJSONReader`` reads it for ``StrictJSONDecoder``.
///
///     let value = try StrictJSONReader.read(Array(#"{"epoch":1.0}"#.utf8))
///     // .object([.init(key: "epoch", value: .number("1.0"))])
///
/// Numbers keep their literal text, so that `1.0` and `1e2` stay distinguishable from
/// integers; objects keep their members in document order, each key once.
enum StrictJSONValue: Sendable {
    case null
    case bool(Bool)
    /// A number, as its JSON literal.
    case number(String)
    case string(String)
    case array([StrictJSONValue])
    /// Members in document order; the reader refuses a repeated key.
    case object([Member])

    /// One `"key": value` pair of an object.
    struct Member: Sendable {
        let key: String
        let value: StrictJSONValue
    }

    /// The kind of value with its article, for messages: "an object", "a string", …
    var kindDescription: String {
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
    static func excerpt(_ text: String) -> String {
        let limit = 40
        return text.count <= limit ? text : text.prefix(limit) + "…"
    }
}
