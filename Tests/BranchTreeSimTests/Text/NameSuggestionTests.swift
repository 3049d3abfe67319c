import BranchTreeSim
import Testing

@Suite struct NameSuggestionTests {
    @Test func suggestsCloseNames() {
        let names = ["fanout", "broadcaster-fanout", "policy", "root-id", "each"]
        #expect(NameSuggestion.closest(to: "fanuot", among: names) == "fanout")
        #expect(NameSuggestion.closest(to: "polcy", among: names) == "policy")
        #expect(NameSuggestion.closest(to: "EACH", among: names) == "each")
        #expect(NameSuggestion.closest(to: "zzzzzz", among: names) == nil)
        #expect(NameSuggestion.closest(to: "", among: names) == nil)
        #expect(NameSuggestion.closest(to: "x", among: []) == nil)
    }

    @Test func hintFormatting() {
        #expect(
            NameSuggestion.hint(for: "relayble", among: ["relayable"], quote: "\"") == " (did you mean \"relayable\"?)")
        #expect(NameSuggestion.hint(for: "fanot", among: ["fanout"], prefix: "--") == " (did you mean '--fanout'?)")
        #expect(NameSuggestion.hint(for: "qqqq", among: ["fanout"]) == "")
    }
}
