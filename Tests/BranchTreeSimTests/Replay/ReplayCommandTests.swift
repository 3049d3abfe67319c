import BranchTree
import BranchTreeSim
import Foundation
import Testing

@Suite struct ReplayCommandTests {
    static let workedExample = PackagePaths.example("seed-worked-example.jsonl")

    /// The final output for the seed's worked example (Examples/seed-worked-example.jsonl), byte for byte.
    static let workedExampleOutput = """
        {
          "levels": [
            ["D"],
            ["B", "H"],
            ["F", "I", "J"]
          ],
          "nodes": [
            {"id": "D", "parent": "root", "depth": 0, "children": ["B", "H"], "relayable": true, "capacity": 2},
            {"id": "B", "parent": "D", "depth": 1, "children": ["J"], "relayable": true, "capacity": 2},
            {"id": "H", "parent": "D", "depth": 1, "children": ["F", "I"], "relayable": true, "capacity": 2},
            {"id": "F", "parent": "H", "depth": 2, "children": [], "relayable": true, "capacity": 2},
            {"id": "I", "parent": "H", "depth": 2, "children": [], "relayable": true, "capacity": 2},
            {"id": "J", "parent": "B", "depth": 2, "children": [], "relayable": true, "capacity": 2}
          ],
          "summary": {
            "operations": 14,
            "joins": 10,
            "duplicateJoins": 0,
            "leaves": 4,
            "moves": 7,
            "reconnections": 7,
            "interruptedViewers": 10,
            "evicted": 0
          }
        }

        """

    private func object(_ line: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    // MARK: The worked example

    @Test func workedExampleEndsAsTheSeedSays() throws {
        let run = SimRun(["replay", "--fanout", "2", Self.workedExample])
        #expect(run.status == 0)
        #expect(run.stderr.isEmpty)
        #expect(run.stdout == Self.workedExampleOutput)
        let final = try object(run.stdout)
        #expect(final["levels"] as? [[String]] == [["D"], ["B", "H"], ["F", "I", "J"]])
    }

    @Test func workedExampleStepByStep() throws {
        let run = SimRun(["replay", "--each", "--fanout=2", Self.workedExample])
        #expect(run.status == 0)
        #expect(run.stderr.isEmpty)
        let input = try String(contentsOfFile: Self.workedExample, encoding: .utf8).split(separator: "\n")
        #expect(run.stdoutLines.count == 14)
        #expect(run.stdoutLines.count == input.count)
        var levelsAfter: [String: [[String]]] = [:]
        for (index, line) in run.stdoutLines.enumerated() {
            #expect(!line.contains(" "), "compact output")
            let step = try object(line)
            let operation = try object(String(input[index]))
            #expect(step["step"] as? Int == index + 1)
            #expect(step["line"] as? Int == index + 1)
            #expect(step["op"] as? String == operation["op"] as? String)
            #expect(step["id"] as? String == operation["id"] as? String)
            #expect(step["change"] is [String: Any])
            #expect(step["nodes"] is [[String: Any]])
            levelsAfter["\(operation["op"]!) \(operation["id"]!)"] = step["levels"] as? [[String]]
        }
        // The seed write-up's pictures, as levels.
        #expect(levelsAfter["join H"] == [["A"], ["B", "C"], ["D", "E", "F", "G"], ["H"]])
        #expect(levelsAfter["leave C"] == [["A"], ["B", "H"], ["D", "E", "F", "G"]])
        #expect(levelsAfter["leave G"] == [["A"], ["B", "H"], ["D", "E", "F", "I"]])
        #expect(levelsAfter["leave E"] == [["D"], ["B", "H"], ["F", "I", "J"]])

        let leaveC = try object(run.stdoutLines[8])
        let change = try #require(leaveC["change"] as? [String: Any])
        #expect(change["outcome"] as? String == "left")
        #expect(
            change["linksCreated"] as? [[String: String]] == [
                ["parent": "A", "child": "H"], ["parent": "H", "child": "F"], ["parent": "H", "child": "G"],
            ])
        let leaveE = try #require(try object(run.stdoutLines[13])["change"] as? [String: Any])
        #expect((leaveE["moves"] as? [Any])?.isEmpty == true)
    }

    @Test func eachAndFinalAgree() throws {
        let each = SimRun(["replay", "--each", "--fanout", "2", Self.workedExample])
        let last = try object(try #require(each.stdoutLines.last))
        let final = try object(SimRun(["replay", "--fanout", "2", Self.workedExample]).stdout)
        #expect(last["levels"] as? [[String]] == final["levels"] as? [[String]])
        #expect((last["nodes"] as? NSArray) == (final["nodes"] as? NSArray))
    }

    // MARK: Input sources

    @Test func standardInputViaDash() throws {
        let log = try String(contentsOfFile: Self.workedExample, encoding: .utf8)
        let run = SimRun(["replay", "--fanout", "2", "-"], stdinText: log)
        #expect(run.status == 0)
        #expect(run.stdout == Self.workedExampleOutput)
    }

    @Test func dashAfterDoubleDashAndFilesNamedLikeOptions() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let log = try String(contentsOfFile: Self.workedExample, encoding: .utf8)
        let path = try directory.write("--each", log)
        #expect(SimRun(["replay", "--fanout", "2", "--", path]).stdout == Self.workedExampleOutput)
        #expect(SimRun(["replay", "--fanout", "2", "--", "-"], stdinText: log).stdout == Self.workedExampleOutput)
    }

    @Test func crlfAndBlankLinesAndNoFinalNewline() {
        let run = SimRun(
            ["replay", "--each", "-"],
            stdinText: "\r\n{\"op\":\"join\",\"id\":\"A\"}\r\n\n  \n{\"op\":\"join\",\"id\":\"B\"}")
        #expect(run.status == 0)
        #expect(run.stdoutLines.count == 2)
        #expect(run.stdoutLines[1].hasPrefix(#"{"step":2,"line":5,"op":"join","id":"B""#))
    }

    @Test func emptyInputGivesAnEmptyTree() {
        let run = SimRun(["replay", "-"], stdinText: "")
        #expect(run.status == 0)
        #expect(
            run.stdout.hasPrefix("{\n  \"levels\": [],\n  \"nodes\": [],\n  \"summary\": {\n    \"operations\": 0,"))
        #expect(SimRun(["replay", "--each", "-"], stdinText: "\n\n").stdout.isEmpty)
    }

    @Test func missingFileIsNoInput() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let missing = directory.path + "/missing.jsonl"
        let run = SimRun(["replay", missing])
        #expect(run.status == 66)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr == "Error: cannot open '\(missing)': No such file or directory\n")
        let folder = SimRun(["replay", directory.path])
        #expect(folder.status == 66)
        #expect(folder.stderr == "Error: cannot read '\(directory.path)': it is a directory\n")
    }

    @Test func unreadableFileIsNoInput() throws {
        guard getuid() != 0 else { return }  // root reads everything
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("secret.jsonl", "{}\n")
        try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: path)
        let run = SimRun(["replay", path])
        #expect(run.status == 66)
        #expect(run.stderr == "Error: cannot open '\(path)': Permission denied\n")
    }

    // MARK: Options

    @Test func optionsReachTheTree() throws {
        let log = (1...4).map { #"{"op":"join","id":"v\#($0)"}"# }.joined(separator: "\n")
        let run = SimRun(
            ["replay", "--broadcaster-fanout", "2", "--fanout=1", "--root-id", "studio", "-"], stdinText: log)
        #expect(run.status == 0)
        let final = try object(run.stdout)
        #expect(final["levels"] as? [[String]] == [["v1", "v2"], ["v3", "v4"]])
        let first = try #require((final["nodes"] as? [[String: Any]])?.first)
        #expect(first["parent"] as? String == "studio")
        #expect(first["capacity"] as? Int == 1)
    }

    @Test func policiesDiffer() throws {
        let log = try String(contentsOfFile: Self.workedExample, encoding: .utf8)
        let skyway = SimRun(["replay", "--fanout", "2", "--policy", "skyway", "-"], stdinText: log)
        let rejoin = SimRun(["replay", "--fanout", "2", "--policy=rejoin", "-"], stdinText: log)
        #expect(skyway.stdout == Self.workedExampleOutput)
        #expect(rejoin.status == 0)
        #expect(rejoin.stdout != skyway.stdout)
    }

    @Test func capacityAndRelayableReachTheTree() throws {
        let log = """
            {"op":"join","id":"A"}
            {"op":"join","id":"B","relayable":false}
            {"op":"join","id":"C","capacity":1}
            {"op":"join","id":"D","relayable":true,"capacity":0}
            """
        let run = SimRun(["replay", "-"], stdinText: log)
        #expect(run.status == 0)
        let nodes = try #require(try object(run.stdout)["nodes"] as? [[String: Any]])
        #expect(nodes.map { $0["capacity"] as? Int } == [3, 0, 1, 0])
        #expect(nodes.map { $0["relayable"] as? Bool } == [true, false, true, false])
    }

    @Test func rootIDMustNotBeEmpty() {
        let run = SimRun(["replay", "--root-id", "", "-"])
        #expect(run.status == 64)
        #expect(run.stderr.hasPrefix("Error: invalid value '' for '--root-id <id>': expected a non-empty string\n"))
    }

    @Test(arguments: [
        (["replay"], "missing argument '<file>'"),
        (["replay", "--fanout", "0", "f"], "invalid value '0' for '--fanout <n>': expected an integer in 1...64"),
        (["replay", "--fanout", "99", "f"], "invalid value '99' for '--fanout <n>': expected an integer in 1...64"),
        (["replay", "--fanout=three", "f"], "invalid value 'three' for '--fanout <n>': expected an integer in 1...64"),
        (["replay", "--fanout", "-1", "f"], "invalid value '-1' for '--fanout <n>': expected an integer in 1...64"),
        (
            ["replay", "--broadcaster-fanout", "0", "f"],
            "invalid value '0' for '--broadcaster-fanout <n>': expected an integer in 1...64"
        ),
        (
            ["replay", "--policy", "nope", "f"],
            "invalid value 'nope' for '--policy <name>': expected one of: skyway, rejoin, stable"
        ),
        (["replay", "--policy", "f"], "missing argument '<file>'"),
        (["replay", "--fanout"], "missing value for '--fanout <n>'"),
        (["replay", "--fanout", "--each", "f"], "missing value for '--fanout <n>'"),
        (["replay", "--each=yes", "f"], "option '--each' does not take a value"),
        (["replay", "--fanuot", "2", "f"], "unknown option '--fanuot' (did you mean '--fanout'?)"),
        (["replay", "-e", "f"], "unknown option '-e'"),
        (["replay", "a", "b"], "unexpected argument 'b'"),
    ])
    func usageErrors(arguments: [String], message: String) {
        let run = SimRun(arguments)
        #expect(run.status == 64)
        #expect(run.stdout.isEmpty)
        #expect(
            run.stderr == """
                Error: \(message)
                See 'branchtree-sim replay --help'.

                """)
    }

    @Test func usageErrorsComeBeforeInputErrors() {
        #expect(SimRun(["replay", "--fanout", "0", "/nonexistent/file"]).status == 64)
    }

    // MARK: Bad lines

    /// Two good lines and a blank one, then the bad line as line 4.
    private static let prefix = "{\"op\":\"join\",\"id\":\"A\"}\n{\"op\":\"join\",\"id\":\"B\"}\n\n"

    @Test(arguments: [
        ("not json", "not valid JSON"),
        (#"{"op":"join","id":"C"}}"#, "not valid JSON"),
        ("[]", "expected a JSON object, found an array"),
        (#"{"id":"C"}"#, #"missing field "op""#),
        (#"{"op":"join"}"#, #"missing field "id""#),
        (#"{"op":"part","id":"C"}"#, #"unknown op "part""#),
        (#"{"op":"join","id":""}"#, #"field "id" must not be empty"#),
        (#"{"op":"join","id":7}"#, #"field "id" must be a string"#),
        (#"{"op":"join","id":"C","relayble":false}"#, #"unknown field "relayble""#),
        (#"{"op":"join","id":"C","relayable":"false"}"#, #"field "relayable" must be true or false"#),
        (#"{"op":"join","id":"C","capacity":1.0}"#, #"field "capacity" must be an integer"#),
        (#"{"op":"leave","id":"A","capacity":1}"#, #"field "capacity" is only allowed with "op":"join""#),
        (#"{"op":"join","id":"C","op":"leave"}"#, #"duplicate field "op""#),
        (#"{"op":"join","id":"C","capacity":2e0}"#, #"field "capacity" must be an integer, found 2e0"#),
        (#"{"op":"join","id":"C","id":"D"}"#, #"duplicate field "id""#),
        (#"{"op":"leave","id":"X"}"#, #"unknown viewer "X""#),
        (#"{"op":"join","id":"root"}"#, #""root" is the broadcaster's id"#),
        (#"{"op":"leave","id":"root"}"#, #""root" is the broadcaster and cannot leave"#),
        (#"{"op":"join","id":"C","capacity":4}"#, "capacity 4 is invalid"),
        (#"{"op":"join","id":"C","capacity":-1}"#, "capacity -1 is invalid"),
        (#"{"op":"join","id":"C","relayable":false,"capacity":2}"#, "capacity 2 is invalid"),
    ])
    func badLineStopsWithDataError(line: String, message: String) {
        let log = Self.prefix + line + "\n{\"op\":\"join\",\"id\":\"Z\"}\n"
        let run = SimRun(["replay", "-"], stdinText: log)
        #expect(run.status == 65)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.hasPrefix("Error: line 4: \(message)"), "\(run.stderr)")
        #expect(run.stderr.split(separator: "\n").count == 1, "no usage for data errors")

        let each = SimRun(["replay", "--each", "-"], stdinText: log)
        #expect(each.status == 65)
        #expect(each.stdoutLines.count == 2, "the lines before the bad one were printed")
        #expect(each.stderr == run.stderr)
    }

    @Test func invalidUTF8Line() {
        let bytes = Array(Self.prefix.utf8) + [0x7B, 0xC3, 0x28, 0x7D, 0x0A]
        let run = SimRun(["replay", "-"], stdin: .bytes(bytes))
        #expect(run.status == 65)
        #expect(run.stderr == "Error: line 4: not valid UTF-8\n")
    }

    @Test func noRelaySlotIsADataError() {
        // Fan-out 1 behind a first viewer that cannot relay: a second one that cannot
        // relay has no place (one that can would take A's place instead).
        let log = """
            {"op":"join","id":"A","relayable":false}
            {"op":"join","id":"B","relayable":false}
            {"op":"join","id":"C"}

            """
        let run = SimRun(["replay", "--fanout", "1", "-"], stdinText: log)
        #expect(run.status == 65)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr == "Error: line 2: no viewer has a free relay slot for \"B\"\n")

        let each = SimRun(["replay", "--each", "--fanout", "1", "-"], stdinText: log)
        #expect(each.status == 65)
        #expect(each.stdoutLines.count == 1, "only line 1 was applied")
        #expect(each.stderr == run.stderr)
    }

    @Test func relayableJoinerDisplacesInsteadOfFailing() throws {
        let log = """
            {"op":"join","id":"A","relayable":false}
            {"op":"join","id":"B"}

            """
        let run = SimRun(["replay", "--each", "--fanout", "1", "-"], stdinText: log)
        #expect(run.status == 0)
        #expect(run.stderr.isEmpty)
        #expect(run.stdoutLines.count == 2)
        let step = try object(run.stdoutLines[1])
        #expect(step["levels"] as? [[String]] == [["B"], ["A"]])
        let change = try #require(step["change"] as? [String: Any])
        #expect(change["reconnecting"] as? [String] == ["A"])
    }

    @Test func oddIDsAreEscapedInOutputAndMessages() throws {
        let log = #"{"op":"join","id":"a\"b\\c\n\u0001é"}"# + "\n" + #"{"op":"leave","id":"x\"y"}"#
        let run = SimRun(["replay", "--each", "-"], stdinText: log)
        #expect(run.status == 65)
        #expect(run.stdoutLines.count == 1)
        #expect(try object(run.stdoutLines[0])["id"] as? String == "a\"b\\c\n\u{1}é")
        #expect(run.stderr == "Error: line 2: unknown viewer \"x\"y\"\n")
    }

    // MARK: Determinism

    @Test func twoRunsAreByteIdentical() {
        for arguments in [["replay", "--each"], ["replay"], ["replay", "--policy", "rejoin", "--each"]] {
            let path = PackagePaths.example("mixed-audience.jsonl")
            let first = SimRun(arguments + [path])
            let second = SimRun(arguments + [path])
            #expect(first.stdout == second.stdout)
            #expect(first.stderr == second.stderr)
            #expect(first.status == second.status)
            #expect(!first.stdout.isEmpty)
        }
    }
}
