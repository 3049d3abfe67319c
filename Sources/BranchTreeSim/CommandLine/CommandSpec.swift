/// The declaration of one subcommand: its name, its help text, and the options and
/// positional arguments it accepts.
///
///     CommandSpec(
///         name: "replay", abstract: "Replay a log of joins and leaves.",
///         options: [fanout.spec, each.spec], arguments: [file])
///
/// `--help`/`-h` and `--version` are built in: every command accepts them and help lists
/// them last.
package struct CommandSpec: Hashable, Sendable {
    package var name: String
    /// One sentence, shown in the tool's subcommand list and at the top of the help.
    package var abstract: String
    /// Preformatted paragraphs shown under the abstract; nil for none.
    package var discussion: String?
    package var options: [OptionSpec]
    package var arguments: [ArgumentSpec]

    package init(
        name: String, abstract: String, discussion: String? = nil, options: [OptionSpec] = [],
        arguments: [ArgumentSpec] = []
    ) {
        self.name = name
        self.abstract = abstract
        self.discussion = discussion
        self.options = options
        self.arguments = arguments
    }

    /// The built-in options every command accepts.
    package static let builtInOptions: [OptionSpec] = [
        OptionSpec(name: "version", help: "Show the version."),
        OptionSpec(name: "help", short: "h", help: "Show help information."),
    ]

    /// The declared option with this long name.
    package func option(named name: some StringProtocol) -> OptionSpec? {
        options.first { $0.name == name }
    }

    /// The declared option with this short name.
    package func option(short: Character) -> OptionSpec? {
        options.first { $0.short == short }
    }
}
