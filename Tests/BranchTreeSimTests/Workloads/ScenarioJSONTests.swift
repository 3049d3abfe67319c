import BranchTree
import Testing

@testable import BranchTreeSim

/// A scenario with every parameter drawn at random within ``Scenario/Limits``.
func randomScenario(seed: UInt64) -> Scenario {
    var random = Xoshiro256StarStar(seed: seed)
    func number(_ range: ClosedRange<Double>) -> Double {
        range.lowerBound + random.nextUnitDouble() * (range.upperBound - range.lowerBound)
    }
    func integer(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(random.next() % UInt64(range.count))
    }
    func coin() -> Bool { random.next() & 1 == 1 }
    func delays() -> ClosedRange<Double> {
        let (a, b) = (number(0...60), number(0...60))
        return min(a, b)...max(a, b)
    }
    func wait() -> Duration { .nanoseconds(Int64(integer(1_000_000...86_400_000_000_000))) }

    let limits = Scenario.Limits.self
    var scenario = Scenario()
    scenario.seed = random.next()
    scenario.duration = number(limits.duration)
    scenario.audience = integer(limits.audience)
    scenario.arrivalRate = coin() ? number(limits.arrivalRate) : nil
    var at = 0.0
    scenario.rateChanges = (0..<integer(0...3)).map { _ in
        at += number(1...1_000)
        return Scenario.RateChange(at: at, rate: number(limits.rateChangeRate))
    }
    scenario.heavyTailedArrivals = coin()
    scenario.flashCrowd =
        coin() ? ArrivalProcess.FlashCrowd(multiplier: number(1...100), duration: wait()) : nil
    scenario.sessions =
        switch integer(0...2) {
        case 0: .lognormal(mu: number(limits.lognormalMu), sigma: number(limits.lognormalSigma))
        case 1: .exponential(mean: number(limits.sessionSeconds))
        default: .pareto(shape: number(1.1...5), scale: number(limits.sessionSeconds))
        }
    let relayShare = number(0.1...1)
    scenario.uplinks = try! UplinkClasses([
        UplinkClass(name: "relay", share: relayShare, capacity: coin() ? integer(1...64) : nil),
        UplinkClass(name: "leaf \"ü\"", share: 1 - relayShare, relayable: false, capacity: coin() ? 0 : nil),
    ])
    scenario.fanout = integer(limits.fanout)
    scenario.broadcasterFanout = integer(limits.fanout)
    scenario.policy = coin() ? .skyway : .rejoin
    scenario.warmStart = coin()
    scenario.abruptShare = number(limits.abruptShare)
    scenario.departureReports = coin() ? .server : .parents
    scenario.detectionDelay = delays()
    scenario.signallingLatency = delays()
    scenario.connectionSetup = delays()
    scenario.connectionFailureRate = number(limits.connectionFailureRate)
    scenario.restarts = (0..<integer(0...3)).map { _ in number(0...(scenario.duration * 0.999)) }
    scenario.restartDowntime = number(limits.waitSeconds)
    scenario.restartStrategy = coin() ? .restore : .reconnectAll
    scenario.persistInterval = number(limits.waitSeconds)
    scenario.timings = ProtocolTimings(
        joinRetry: wait(), connectTimeout: wait(), repairTimeout: wait(), restoreWindow: wait())
    return scenario
}

/// Reads `text` as a scenario file, returning the error's field and problem on failure.
private func read(_ text: String) -> Result<Scenario, Scenario.JSONError> {
    Result { () throws(Scenario.JSONError) in try Scenario(jsonBytes: Array(text.utf8)) }
}

private func errorField(_ text: String) -> String? {
    guard case .failure(let error) = read(text) else { return nil }
    return error.field
}

@Suite struct ScenarioJSONTests {
    @Test func theDefaultScenarioRoundTrips() throws {
        let text = JSONWriter.string(Scenario().json, style: .pretty)
        #expect(try read(text).get() == Scenario())
        #expect(try read("{}").get() == Scenario())
    }

    @Test(arguments: 0..<40 as Range<UInt64>)
    func randomScenariosRoundTripThroughText(seed: UInt64) throws {
        let scenario = randomScenario(seed: seed)
        try scenario.validate()
        let text = JSONWriter.string(scenario.json, style: .pretty(expandedDepth: 1))
        let back = try read(text).get()
        #expect(back == scenario, "seed \(seed): \(text)")
        // Writing is deterministic: the same scenario prints the same bytes.
        #expect(JSONWriter.string(back.json, style: .pretty(expandedDepth: 1)) == text)
    }

    @Test func everyKeyIsWrittenInOrder() {
        guard case .object(let members) = Scenario().json else {
            Issue.record("not an object")
            return
        }
        #expect(members.map(\.key) == Scenario.jsonKeys)
    }

    @Test func aPartialFileKeepsTheDefaultsElsewhere() throws {
        let scenario = try read(
            #"{"fanout": 4, "timings": {"repairTimeout": 30}, "flashCrowd": {"multiplier": 10, "duration": 60}}"#
        ).get()
        var expected = Scenario()
        expected.fanout = 4
        expected.timings.repairTimeout = .seconds(30)
        expected.flashCrowd = ArrivalProcess.FlashCrowd(multiplier: 10, duration: .seconds(60))
        #expect(scenario == expected)
    }

    @Test func nullClearsTheOptionalParameters() throws {
        let scenario = try read(#"{"arrivalRate": null, "flashCrowd": null}"#).get()
        #expect(scenario.arrivalRate == nil)
        #expect(scenario.flashCrowd == nil)
        #expect(try read(#"{"arrivalRate": 2.5}"#).get().arrivalRate == 2.5)
    }

    @Test func seedsAreReadExactly() throws {
        #expect(try read(#"{"seed": 18446744073709551615}"#).get().seed == .max)
        #expect(try read(#"{"seed": 9007199254740993}"#).get().seed == 9_007_199_254_740_993)
        #expect(errorField(#"{"seed": 18446744073709551616}"#) == "seed")
        #expect(errorField(#"{"seed": 1.5}"#) == "seed")
    }

    @Test(arguments: [
        (#"{"fanout": 99}"#, "fanout", "must be an integer in 1...64, got 99"),
        (#"{"fanout": "3"}"#, "fanout", "must be an integer in 1...64, got a string"),
        (#"{"fanuot": 3}"#, "fanuot", #"unknown key (did you mean "fanout"?)"#),
        (#"{"fanout": 3, "fanout": 4}"#, "fanout", "appears more than once"),
        (#"{"duration": 0}"#, "duration", "must be a number in 1...31536000, got 0"),
        (#"{"duration": 1e400}"#, "duration", "must be a number in 1...31536000, got 1e400"),
        (#"{"audience": -1}"#, "audience", "must be an integer in 0...50000000, got -1"),
        (#"{"arrivalRate": 0}"#, "arrivalRate", "must be a number in 0.000001...10000000, got 0"),
        (#"{"rateChanges": {}}"#, "rateChanges", "must be an array, got an object"),
        (#"{"rateChanges": [{"at": 10}]}"#, "rateChanges[1].rate", "is missing"),
        (#"{"rateChanges": [{"at": 10, "rate": 1, "x": 2}]}"#, "rateChanges[1].x", "unknown key"),
        (#"{"heavyTailedArrivals": 1}"#, "heavyTailedArrivals", "must be true or false, got a number"),
        (
            #"{"flashCrowd": {"multiplier": 0, "duration": 60}}"#, "flashCrowd.multiplier",
            "must be a number in 0.01...1000, got 0"
        ),
        (#"{"sessions": {}}"#, "sessions", #"must have exactly one of the keys "lognormal", "exponential", "pareto""#),
        (#"{"sessions": {"weibull": {}}}"#, "sessions.weibull", "unknown key"),
        (
            #"{"sessions": {"exponential": {"mean": -5}}}"#, "sessions.exponential.mean",
            "must be a number in 0.001...31536000, got -5"
        ),
        (#"{"sessions": {"lognormal": {"mu": 5}}}"#, "sessions.lognormal.sigma", "is missing"),
        (#"{"uplinks": [{"name": "a", "share": 0.5}]}"#, "uplinks", "uplink class shares must add up to 1, got 0.5"),
        (#"{"uplinks": [{"name": "", "share": 1}]}"#, "uplinks[1].name", #"must be a non-empty string, got """#),
        (#"{"uplinks": [{"share": 1}]}"#, "uplinks[1].name", "is missing"),
        (
            #"{"uplinks": [{"name": "a", "share": 1, "capacity": 65}]}"#, "uplinks[1].capacity",
            "must be an integer in 0...64, got 65"
        ),
        (
            #"{"uplinks": [{"name": "a", "share": 1, "relayable": false, "capacity": 2}]}"#, "uplinks",
            #"capacity of uplink class "a" must be 0 or absent when not relayable, got 2"#
        ),
        (#"{"policy": "fast"}"#, "policy", #"must be one of "skyway", "rejoin", "stable", got "fast""#),
        (#"{"warmStart": null}"#, "warmStart", "must be true or false, got null"),
        (#"{"abruptShare": 1.5}"#, "abruptShare", "must be a number in 0...1, got 1.5"),
        (
            #"{"detectionDelay": [30, 5]}"#, "detectionDelay",
            "must be [low, high]: two numbers of seconds in 0...3600, low first, got [30, 5]"
        ),
        (
            #"{"signallingLatency": [0.05]}"#, "signallingLatency",
            "must be [low, high]: two numbers of seconds in 0...3600, low first, got 1 elements"
        ),
        (#"{"connectionSetup": [1, "2"]}"#, "connectionSetup[2]", "must be a number in 0...3600, got a string"),
        (#"{"connectionFailureRate": 0.5}"#, "connectionFailureRate", "must be a number in 0...0.49, got 0.5"),
        (
            #"{"duration": 100, "restarts": [50, 150]}"#, "restarts[2]",
            "must be before the end of the duration (100), got 150"
        ),
        (#"{"restartDowntime": 0}"#, "restartDowntime", "must be a number in 0.001...86400, got 0"),
        (
            #"{"restartStrategy": "reconnect_all"}"#, "restartStrategy",
            #"must be one of "reconnect-all", "restore", got "reconnect_all""#
        ),
        (#"{"persistInterval": -1}"#, "persistInterval", "must be a number in 0.001...86400, got -1"),
        (#"{"timings": {"joinRetry": 0}}"#, "timings.joinRetry", "must be a number in 0.001...86400, got 0"),
        (#"{"timings": {"joinretry": 3}}"#, "timings.joinretry", #"unknown key (did you mean "joinRetry"?)"#),
        (#"[]"#, "", "a scenario must be a JSON object, got an array"),
    ])
    func badFieldsAreNamed(text: String, field: String, problem: String) {
        guard case .failure(let error) = read(text) else {
            Issue.record("\(text) was accepted")
            return
        }
        #expect(error.field == field)
        #expect(error.problem == problem)
        #expect(error.description == (field.isEmpty ? problem : "\"\(field)\": \(problem)"))
    }

    @Test(
        "Integer keys refuse a fraction, an exponent or a number out of range; the unsigned seed refuses -0",
        arguments: [
            (#"{"seed": 1.0}"#, "seed", "must be an integer in 0...18446744073709551615, got 1.0"),
            (#"{"seed": 1e2}"#, "seed", "must be an integer in 0...18446744073709551615, got 1e2"),
            (#"{"seed": -0}"#, "seed", "must be an integer in 0...18446744073709551615, got -0"),
            (#"{"seed": -1}"#, "seed", "must be an integer in 0...18446744073709551615, got -1"),
            (#"{"audience": 1000.0}"#, "audience", "must be an integer in 0...50000000, got 1000.0"),
            (#"{"audience": 1e4}"#, "audience", "must be an integer in 0...50000000, got 1e4"),
            (#"{"audience": 50000001}"#, "audience", "must be an integer in 0...50000000, got 50000001"),
            (
                #"{"audience": 9223372036854775808}"#, "audience",
                "must be an integer in 0...50000000, got 9223372036854775808"
            ),
            (#"{"fanout": 3.0}"#, "fanout", "must be an integer in 1...64, got 3.0"),
            (#"{"broadcasterFanout": 1E0}"#, "broadcasterFanout", "must be an integer in 1...64, got 1E0"),
            (
                #"{"uplinks": [{"name": "a", "share": 1, "capacity": 2.0}]}"#, "uplinks[1].capacity",
                "must be an integer in 0...64, got 2.0"
            ),
            (
                #"{"uplinks": [{"name": "a", "share": 1, "capacity": 2e0}]}"#, "uplinks[1].capacity",
                "must be an integer in 0...64, got 2e0"
            ),
        ])
    func integersAreExact(text: String, field: String, problem: String) {
        guard case .failure(let error) = read(text) else {
            Issue.record("\(text) was accepted")
            return
        }
        #expect(error == Scenario.JSONError(field: field, problem: problem))
    }

    @Test func negativeZeroIsZeroInSignedKeys() throws {
        #expect(try read(#"{"audience": -0}"#).get().audience == 0)
    }

    @Test(
        "A repeated key is refused at every level, naming it",
        arguments: [
            (#"{"seed": 1, "seed": 1}"#, "seed"),
            (#"{"seed": 1, "fanout": 3, "seed": 2}"#, "seed"),
            (#"{"timings": {"joinRetry": 3, "joinRetry": 4}}"#, "timings.joinRetry"),
            (#"{"flashCrowd": {"multiplier": 10, "duration": 60, "multiplier": 10}}"#, "flashCrowd.multiplier"),
            (#"{"sessions": {"lognormal": {"mu": 5, "sigma": 1, "mu": 5}}}"#, "sessions.lognormal.mu"),
            (#"{"sessions": {"exponential": {"mean": 5}, "exponential": {"mean": 5}}}"#, "sessions.exponential"),
            (#"{"rateChanges": [{"at": 10, "rate": 1, "at": 10}]}"#, "rateChanges[1].at"),
            (#"{"uplinks": [{"name": "a", "share": 1, "name": "b"}]}"#, "uplinks[1].name"),
        ])
    func repeatedKeys(text: String, field: String) {
        guard case .failure(let error) = read(text) else {
            Issue.record("\(text) was accepted")
            return
        }
        #expect(error == Scenario.JSONError(field: field, problem: "appears more than once"))
    }

    /// A written scenario made invalid in one of the ways Foundation's `JSONDecoder` lets
    /// through — one of its members written twice (before itself, so in the same object),
    /// or an integer key's value with a fraction or exponent — is always refused.
    @Test(arguments: 0..<10 as Range<UInt64>)
    func loosenedScenariosAreRefused(seed: UInt64) {
        var random = Xoshiro256StarStar(seed: 0x5CE0_0000 + seed)
        let text = JSONWriter.string(randomScenario(seed: seed).json, style: .pretty(expandedDepth: 1))
        let members = text.matches(of: /"(\w+)": (-?[\d.eE+-]+|true|false|null|"(?:[^"\\]|\\.)*")/)
        let integers = text.matches(of: /"(?:seed|audience|fanout|broadcasterFanout|capacity)": (\d+)/)
        for iteration in 0..<20 {
            let loosened: String
            if random.nextBool(probability: 0.5) {
                let member = members[random.next(below: members.count)]
                loosened =
                    String(text[..<member.range.lowerBound]) + member.output.0 + ", " + text[member.range.lowerBound...]
            } else {
                let integer = integers[random.next(below: integers.count)]
                let suffix = [".0", "e0", "E+0", ".00"][random.next(below: 4)]
                loosened = String(text[..<integer.range.upperBound]) + suffix + text[integer.range.upperBound...]
            }
            guard case .failure = read(loosened) else {
                Issue.record("seed \(seed) iteration \(iteration) was accepted: \(loosened)")
                return
            }
        }
    }

    @Test func textThatIsNotJSONIsLocated() {
        guard case .failure(let error) = read("{\n  \"seed\": 1,\n  \"fanout\": 3,,\n}") else {
            Issue.record("accepted")
            return
        }
        #expect(error.field == "")
        #expect(error.problem.hasPrefix("not JSON: "))
        #expect(error.problem.hasSuffix("at line 3, column 15"))
    }

    /// Each key of a valid file in turn given a value of every wrong kind: the error, if
    /// any, names that key (or a field inside it).
    @Test func aWrongValueIsBlamedOnItsKey() {
        let wrong: [String] = ["null", "true", #""x""#, "-1", "1e400", "[]", "{}", "0.5", "70000000"]
        for key in Scenario.jsonKeys {
            for value in wrong {
                let text = "{\"\(key)\": \(value)}"
                switch read(text) {
                case .success: continue  // e.g. "arrivalRate": null, "abruptShare": 0.5
                case .failure(let error):
                    let blamed =
                        error.field == key || error.field.hasPrefix(key + ".") || error.field.hasPrefix(key + "[")
                    // Leftover cross-field errors have no field; only these keys can cause one.
                    #expect(
                        blamed || error.field.isEmpty && ["sessions", "audience", "heavyTailedArrivals"].contains(key),
                        "\(text): \(error)")
                }
            }
        }
    }

    /// Random byte-level and token-level mutations of a valid file never crash the
    /// reader; each gives a scenario that round-trips, or an error.
    @Test(arguments: 0..<8 as Range<UInt64>)
    func mutatedFilesNeverCrash(seed: UInt64) {
        var random = Xoshiro256StarStar(seed: seed)
        let valid = Array(JSONWriter.string(randomScenario(seed: seed).json, style: .pretty(expandedDepth: 1)).utf8)
        let pieces: [[UInt8]] = [
            "{", "}", "[", "]", ",", ":", "\"", "null", "-", "1e999", "0", "\\u0000", "\u{FF}", "\"fanout\": 2,",
            "[[[[[[", " ", "\n", "99999999999999999999",
        ].map { Array($0.utf8) }
        for _ in 0..<150 {
            var bytes = valid
            for _ in 0...(random.next() % 3) {
                let position = Int(random.next() % UInt64(bytes.count + 1))
                switch random.next() % 4 {
                case 0 where position < bytes.count:
                    bytes.remove(at: position)
                case 1:
                    bytes.insert(contentsOf: pieces[Int(random.next() % UInt64(pieces.count))], at: position)
                case 2 where position < bytes.count:
                    bytes[position] = UInt8(truncatingIfNeeded: random.next())
                default:
                    bytes.removeSubrange(position..<min(bytes.count, position + Int(random.next() % 40)))
                }
            }
            do {
                let scenario = try Scenario(jsonBytes: bytes)
                #expect(try Scenario(json: scenario.json) == scenario)
            } catch {
                #expect(!error.description.isEmpty)
            }
        }
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let text = "{\"sessions\": " + String(repeating: "[", count: 10_000) + "}"
        guard case .failure(let error) = read(text) else {
            Issue.record("accepted")
            return
        }
        #expect(error.problem.hasPrefix("not JSON: "))
    }
}
