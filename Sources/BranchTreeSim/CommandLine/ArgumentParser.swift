/// Reads a subcommand's arguments against its ``CommandSpec``.
///
///     switch try ArgumentParser.parse(["--fanout=2", "--each", "log.jsonl"], for: spec) {
///     case .help: …                      // --help or -h anywhere before `--`
///     case .version: …                   // --version
///     case .arguments(let arguments): …  // read typed values from `arguments`
///     }
///
/// Accepted forms: `--name value`, `--name=value`, flags `--name`; short `-x value`,
/// `-xvalue` and bundled flags `-ab`; positional arguments anywhere; `--` ends the
/// options (everything after it is positional). A lone `-` is a positional argument (by
/// convention standard input), and so is a negative number. A value option's value is
/// the next argument unless that looks like an option, so `--policy --each` reports the
/// missing value rather than swallowing `--each` (write `--root-id=-x` for a value that
/// starts with a dash).
///
/// Errors are usage errors (exit 64) that name the culprit: an unknown option (with a
/// suggestion when one is close), a missing value, a value given to a flag, a missing or
/// unexpected positional argument. Values are converted later, by ``ParsedArguments``.
package enum ArgumentParser {
    package enum Outcome: Sendable {
        case help
        case version
        case arguments(ParsedArguments)
    }

    /// - Complexity: O(arguments × options)
    package static func parse(_ tokens: [String], for command: CommandSpec) throws(CommandError) -> Outcome {
        let optionTokens = tokens.prefix { $0 != "--" }
        if optionTokens.contains(where: { $0 == "--help" || $0 == "-h" }) { return .help }
        if optionTokens.contains("--version") { return .version }

        var result = ParsedArguments(command: command)
        var positionals: [String] = []
        var index = 0
        func takeValue(for option: OptionSpec) throws(CommandError) -> String {
            guard index < tokens.count, isValue(tokens[index]) else {
                throw .usage("missing value for '\(option.synopsis)'")
            }
            index += 1
            return tokens[index - 1]
        }

        while index < tokens.count {
            let token = tokens[index]
            index += 1
            if token == "--" {
                positionals.append(contentsOf: tokens[index...])
                break
            }
            if token.hasPrefix("--") {
                let body = token.dropFirst(2)
                let name = body.prefix { $0 != "=" }
                let inlineValue =
                    name.endIndex < body.endIndex ? String(body[body.index(after: name.endIndex)...]) : nil
                guard let option = command.option(named: name) else {
                    let hint = NameSuggestion.hint(
                        for: String(name), among: command.options.map(\.name), prefix: "--")
                    throw .usage("unknown option '--\(name)'\(hint)")
                }
                if option.isFlag {
                    guard inlineValue == nil else { throw .usage("option '--\(option.name)' does not take a value") }
                    result.set(option)
                } else {
                    let value: String
                    if let inlineValue { value = inlineValue } else { value = try takeValue(for: option) }
                    result.append(value: value, for: option)
                }
            } else if token.count > 1, token.hasPrefix("-"), !isNumber(token) {
                var rest = Substring(token.dropFirst())
                while let letter = rest.first {
                    rest = rest.dropFirst()
                    guard let option = command.option(short: letter) else {
                        throw .usage("unknown option '-\(letter)'")
                    }
                    if option.isFlag {
                        result.set(option)
                    } else {
                        let value: String
                        if rest.isEmpty { value = try takeValue(for: option) } else { value = String(rest) }
                        result.append(value: value, for: option)
                        break
                    }
                }
            } else {
                positionals.append(token)
            }
        }

        var remaining = positionals[...]
        for argument in command.arguments {
            if argument.isRepeating {
                if remaining.isEmpty && !argument.isOptional {
                    throw .usage("missing argument '\(argument.synopsis)'")
                }
                result.assign(Array(remaining), to: argument)
                remaining = []
            } else if let value = remaining.popFirst() {
                result.assign([value], to: argument)
            } else if !argument.isOptional {
                throw .usage("missing argument '\(argument.synopsis)'")
            }
        }
        if let extra = remaining.first {
            throw .usage("unexpected argument '\(extra)'")
        }
        return .arguments(result)
    }

    /// Whether `token` can be an option's value given as the next argument.
    private static func isValue(_ token: String) -> Bool {
        !token.hasPrefix("-") || token == "-" || isNumber(token)
    }

    /// A negative or otherwise signed number such as `-1` or `-0.5`, which is never an
    /// option.
    private static func isNumber(_ token: String) -> Bool {
        guard let second = token.dropFirst().first else { return false }
        return (second.isNumber || second == ".") && Double(token) != nil
    }
}
