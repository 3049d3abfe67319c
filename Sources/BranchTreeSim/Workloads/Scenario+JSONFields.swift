import BranchTree

extension Scenario {
    /// One JSON object of a scenario file, read field by field with checks that name the
    /// field: its members must be known, each of the expected kind and within its limits
    /// (``JSONReader`` has refused a key twice in one object).
    ///
    ///     let fields = try JSONFields(value, path: "timings", keys: ["joinRetry", "connectTimeout"])
    ///     let retry = try fields.number("joinRetry", in: 0.001...86_400)   // nil when absent
    ///
    /// Lookups scan the members in document order, never a `Dictionary`, so the first
    /// error reported is the same on every run.
    struct JSONFields {
        /// The object's path, e.g. `uplinks[2]`; empty at the top.
        let path: String
        private let members: [JSONValue.Member]

        /// Reads `value` as an object whose keys are all among `keys`.
        ///
        /// - Throws: ``JSONError`` if `value` is not an object, or a key is unknown
        ///   (with the nearest known key as a suggestion).
        /// - Complexity: O(members × keys)
        init(_ value: JSONValue, path: String, keys: [String]) throws(JSONError) {
            guard case .object(let members) = value else {
                let what = path.isEmpty ? "a scenario must be a JSON object" : "must be an object"
                throw JSONError(field: path, problem: "\(what), got \(value.kindDescription)")
            }
            for member in members where !keys.contains(member.key) {
                let suggestion = NameSuggestion.closest(to: member.key, among: keys).map {
                    " (did you mean \"\($0)\"?)"
                }
                throw JSONError(field: Self.join(path, member.key), problem: "unknown key" + (suggestion ?? ""))
            }
            self.path = path
            self.members = members
        }

        /// The path of `key` in this object.
        func field(_ key: String) -> String {
            Self.join(path, key)
        }

        /// `key`'s value, or nil when absent.
        func value(_ key: String) -> JSONValue? {
            members.first { $0.key == key }?.value
        }

        /// A finite number within `range`, or nil when absent.
        func number(_ key: String, in range: ClosedRange<Double>) throws(JSONError) -> Double? {
            try value(key).map { value throws(JSONError) in try Self.number(value, field: field(key), in: range) }
        }

        /// An integer within `range`, or nil when absent: `Int(_:)` takes no fraction or
        /// exponent, so `1.0` and `1e2` are refused.
        func integer(_ key: String, in range: ClosedRange<Int>) throws(JSONError) -> Int? {
            try value(key).map { value throws(JSONError) in try Self.integer(value, field: field(key), in: range) }
        }

        /// A non-negative integer below 2⁶⁴, read exactly (not through `Double`), or nil
        /// when absent. Like every integer here, never from `1.0` or `1e2`; and, being
        /// unsigned, never from `-0` either (which `UInt64("-0")` would take).
        func unsignedInteger(_ key: String) throws(JSONError) -> UInt64? {
            guard let value = value(key) else { return nil }
            let problem = "must be an integer in 0...\(UInt64.max)"
            guard case .number(let literal) = value else {
                throw JSONError(field: field(key), problem: "\(problem), got \(value.kindDescription)")
            }
            guard !literal.hasPrefix("-"), let integer = UInt64(literal) else {
                throw JSONError(field: field(key), problem: "\(problem), got \(literal)")
            }
            return integer
        }

        /// `true` or `false`, or nil when absent.
        func bool(_ key: String) throws(JSONError) -> Bool? {
            guard let value = value(key) else { return nil }
            guard case .bool(let bool) = value else {
                throw JSONError(field: field(key), problem: "must be true or false, got \(value.kindDescription)")
            }
            return bool
        }

        /// A non-empty string, or nil when absent.
        func string(_ key: String) throws(JSONError) -> String? {
            guard let value = value(key) else { return nil }
            guard case .string(let string) = value, !string.isEmpty else {
                throw JSONError(
                    field: field(key),
                    problem: "must be a non-empty string, got \(value == .string("") ? "\"\"" : value.kindDescription)")
            }
            return string
        }

        /// One of an enumeration's raw values, or nil when absent.
        func choice<Choice: CaseIterable & RawRepresentable>(_ key: String, _ type: Choice.Type)
            throws(JSONError) -> Choice? where Choice.RawValue == String
        {
            guard let value = value(key) else { return nil }
            let names = Choice.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
            guard case .string(let string) = value, let choice = Choice(rawValue: string) else {
                let got = if case .string(let string) = value { "\"\(string)\"" } else { value.kindDescription }
                throw JSONError(field: field(key), problem: "must be one of \(names), got \(got)")
            }
            return choice
        }

        /// The elements of an array, each with its path, or nil when absent.
        func array(_ key: String) throws(JSONError) -> [(value: JSONValue, field: String)]? {
            guard let value = value(key) else { return nil }
            guard case .array(let elements) = value else {
                throw JSONError(field: field(key), problem: "must be an array, got \(value.kindDescription)")
            }
            return elements.enumerated().map { ($0.element, "\(field(key))[\($0.offset + 1)]") }
        }

        // MARK: Keys that must be present

        /// `key`'s value; an error naming it when absent.
        func required(_ key: String) throws(JSONError) -> JSONValue {
            guard let value = value(key) else { throw JSONError(field: field(key), problem: "is missing") }
            return value
        }

        /// An integer within `range`; an error when absent.
        func requiredInteger(_ key: String, in range: ClosedRange<Int>) throws(JSONError) -> Int {
            try Self.integer(try required(key), field: field(key), in: range)
        }

        /// A finite number within `range`; an error when absent.
        func requiredNumber(_ key: String, in range: ClosedRange<Double>) throws(JSONError) -> Double {
            try Self.number(try required(key), field: field(key), in: range)
        }

        /// Any `Double` (``double(_:field:)``); an error when absent.
        func requiredDouble(_ key: String) throws(JSONError) -> Double {
            try Self.double(try required(key), field: field(key))
        }

        /// The elements of an array, each with its path; an error when absent.
        func requiredArray(_ key: String) throws(JSONError) -> [(value: JSONValue, field: String)] {
            guard let elements = try array(key) else { throw JSONError(field: field(key), problem: "is missing") }
            return elements
        }

        /// `key`'s value read by `read` (given the value and its path), or nil when it is
        /// `null`; an error when absent.
        func optional<Value>(_ key: String, _ read: (JSONValue, String) throws(JSONError) -> Value) throws(JSONError)
            -> Value?
        {
            let value = try required(key)
            return value == .null ? nil : try read(value, field(key))
        }

        /// A finite number within `range`.
        static func number(_ value: JSONValue, field: String, in range: ClosedRange<Double>) throws(JSONError)
            -> Double
        {
            let problem = "must be a number in \(range.limitDescription)"
            guard case .number(let literal) = value else {
                throw JSONError(field: field, problem: "\(problem), got \(value.kindDescription)")
            }
            guard let number = Double(literal), number.isFinite, range.contains(number) else {
                throw JSONError(field: field, problem: "\(problem), got \(literal)")
            }
            return number
        }

        /// An integer within `range`, never from `1.0` or `1e2`.
        static func integer(_ value: JSONValue, field: String, in range: ClosedRange<Int>) throws(JSONError) -> Int {
            let problem = "must be an integer in \(range)"
            guard case .number(let literal) = value else {
                throw JSONError(field: field, problem: "\(problem), got \(value.kindDescription)")
            }
            guard let integer = Int(literal), range.contains(integer) else {
                throw JSONError(field: field, problem: "\(problem), got \(literal)")
            }
            return integer
        }

        /// Any `Double`: a number, or one of the strings `"NaN"`, `"Infinity"` and
        /// `"-Infinity"` that ``JSONValue/double(_:)`` writes for the values JSON has no
        /// number for.
        static func double(_ value: JSONValue, field: String) throws(JSONError) -> Double {
            switch value {
            case .number(let literal):
                if let number = Double(literal), number.isFinite { return number }
            case .string("NaN"): return .nan
            case .string("Infinity"): return .infinity
            case .string("-Infinity"): return -.infinity
            default: break
            }
            let got = if case .number(let literal) = value { JSONValue.excerpt(literal) } else { value.kindDescription }
            throw JSONError(
                field: field, problem: "must be a number, \"NaN\", \"Infinity\" or \"-Infinity\", got \(got)")
        }

        static func join(_ path: String, _ key: String) -> String {
            path.isEmpty ? key : path + "." + key
        }
    }
}
