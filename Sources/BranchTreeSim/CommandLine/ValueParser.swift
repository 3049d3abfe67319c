/// Reads an option's text as a typed value, or says what a valid value looks like.
///
///     let fanout = ValueParser.integer(in: 1...64)
///     fanout.parse("3")     // 3
///     fanout.parse("99")    // nil; fanout.expectation == "an integer in 1...64"
///
/// The expectation completes the usage error `invalid value '99' for '--fanout <n>':
/// expected an integer in 1...64`. Conversions are strict: no surrounding spaces, no
/// trailing garbage.
package struct ValueParser<Value: Sendable>: Sendable {
    /// What a valid value looks like, as a noun phrase: "an integer in 1...64".
    package var expectation: String
    private let convert: @Sendable (String) -> Value?

    package init(expectation: String, convert: @escaping @Sendable (String) -> Value?) {
        self.expectation = expectation
        self.convert = convert
    }

    /// The value, or nil when `text` is not valid.
    package func parse(_ text: String) -> Value? {
        convert(text)
    }

    /// The same parser, also requiring `isValid`; `expectation` replaces the description.
    package func validated(
        expectation: String, _ isValid: @escaping @Sendable (Value) -> Bool
    ) -> ValueParser<Value> {
        let convert = self.convert
        return ValueParser(expectation: expectation) { text in
            convert(text).flatMap { isValid($0) ? $0 : nil }
        }
    }
}

extension ValueParser where Value == String {
    /// Any text, the empty string included.
    package static var string: ValueParser<String> {
        ValueParser(expectation: "a string") { $0 }
    }

    /// Any text but the empty string.
    package static var nonEmptyString: ValueParser<String> {
        ValueParser(expectation: "a non-empty string") { $0.isEmpty ? nil : $0 }
    }
}

extension ValueParser where Value == Int {
    /// A decimal integer, optionally signed.
    package static var integer: ValueParser<Int> {
        ValueParser(expectation: "an integer") { Int($0) }
    }

    /// A decimal integer within `range`.
    package static func integer(in range: ClosedRange<Int>) -> ValueParser<Int> {
        integer.validated(expectation: "an integer in \(range)") { range.contains($0) }
    }
}

extension ValueParser where Value == UInt64 {
    /// A non-negative decimal integer that fits 64 bits, such as a random seed.
    package static var unsignedInteger: ValueParser<UInt64> {
        ValueParser(expectation: "a non-negative integer below 2^64") { text in
            text.hasPrefix("+") ? nil : UInt64(text)
        }
    }
}

extension ValueParser where Value: CaseIterable & RawRepresentable, Value.RawValue == String {
    /// One of an enumeration's raw values, spelled exactly.
    package static func choice(_ type: Value.Type) -> ValueParser<Value> {
        let names = Value.allCases.map(\.rawValue).joined(separator: ", ")
        return ValueParser(expectation: "one of: \(names)") { Value(rawValue: $0) }
    }
}

extension ValueParser {
    /// A comma-separated list of at least one element, each read by `element`.
    package static func list<Element>(of element: ValueParser<Element>) -> ValueParser<[Element]>
    where Value == [Element] {
        ValueParser(expectation: "a comma-separated list of \(element.expectation)") { text in
            text.commaSeparated { element.parse(String($0)) }
        }
    }
}

extension StringProtocol {
    /// Each comma-separated part read by `element`; nil if any part fails or there is none.
    func commaSeparated<Element>(_ element: (Substring) -> Element?) -> [Element]? {
        var result: [Element] = []
        for part in split(separator: ",", omittingEmptySubsequences: false) {
            guard let value = element(Substring(part)) else { return nil }
            result.append(value)
        }
        return result.isEmpty ? nil : result
    }
}
