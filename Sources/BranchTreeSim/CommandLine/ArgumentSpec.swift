/// The declaration of one positional argument.
///
///     ArgumentSpec(name: "file", help: "The log to replay, or '-' for standard input.")
///
/// Positional arguments are matched in declaration order. Only the last may be
/// ``isRepeating`` (it then takes every remaining argument); optional ones must follow
/// the required ones.
package struct ArgumentSpec: Hashable, Sendable {
    /// The placeholder: `file` prints as `<file>`.
    package var name: String
    package var help: String
    package var isOptional: Bool
    package var isRepeating: Bool

    package init(name: String, help: String, isOptional: Bool = false, isRepeating: Bool = false) {
        self.name = name
        self.help = help
        self.isOptional = isOptional
        self.isRepeating = isRepeating
    }

    /// `<file>`, `[<file>]`, `<file> ...` or `[<file> ...]`.
    package var synopsis: String {
        let base = "<\(name)>" + (isRepeating ? " ..." : "")
        return isOptional ? "[\(base)]" : base
    }
}
