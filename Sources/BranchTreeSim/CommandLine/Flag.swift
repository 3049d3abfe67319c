/// An option without a value: present or absent.
///
///     static let each = Flag(name: "each", help: "Print one line per operation.")
///     if arguments.isSet(Self.each) { … }
package struct Flag: Sendable {
    package var spec: OptionSpec

    package init(name: String, short: Character? = nil, help: String) {
        self.spec = OptionSpec(name: name, short: short, help: help)
    }
}
