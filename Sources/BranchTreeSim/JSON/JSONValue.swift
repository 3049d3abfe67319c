/// A JSON document as a value, keeping what `Dictionary`-based representations lose:
/// the order of an object's members and any duplicate keys.
///
///     let value: JSONValue = .object([
///         .init("op", .string("join")), .init("id", .string("B")),
///     ])
///
/// Numbers keep their literal text, so `2`, `2.0` and `2e0` stay distinguishable and
/// nothing is rounded. ``JSONParser`` makes these; ``JSONWriter`` prints them.
package enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    /// A number, as its JSON literal.
    case number(String)
    case string(String)
    case array([JSONValue])
    /// Members in document order; keys may repeat.
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

    /// An integer.
    package static func int(_ value: Int) -> JSONValue {
        .number(String(value))
    }

    /// An array of strings.
    package static func strings(_ values: some Sequence<some CustomStringConvertible>) -> JSONValue {
        .array(values.map { .string($0.description) })
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
}
