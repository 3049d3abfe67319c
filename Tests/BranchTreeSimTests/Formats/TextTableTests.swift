import Testing

@testable import BranchTreeSim

@Suite struct TextTableTests {
    @Test func numbersAlignRightTextsLeft() {
        var table = TextTable(header: ["fanout", "policy", "interrupted"])
        table.append([.number("2"), .text("skyway"), .number("10.5")])
        table.append([.number("12"), .text("rejoin"), .number("3.25")])
        #expect(
            table.text == """
                fanout  policy  interrupted
                     2  skyway         10.5
                    12  rejoin         3.25

                """)
    }

    @Test func aLongCellWidensItsColumnAndTrailingSpacesGo() {
        var table = TextTable(header: ["n", "name"])
        table.append([.number("1000"), .text("x")])
        #expect(table.text == "   n  name\n1000  x\n")
    }

    @Test func aHeaderAloneIsOneLine() {
        #expect(TextTable(header: ["a", "b"]).text == "a  b\n")
    }
}
