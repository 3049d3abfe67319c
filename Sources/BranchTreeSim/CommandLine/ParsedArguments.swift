/// What ``ArgumentParser`` read from a command line: option values, flags and positional
/// arguments, checked against the command's declarations and read back typed.
///
///     let fanout = try arguments.value(of: ReplayCommand.fanout)      // Int, default 3
///     let each = arguments.isSet(ReplayCommand.each)
///     let file = arguments.argument(ReplayCommand.file)               // String?
///
/// Values are kept as given and converted on reading, so a bad value is reported with
/// its option's name as a usage error (exit 64). Read every option before doing any
/// work, so that usage errors come first.
package struct ParsedArguments: Sendable {
    package let command: CommandSpec
    /// Raw values per option long name, in the order given. Looked up, never iterated.
    private var valuesByName: [String: [String]] = [:]
    /// Positional values per argument name. Looked up, never iterated.
    private var argumentsByName: [String: [String]] = [:]

    package init(command: CommandSpec) {
        self.command = command
    }

    mutating func append(value: String, for option: OptionSpec) {
        valuesByName[option.name, default: []].append(value)
    }

    mutating func set(_ flag: OptionSpec) {
        valuesByName[flag.name, default: []].append("")
    }

    mutating func assign(_ values: [String], to argument: ArgumentSpec) {
        argumentsByName[argument.name] = values
    }

    /// Whether the flag was given (at least once).
    package func isSet(_ flag: Flag) -> Bool {
        !(valuesByName[flag.spec.name] ?? []).isEmpty
    }

    /// The raw texts given for an option, in order.
    package func rawValues(of option: OptionSpec) -> [String] {
        valuesByName[option.name] ?? []
    }

    /// The option's last value, or its default.
    /// - Throws: A usage error when the value is invalid, or when the option is absent
    ///   and has no default.
    package func value<Value>(of option: TypedOption<Value>) throws(CommandError) -> Value {
        if let value = try valueIfPresent(of: option) { return value }
        if let defaultValue = option.defaultValue { return defaultValue }
        throw .usage("missing option '\(option.spec.synopsis)'")
    }

    /// The option's last value, or nil when it was not given (the default is ignored).
    /// - Throws: A usage error when the value is invalid.
    package func valueIfPresent<Value>(of option: TypedOption<Value>) throws(CommandError) -> Value? {
        try values(of: option).last
    }

    /// Every value given for the option, in order.
    /// - Throws: A usage error naming the first invalid value.
    package func values<Value>(of option: TypedOption<Value>) throws(CommandError) -> [Value] {
        var result: [Value] = []
        for text in rawValues(of: option.spec) {
            guard let value = option.parser.parse(text) else {
                throw .usage(
                    "invalid value '\(text)' for '\(option.spec.synopsis)': expected \(option.parser.expectation)")
            }
            result.append(value)
        }
        return result
    }

    /// The positional argument's value, or nil when an optional one is absent.
    package func argument(_ argument: ArgumentSpec) -> String? {
        argumentsByName[argument.name]?.first
    }

    /// Every value of a repeating positional argument.
    package func arguments(_ argument: ArgumentSpec) -> [String] {
        argumentsByName[argument.name] ?? []
    }
}
