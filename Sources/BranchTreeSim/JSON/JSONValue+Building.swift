import BranchTree

extension JSONValue {
    /// An integer.
    package static func int(_ value: Int) -> JSONValue {
        .number(String(value))
    }

    /// An array of strings.
    package static func strings(_ values: some Sequence<some CustomStringConvertible>) -> JSONValue {
        .array(values.map { .string($0.description) })
    }

    /// A `Double` that reads back as the very same value: a finite one as its shortest
    /// round-trip text (``NumberFormat/shortest(_:)``), NaN and the infinities, which JSON
    /// has no number for, as the strings `"NaN"`, `"Infinity"` and `"-Infinity"`.
    ///
    /// - Complexity: O(1)
    package static func double(_ value: Double) -> JSONValue {
        // Spelled as reports print them.
        guard value.isFinite else { return .string(NumberFormat.fixed(value, places: 0)) }
        return .number(NumberFormat.shortest(value))
    }
}
