import BranchTreeSim
import Testing

@Suite struct HelpFormatterTests {
    @Test func wrapsGreedily() {
        #expect(HelpFormatter.wrap(["aa", "bb", "cc"], width: 5) == ["aa bb", "cc"])
        #expect(HelpFormatter.wrap(["toolongword", "a"], width: 4) == ["toolongword", "a"])
        #expect(HelpFormatter.wrap([], width: 4) == [""])
    }

    @Test func helpLinesFitEightyColumns() {
        let help = HelpFormatter.help(of: ReplayCommand.spec, toolName: "branchtree-sim")
        for line in help.split(separator: "\n") {
            #expect(line.count <= HelpFormatter.width, "\(line)")
        }
        #expect(help.hasSuffix("Show help information.\n"))
    }

    @Test func usageListsEveryOptionAndArgument() {
        let usage = HelpFormatter.usage(of: ReplayCommand.spec, toolName: "branchtree-sim")
        let flattened = usage.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(
            flattened
                == "branchtree-sim replay [--fanout <n>] [--broadcaster-fanout <n>] [--policy <name>] [--root-id <id>] [--restart-strategy <name>] [--each] <file>"
        )
    }

    @Test func longLabelsGetTheirOwnLine() {
        let spec = CommandSpec(
            name: "x", abstract: "X.",
            options: [OptionSpec(name: "a-very-long-option-name", valueName: "value", help: "Help.")])
        let help = HelpFormatter.help(of: spec, toolName: "tool")
        #expect(help.contains("  --a-very-long-option-name <value>\n                          Help.\n"))
    }
}
