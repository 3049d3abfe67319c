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
}
