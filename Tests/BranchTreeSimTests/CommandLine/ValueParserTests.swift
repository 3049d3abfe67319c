import BranchTree
import Testing

@testable import BranchTreeSim

@Suite struct ValueParserTests {
    @Test func integerInRange() {
        let parser = ValueParser.integer(in: 1...64)
        #expect(parser.parse("1") == 1)
        #expect(parser.parse("64") == 64)
        #expect(parser.parse("+3") == 3)
        for bad in ["0", "65", "-1", "3.0", " 3", "3 ", "", "three", "99999999999999999999999"] {
            #expect(parser.parse(bad) == nil, "\(bad)")
        }
        #expect(parser.expectation == "an integer in 1...64")
    }

    @Test func unsignedInteger() {
        let parser = ValueParser.unsignedInteger
        #expect(parser.parse("18446744073709551615") == .max)
        #expect(parser.parse("0") == 0)
        #expect(parser.parse("-1") == nil)
        #expect(parser.parse("+1") == nil)
        #expect(parser.parse("18446744073709551616") == nil)
    }

    @Test func number() {
        let parser = ValueParser.decimal(in: 0...1)
        #expect(parser.parse("0.25") == 0.25)
        #expect(parser.parse("1") == 1)
        #expect(parser.parse("1.5") == nil)
        #expect(parser.parse("nan") == nil)
        #expect(parser.expectation == "a number in 0...1")
    }

    @Test func choiceOfPolicy() {
        let parser = ValueParser.choice(Policy.self)
        #expect(parser.parse("skyway") == .skyway)
        #expect(parser.parse("rejoin") == .rejoin)
        #expect(parser.parse("Skyway") == nil)
        #expect(parser.expectation == "one of: skyway, rejoin, stable")
    }

    @Test func strings() {
        #expect(ValueParser.string.parse("") == "")
        #expect(ValueParser.nonEmptyString.parse("") == nil)
        #expect(ValueParser.nonEmptyString.parse("root") == "root")
    }

    @Test func list() {
        let parser = ValueParser.list(of: .integer(in: 1...5))
        #expect(parser.parse("1,2,5") == [1, 2, 5])
        #expect(parser.parse("3") == [3])
        #expect(parser.parse("1,,2") == nil)
        #expect(parser.parse("1,9") == nil)
        #expect(parser.parse("") == nil)
        #expect(parser.expectation == "a comma-separated list of an integer in 1...5")
    }

    @Test func validated() {
        let even = ValueParser.integer.validated(expectation: "an even integer") { $0 % 2 == 0 }
        #expect(even.parse("4") == 4)
        #expect(even.parse("3") == nil)
        #expect(even.expectation == "an even integer")
    }
}
