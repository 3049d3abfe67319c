/// Renders help screens and usage lines in the swift-argument-parser layout.
///
///     OVERVIEW: Replay a JSON Lines log of joins and leaves …
///
///     USAGE: branchtree-sim replay [--fanout <n>] … <file>
///
///     ARGUMENTS:
///       <file>                  The log to replay, or '-' for standard input.
///
///     OPTIONS:
///       --fanout <n>            The most viewers each viewer relays to. (default: 3)
///
/// Text is wrapped at 80 columns; descriptions start at column 26.
package enum HelpFormatter {
    package static let width = 80
    private static let descriptionColumn = 26

    /// The usage synopsis, wrapped to follow a 7-character prefix (`USAGE: ` or `Usage: `).
    package static func usage(of command: CommandSpec, toolName: String) -> String {
        let head = "\(toolName) \(command.name)"
        let parts = command.options.map { "[\($0.synopsis)]" } + command.arguments.map(\.synopsis)
        let indent = 7 + head.count + 1
        guard !parts.isEmpty else { return head }
        let wrapped = wrap(parts, width: width - indent)
        return head + " " + wrapped.joined(separator: "\n" + String(repeating: " ", count: indent))
    }

    /// The full help screen of a subcommand, ending in a newline.
    package static func help(of command: CommandSpec, toolName: String) -> String {
        var text = overview(command.abstract)
        if let discussion = command.discussion {
            text += discussion.trimmingTrailingNewlines() + "\n\n"
        }
        text += "USAGE: \(usage(of: command, toolName: toolName))\n"
        if !command.arguments.isEmpty {
            text += "\nARGUMENTS:\n"
            for argument in command.arguments {
                text += entry(label: argument.synopsis, description: argument.help)
            }
        }
        text += "\nOPTIONS:\n"
        for option in command.options + CommandSpec.builtInOptions {
            let description = option.help + (option.defaultDescription.map { " (default: \($0))" } ?? "")
            text += entry(label: option.helpLabel, description: description)
        }
        return text
    }

    /// The tool's help screen: its overview, options and subcommands, ending in a newline.
    package static func toolHelp(
        toolName: String, abstract: String, discussion: String?, subcommands: [CommandSpec]
    ) -> String {
        var text = overview(abstract)
        if let discussion {
            text += discussion.trimmingTrailingNewlines() + "\n\n"
        }
        text += "USAGE: \(toolUsage(toolName: toolName))\n\nOPTIONS:\n"
        for option in CommandSpec.builtInOptions {
            text += entry(label: option.helpLabel, description: option.help)
        }
        text += "\nSUBCOMMANDS:\n"
        for subcommand in subcommands {
            text += entry(label: subcommand.name, description: subcommand.abstract)
        }
        text += "\n  See '\(toolName) help <subcommand>' for detailed help.\n"
        return text
    }

    /// `OVERVIEW: ` and the abstract, wrapped, then a blank line.
    private static func overview(_ abstract: String) -> String {
        let words = ["OVERVIEW:"] + abstract.split(separator: " ").map(String.init)
        return wrap(words, width: width).joined(separator: "\n") + "\n\n"
    }

    /// `branchtree-sim <subcommand>`.
    package static func toolUsage(toolName: String) -> String {
        "\(toolName) <subcommand>"
    }

    /// One labelled entry: the label at column 2, the wrapped description at column 26.
    private static func entry(label: String, description: String) -> String {
        let indent = String(repeating: " ", count: descriptionColumn)
        let lines = wrap(description.split(separator: " ").map(String.init), width: width - descriptionColumn)
        var text = "  " + label
        if text.count + 2 > descriptionColumn {
            text += "\n" + indent
        } else {
            text += String(repeating: " ", count: descriptionColumn - text.count)
        }
        return text + lines.joined(separator: "\n" + indent) + "\n"
    }

    /// Greedy word wrap: words joined by spaces into lines of at most `width` characters
    /// (a longer word gets a line of its own).
    package static func wrap(_ words: [String], width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in words where !word.isEmpty {
            if line.isEmpty {
                line = word
            } else if line.count + 1 + word.count <= width {
                line += " " + word
            } else {
                lines.append(line)
                line = word
            }
        }
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        return lines
    }
}

extension String {
    fileprivate func trimmingTrailingNewlines() -> String {
        var result = self
        while result.last == "\n" { result.removeLast() }
        return result
    }
}
