/// The declaration of one named option: its spelling, whether it takes a value, and its
/// help.
///
///     OptionSpec(name: "fanout", valueName: "n", help: "The fan-out.", defaultDescription: "3")
///     OptionSpec(name: "each", help: "Print every step.")      // a flag
///
/// Names are kebab-case and written without dashes; the parser accepts `--name value`,
/// `--name=value` and, when `short` is set, `-x value` and `-xvalue`. Flags take no value
/// and may be bundled (`-ab`). Usually made through ``TypedOption`` or ``Flag``, which
/// add a typed reading of the value.
package struct OptionSpec: Hashable, Sendable {
    /// The long name without the leading `--`, e.g. `broadcaster-fanout`.
    package var name: String
    /// The one-letter spelling without the leading `-`, if any.
    package var short: Character?
    /// The value's placeholder in usage (`n` prints as `<n>`); nil for a flag.
    package var valueName: String?
    /// One or more sentences for the help screen.
    package var help: String
    /// The default as shown in help, e.g. `3`; nil when there is none to show.
    package var defaultDescription: String?

    package init(
        name: String, short: Character? = nil, valueName: String? = nil, help: String,
        defaultDescription: String? = nil
    ) {
        precondition(!name.isEmpty && !name.hasPrefix("-") && !name.contains("="), "bad option name \(name)")
        self.name = name
        self.short = short
        self.valueName = valueName
        self.help = help
        self.defaultDescription = defaultDescription
    }

    /// Whether the option is a flag (takes no value).
    package var isFlag: Bool { valueName == nil }

    /// `--name <value>` or `--name`, as in usage and messages.
    package var synopsis: String {
        valueName.map { "--\(name) <\($0)>" } ?? "--\(name)"
    }

    /// `-x, --name <value>`, as in the help screen.
    package var helpLabel: String {
        short.map { "-\($0), \(synopsis)" } ?? synopsis
    }
}
