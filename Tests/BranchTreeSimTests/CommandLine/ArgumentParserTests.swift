import BranchTree
import Testing

@testable import BranchTreeSim

/// A command with every kind of declaration the parser supports.
private enum Fixture {
    static let count = TypedOption(
        name: "count", short: "c", valueName: "n", help: "How many.", parser: .integer(in: 0...10), default: 1)
    static let delta = TypedOption(name: "delta", valueName: "d", help: "A signed step.", parser: .integer)
    static let label = TypedOption(name: "label-text", short: "l", valueName: "text", help: "A label.", parser: .string)
    static let verbose = Flag(name: "verbose", short: "v", help: "Talk more.")
    static let quiet = Flag(name: "quiet", short: "q", help: "Talk less.")
    static let input = ArgumentSpec(name: "input", help: "The input.")
    static let rest = ArgumentSpec(name: "rest", help: "More inputs.", isOptional: true, isRepeating: true)
    static let spec = CommandSpec(
        name: "fixture", abstract: "A fixture.",
        options: [count.spec, delta.spec, label.spec, verbose.spec, quiet.spec], arguments: [input, rest])

    static func parse(_ tokens: [String]) throws(CommandError) -> ParsedArguments {
        guard case .arguments(let parsed) = try ArgumentParser.parse(tokens, for: spec) else {
            throw .usage("expected arguments, got help or version")
        }
        return parsed
    }

    static func usageError(_ tokens: [String]) -> String? {
        do {
            _ = try parse(tokens)
            return nil
        } catch {
            #expect(error.exitCode == .usage)
            return error.message
        }
    }
}

@Suite struct ArgumentParserTests {
    @Test(arguments: [
        ["--count=3", "in"], ["--count", "3", "in"], ["-c", "3", "in"], ["-c3", "in"], ["in", "--count", "3"],
        ["--count", "9", "in", "--count", "3"],
    ])
    func optionValueForms(tokens: [String]) throws {
        let parsed = try Fixture.parse(tokens)
        #expect(try parsed.value(of: Fixture.count) == 3)
        #expect(parsed.argument(Fixture.input) == "in")
    }

    @Test func defaultsApplyWhenAbsent() throws {
        let parsed = try Fixture.parse(["in"])
        #expect(try parsed.value(of: Fixture.count) == 1)
        #expect(try parsed.valueIfPresent(of: Fixture.count) == nil)
        #expect(try parsed.valueIfPresent(of: Fixture.delta) == nil)
        #expect(!parsed.isSet(Fixture.verbose))
        #expect(parsed.arguments(Fixture.rest) == [])
    }

    @Test func anOptionWithoutDefaultIsRequiredWhenReadWithValue() throws {
        let parsed = try Fixture.parse(["in"])
        #expect(throws: CommandError.usage("missing option '--delta <d>'")) { try parsed.value(of: Fixture.delta) }
    }

    @Test func flagsLongShortAndBundled() throws {
        #expect(try Fixture.parse(["--verbose", "in"]).isSet(Fixture.verbose))
        let bundled = try Fixture.parse(["-vq", "in"])
        #expect(bundled.isSet(Fixture.verbose) && bundled.isSet(Fixture.quiet))
        let withValue = try Fixture.parse(["-vc4", "in"])
        #expect(withValue.isSet(Fixture.verbose))
        #expect(try withValue.value(of: Fixture.count) == 4)
    }

    @Test func repeatedValuesAreKeptInOrderAndTheLastWins() throws {
        let parsed = try Fixture.parse(["--delta=1", "in", "--delta", "-2", "--delta=+3"])
        #expect(try parsed.values(of: Fixture.delta) == [1, -2, 3])
        #expect(try parsed.value(of: Fixture.delta) == 3)
    }

    @Test func negativeNumbersAreValuesAndPositionals() throws {
        let parsed = try Fixture.parse(["--delta", "-5", "-7", "-0.5"])
        #expect(try parsed.value(of: Fixture.delta) == -5)
        #expect(parsed.argument(Fixture.input) == "-7")
        #expect(parsed.arguments(Fixture.rest) == ["-0.5"])
    }

    @Test func aLoneDashIsPositional() throws {
        let parsed = try Fixture.parse(["-", "--label-text", "-"])
        #expect(parsed.argument(Fixture.input) == "-")
        #expect(try parsed.value(of: Fixture.label) == "-")
    }

    @Test func doubleDashEndsOptions() throws {
        let parsed = try Fixture.parse(["-v", "--", "--count", "-h", "--help", "-"])
        #expect(parsed.isSet(Fixture.verbose))
        #expect(parsed.argument(Fixture.input) == "--count")
        #expect(parsed.arguments(Fixture.rest) == ["-h", "--help", "-"])
        #expect(try parsed.value(of: Fixture.count) == 1)
    }

    @Test func equalsKeepsEverythingAfterTheFirstEqualsSign() throws {
        let parsed = try Fixture.parse(["--label-text=a=b", "--delta=-1", "in"])
        #expect(try parsed.value(of: Fixture.label) == "a=b")
        #expect(try parsed.value(of: Fixture.delta) == -1)
        #expect(try Fixture.parse(["--label-text=", "in"]).value(of: Fixture.label) == "")
    }

    @Test func repeatingArgumentTakesTheRest() throws {
        let parsed = try Fixture.parse(["a", "b", "-v", "c"])
        #expect(parsed.argument(Fixture.input) == "a")
        #expect(parsed.arguments(Fixture.rest) == ["b", "c"])
    }

    @Test(arguments: [["--help"], ["-h"], ["in", "--count", "99", "-h"], ["--bogus", "--help"]])
    func helpWinsOverEverythingBeforeDoubleDash(tokens: [String]) throws {
        guard case .help = try ArgumentParser.parse(tokens, for: Fixture.spec) else {
            Issue.record("expected help for \(tokens)")
            return
        }
    }

    @Test func helpAfterDoubleDashIsAnArgument() throws {
        #expect(try Fixture.parse(["--", "--help"]).argument(Fixture.input) == "--help")
    }

    @Test func versionIsRecognised() throws {
        guard case .version = try ArgumentParser.parse(["in", "--version"], for: Fixture.spec) else {
            Issue.record("expected version")
            return
        }
    }

    @Test(arguments: [
        (["--cuont", "3", "in"], "unknown option '--cuont' (did you mean '--count'?)"),
        (["--zzz", "in"], "unknown option '--zzz'"),
        (["-x", "in"], "unknown option '-x'"),
        (["-vx", "in"], "unknown option '-x'"),
        (["--count"], "missing value for '--count <n>'"),
        (["--count", "--verbose", "in"], "missing value for '--count <n>'"),
        (["-c"], "missing value for '--count <n>'"),
        (["--verbose=yes", "in"], "option '--verbose' does not take a value"),
        ([], "missing argument '<input>'"),
        (["-v"], "missing argument '<input>'"),
    ])
    func usageErrorsNameTheCulprit(tokens: [String], message: String) {
        #expect(Fixture.usageError(tokens) == message)
    }

    @Test(arguments: [
        (["--count", "11", "in"], "invalid value '11' for '--count <n>': expected an integer in 0...10"),
        (["--count=x", "in"], "invalid value 'x' for '--count <n>': expected an integer in 0...10"),
        (["--count=", "in"], "invalid value '' for '--count <n>': expected an integer in 0...10"),
        (["--count", " 3", "in"], "invalid value ' 3' for '--count <n>': expected an integer in 0...10"),
    ])
    func invalidValuesAreReportedOnReading(tokens: [String], message: String) throws {
        let parsed = try Fixture.parse(tokens)
        #expect(throws: CommandError.usage(message)) { try parsed.value(of: Fixture.count) }
    }

    @Test func tooManyArgumentsWithoutARepeatingOne() {
        let spec = CommandSpec(name: "one", abstract: "", arguments: [ArgumentSpec(name: "file", help: "")])
        #expect(throws: CommandError.usage("unexpected argument 'b'")) {
            try ArgumentParser.parse(["a", "b"], for: spec)
        }
    }

    @Test func randomTokensNeverCrash() {
        var random = Xoshiro256StarStar(seed: 7)
        let pieces = [
            "-", "--", "-c", "-v", "--count", "--count=", "=", "3", "-3", "x", "--verbose", "-vq",
            "--label-text", "--help", "--delta", "-0.5", "--=", "---", "-c-", "é", "",
        ]
        for _ in 0..<5_000 {
            let tokens = (0..<random.next(below: 6)).map { _ in
                pieces[random.next(below: pieces.count)]
                    + (random.nextBool(probability: 0.2) ? pieces[random.next(below: pieces.count)] : "")
            }
            do {
                if case .arguments(let parsed) = try ArgumentParser.parse(tokens, for: Fixture.spec) {
                    _ = try? parsed.value(of: Fixture.count)
                    _ = try? parsed.values(of: Fixture.delta)
                    _ = try? parsed.value(of: Fixture.label)
                }
            } catch {
                #expect(error.exitCode == .usage)
            }
        }
    }
}
