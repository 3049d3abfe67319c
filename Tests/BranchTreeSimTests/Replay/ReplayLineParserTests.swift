import BranchTree
import BranchTreeSim
import Testing

@Suite struct ReplayLineParserTests {
    private func parse(_ text: String, line: Int = 4) throws(ReplayInputError) -> ReplayEntry? {
        try ReplayLineParser.parse(Array(text.utf8), line: line)
    }

    @Test func readsEveryForm() throws {
        #expect(
            try parse(#"{"op":"join","id":"B"}"#)
                == ReplayEntry(line: 4, operation: .join("B", relayable: true, capacity: nil)))
        #expect(
            try parse(#"{"id":"B","op":"join","relayable":false}"#)
                == ReplayEntry(line: 4, operation: .join("B", relayable: false, capacity: nil)))
        #expect(
            try parse(#" { "op" : "join" , "id" : "B" , "capacity" : 2 , "relayable" : true } "#)
                == ReplayEntry(line: 4, operation: .join("B", relayable: true, capacity: 2)))
        #expect(
            try parse(#"{"op":"join","id":"B","capacity":-0}"#)
                == ReplayEntry(line: 4, operation: .join("B", relayable: true, capacity: 0)))
        #expect(try parse(#"{"op":"leave","id":"D"}"#) == ReplayEntry(line: 4, operation: .leave("D")))
        #expect(try parse(#"{"op":"join","id":"\u00e9 \"x\""}"#)?.id == "é \"x\"")
    }

    @Test(arguments: ["", " ", "\t", " \t \r", "\r"])
    func blankLinesAreSkipped(text: String) throws {
        #expect(try parse(text) == nil)
    }

    @Test func aByteOrderMarkIsAllowedOnTheFirstLineOnly() throws {
        let line = [0xEF, 0xBB, 0xBF] + Array(#"{"op":"leave","id":"D"}"#.utf8)
        #expect(try ReplayLineParser.parse(line, line: 1)?.id == "D")
        #expect(throws: ReplayInputError.self) { try ReplayLineParser.parse(line, line: 2) }
    }

    @Test(arguments: [
        ("not json", "not valid JSON (expected 'null' at column 1)"),
        (#"{"op":"join","id":"A"} x"#, "not valid JSON (unexpected text after the value at column 24)"),
        (#"{"op":"join","id":"A",}"#, "not valid JSON (unexpected '}', expected a string key at column 23)"),
        ("[1,2]", "expected a JSON object, found an array"),
        (#""join""#, "expected a JSON object, found a string"),
        ("null", "expected a JSON object, found null"),
        ("7", "expected a JSON object, found a number"),
        (#"{"id":"A"}"#, #"missing field "op""#),
        (#"{"op":"join"}"#, #"missing field "id""#),
        (#"{"op":"jion","id":"A"}"#, #"unknown op "jion" (expected "join", "leave" or "restart")"#),
        (#"{"op":1,"id":"A"}"#, #"field "op" must be "join", "leave" or "restart", found a number"#),
        (#"{"op":"join","id":5}"#, #"field "id" must be a string, found a number"#),
        (#"{"op":"join","id":null}"#, #"field "id" must be a string, found null"#),
        (#"{"op":"join","id":""}"#, #"field "id" must not be empty"#),
        (#"{"op":"join","id":"A","relayble":false}"#, #"unknown field "relayble" (did you mean "relayable"?)"#),
        (#"{"op":"join","id":"A","viewer":"B"}"#, #"unknown field "viewer""#),
        (#"{"op":"join","id":"A","Op":"join"}"#, #"unknown field "Op" (did you mean "op"?)"#),
        (#"{"op":"join","id":"A","id":"B"}"#, #"duplicate field "id""#),
        (#"{"op":"join","id":"A","relayable":"no"}"#, #"field "relayable" must be true or false, found a string"#),
        (#"{"op":"join","id":"A","relayable":0}"#, #"field "relayable" must be true or false, found a number"#),
        (#"{"op":"join","id":"A","capacity":1.5}"#, #"field "capacity" must be an integer, found 1.5"#),
        (#"{"op":"join","id":"A","capacity":2e0}"#, #"field "capacity" must be an integer, found 2e0"#),
        (#"{"op":"join","id":"A","capacity":"2"}"#, #"field "capacity" must be an integer, found a string"#),
        (
            #"{"op":"join","id":"A","capacity":99999999999999999999}"#,
            #"field "capacity" is out of range: 99999999999999999999"#
        ),
        (
            #"{"op":"join","id":"A","capacity":-9223372036854775809}"#,
            #"field "capacity" is out of range: -9223372036854775809"#
        ),
        (#"{"op":"join","id":"A","capacity":1.0}"#, #"field "capacity" must be an integer, found 1.0"#),
        (#"{"op":"join","id":"A","capacity":1e2}"#, #"field "capacity" must be an integer, found 1e2"#),
        (#"{"op":"join","id":"A","capacity":1E+0}"#, #"field "capacity" must be an integer, found 1E+0"#),
        (#"{"op":"join","id":"A","capacity":-0.0}"#, #"field "capacity" must be an integer, found -0.0"#),
        (#"{"op":"join","id":"A","capacity":1,"capacity":1}"#, #"duplicate field "capacity""#),
        (#"{"op":"join","id":"A","relayable":true,"relayable":false}"#, #"duplicate field "relayable""#),
        (#"{"op":"join","op":"join","id":"A"}"#, #"duplicate field "op""#),
        (#"{"op":"leave","id":"A","relayable":true}"#, #"field "relayable" is only allowed with "op":"join""#),
        (#"{"op":"leave","id":"A","capacity":1}"#, #"field "capacity" is only allowed with "op":"join""#),
    ])
    func badLinesNameTheProblem(text: String, message: String) {
        #expect(throws: ReplayInputError(line: 4, message: message)) { try parse(text) }
    }

    @Test func readsRestarts() throws {
        func restart(_ strategy: RestartStrategy? = nil, missing: [ViewerID] = []) -> ReplayEntry {
            ReplayEntry(line: 4, action: .restart(ReplayRestart(strategy: strategy, missing: missing)))
        }
        #expect(try parse(#"{"op":"restart"}"#) == restart())
        #expect(try parse(#"{"op":"restart","strategy":"restore"}"#) == restart(.restore))
        #expect(try parse(#"{"strategy":"reconnect-all","op":"restart","missing":[]}"#) == restart(.reconnectAll))
        #expect(try parse(#" {"op":"restart","missing":[ "Y" , "X" ]} "#) == restart(missing: ["Y", "X"]))
        let entry = try #require(try parse(#"{"op":"restart"}"#))
        #expect(entry.opName == "restart")
        #expect(entry.id == nil && entry.operation == nil)
    }

    @Test(arguments: [
        (#"{"op":"restart","id":"A"}"#, #"field "id" is only allowed with "op":"join" or "leave""#),
        (#"{"op":"restart","relayable":true}"#, #"field "relayable" is only allowed with "op":"join""#),
        (#"{"op":"restart","capacity":1}"#, #"field "capacity" is only allowed with "op":"join""#),
        (
            #"{"op":"restart","strategy":"rebuild"}"#,
            #"field "strategy" must be "reconnect-all" or "restore", found "rebuild""#
        ),
        (
            #"{"op":"restart","strategy":"reconnect_all"}"#,
            #"field "strategy" must be "reconnect-all" or "restore", found "reconnect_all" (did you mean "reconnect-all"?)"#
        ),
        (
            #"{"op":"restart","strategy":"Restore"}"#,
            #"field "strategy" must be "reconnect-all" or "restore", found "Restore" (did you mean "restore"?)"#
        ),
        (#"{"op":"restart","strategy":1}"#, #"field "strategy" must be "reconnect-all" or "restore", found a number"#),
        (#"{"op":"restart","strategy":null}"#, #"field "strategy" must be "reconnect-all" or "restore", found null"#),
        (#"{"op":"restart","missing":"X"}"#, #"field "missing" must be an array of viewer ids, found a string"#),
        (#"{"op":"restart","missing":{"X":1}}"#, #"field "missing" must be an array of viewer ids, found an object"#),
        (#"{"op":"restart","missing":["X",2]}"#, #"field "missing" must hold only strings, found a number"#),
        (#"{"op":"restart","missing":[["X"]]}"#, #"field "missing" must hold only strings, found an array"#),
        (#"{"op":"restart","missing":["X",""]}"#, #"field "missing" must not hold an empty id"#),
        (#"{"op":"restart","missing":["X","Y","X"]}"#, #"field "missing" lists "X" twice"#),
        (#"{"op":"restart","misssing":["X"]}"#, #"unknown field "misssing" (did you mean "missing"?)"#),
        (#"{"op":"restart","stratgy":"restore"}"#, #"unknown field "stratgy" (did you mean "strategy"?)"#),
        (#"{"op":"restart","strategy":"restore","strategy":"restore"}"#, #"duplicate field "strategy""#),
        (#"{"op":"join","id":"A","strategy":"restore"}"#, #"field "strategy" is only allowed with "op":"restart""#),
        (#"{"op":"leave","id":"A","missing":["B"]}"#, #"field "missing" is only allowed with "op":"restart""#),
        (#"{"op":"Restart"}"#, #"unknown op "Restart" (expected "join", "leave" or "restart")"#),
    ])
    func badRestartLinesNameTheField(text: String, message: String) {
        #expect(throws: ReplayInputError(line: 4, message: message)) { try parse(text) }
    }

    /// A valid line made invalid in one of the ways Foundation's `JSONDecoder` lets
    /// through — one of its members written twice, or its capacity with a fraction or an
    /// exponent — is always refused, naming the line.
    @Test func loosenedLinesAreRefused() {
        var random = Xoshiro256StarStar(seed: 0x11AE)
        let lines = [
            #"{"op":"join","id":"B","relayable":true,"capacity":2}"#, #"{"op":"leave","id":"B"}"#,
            #"{"op":"restart","strategy":"restore","missing":["X"]}"#,
        ]
        for round in 0..<300 {
            let line = lines[random.next(below: lines.count)]
            let members = line.matches(of: /"(\w+)":(\d+|true|false|"[^"]*"|\[[^\]]*\])/)
            let member = members[random.next(below: members.count)]
            var loosened =
                String(line[..<member.range.lowerBound]) + member.output.0 + "," + line[member.range.lowerBound...]
            if member.output.1 == "capacity", random.nextBool(probability: 0.5) {
                loosened = line.replacing(
                    #""capacity":2"#, with: #""capacity":2"# + [".0", "e0", "E-0"][random.next(below: 3)])
            }
            #expect(throws: ReplayInputError.self, "\(loosened)") {
                try ReplayLineParser.parse(Array(loosened.utf8), line: round + 1)
            }
        }
    }

    @Test func invalidUTF8() {
        let bytes = Array(#"{"op":"join","id":""#.utf8) + [0xFF] + Array(#""}"#.utf8)
        #expect(throws: ReplayInputError(line: 9, message: "not valid UTF-8")) {
            try ReplayLineParser.parse(bytes, line: 9)
        }
    }

    @Test func errorDescriptionStartsWithTheLine() {
        #expect(
            ReplayInputError(line: 7, message: #"unknown viewer "X""#).description == #"line 7: unknown viewer "X""#)
    }

    @Test func randomBytesNeverCrash() {
        var random = Xoshiro256StarStar(seed: 2024)
        let fragments = [
            #"{"#, #"}"#, #"""#, #":"#, #","#, #""op""#, #""id""#, #""join""#, #""leave""#,
            #""relayable""#, #""capacity""#, #""restart""#, #""strategy""#, #""missing""#, #""restore""#,
            "true", "false", "null", "1", "-1", "2.5", " ", "[", "]",
            #"\u"#, #"\"#, "é", "\u{0}",
        ]
        for round in 0..<20_000 {
            let bytes: [UInt8]
            if round % 2 == 0 {
                bytes = (0..<random.next(below: 40)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            } else {
                bytes = Array(
                    (0..<random.next(below: 16)).map { _ in fragments[random.next(below: fragments.count)] }.joined()
                        .utf8)
            }
            do {
                if let entry = try ReplayLineParser.parse(bytes, line: round + 1) {
                    #expect(entry.id.map { !$0.rawValue.isEmpty } ?? (entry.opName == "restart"))
                    #expect(entry.line == round + 1)
                }
            } catch {
                #expect(error.line == round + 1)
                #expect(!error.message.isEmpty)
            }
        }
    }
}
