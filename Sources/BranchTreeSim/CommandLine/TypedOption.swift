/// An option that takes a value, with the parser that reads it and its default.
///
///     static let fanout = TypedOption(
///         name: "fanout", valueName: "n", help: "The most viewers each viewer relays to.",
///         parser: .integer(in: 1...64), default: 3)
///     let fanout = try arguments.value(of: Self.fanout)   // Int
///
/// List ``spec`` in the command's ``CommandSpec/options``; read the value from
/// ``ParsedArguments``. When the option is given more than once, the last value counts
/// (``ParsedArguments/values(of:)`` reads them all).
package struct TypedOption<Value: Sendable>: Sendable {
    package var spec: OptionSpec
    package var parser: ValueParser<Value>
    /// The value when the option is absent; nil when absence is meaningful.
    package var defaultValue: Value?

    package init(
        name: String, short: Character? = nil, valueName: String, help: String,
        parser: ValueParser<Value>, default defaultValue: Value? = nil,
        defaultDescription: String? = nil
    ) {
        self.spec = OptionSpec(
            name: name, short: short, valueName: valueName, help: help,
            defaultDescription: defaultDescription ?? defaultValue.map { String(describing: $0) })
        self.parser = parser
        self.defaultValue = defaultValue
    }
}
