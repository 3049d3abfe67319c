import BranchTree
import BranchTreeTesting
import Foundation
import Testing

@testable import BranchTreeSim

/// `branchtree-sim plan` in-process, on tiny audiences and short runs; one replicate and one
/// broadcaster fan-out unless a test is about them.
@Suite struct PlanCommandTests {
    static let candidates = ["plan", "--audience", "40", "--duration", "30", "--fanout", "2,3"]
    static let small = candidates + ["--replicates", "1", "--broadcaster-fanout", "1"]

    @Test func recommendsACandidateAndShowsThemAll() throws {
        let run = SimRun(Self.small)
        #expect(run.status == 0)
        #expect(run.stderr.isEmpty)
        #expect(run.stdout.hasPrefix("Audience: 40 viewers of a 2.5Mbps stream, uplink headroom 0.8\n"))
        #expect(
            run.stdout.contains("low 25 % at 1Mbps relays 0, mid 45 % at 5Mbps relays 1, high 30 % at 20Mbps relays 6"))
        #expect(run.stdout.contains("Limits: none"))
        #expect(run.stdout.contains("\nRecommendation: fan-out "))
        for label in [
            "tree height (levels)", "deepest viewer's depth", "p99 depth", "interruptions per viewer-hour",
            "continuity index", "broadcaster upload", "viewers that can relay",
        ] {
            #expect(run.stdout.contains("\n  " + label + "  "), "\(label)")
        }
        #expect(run.stdoutLines.contains { $0.hasPrefix("  viewers that can relay ") && $0.hasSuffix(" 75 %") })
        #expect(
            run.stdoutLines.contains { $0.hasPrefix("  broadcaster upload ") && $0.hasSuffix(" 1 stream, 2.5Mbps") })
        #expect(!run.stdout.contains("Sure at 95 %"), "one replicate: no interval to be sure by")
        #expect(run.stdout.contains("Candidates (30 simulated seconds per run, seed 1):\n"))
        let rows = run.stdoutLines.drop { !$0.hasPrefix("fanout") }
        #expect(rows.count == 7, "a header, then fan-outs 2 and 3 × three policies")
        #expect(rows.filter { $0.hasSuffix("recommended") }.count == 1)
        #expect(!run.stdout.contains("±"))
    }

    @Test(arguments: ["table", "csv", "json"])
    func oneJobAndTwoJobsPrintTheSameBytes(format: String) {
        // Replicates added where the depth limit falls inside an interval, too.
        let options =
            Self.candidates + [
                "--replicates", "2", "--max-replicates", "4", "--format", format, "--max-depth", "8",
            ]
        let one = SimRun(options + ["--jobs", "1"])
        let two = SimRun(options + ["--jobs", "2"])
        #expect(one.status == 0)
        #expect(one.stdout == two.stdout)
    }

    @Test func csvHasARowPerCandidate() {
        let run = SimRun(Self.small + ["--format", "csv", "--policy", "rejoin"])
        #expect(run.status == 0)
        #expect(run.stdoutLines.count == 3)
        #expect(
            run.stdoutLines[0]
                == "fanout,broadcasterFanout,policy,relaySlotsPerViewer,broadcasterUpload,replicates,height,p99Depth,"
                + "interruptionsPerViewerHour,interruptedSecondsPerViewerHour,continuityIndex,strandedViewers,result")
        #expect(run.stdoutLines[1].hasPrefix("2,1,rejoin,1.05,2.5Mbps,1,"))
        #expect(run.stdoutLines[2].hasPrefix("3,1,rejoin,1.35,2.5Mbps,1,"))
    }

    @Test func csvOverReplicatesHasTheIntervalsEnds() throws {
        let run = SimRun(
            Self.candidates + [
                "--replicates", "2", "--broadcaster-fanout", "1,2", "--policy", "skyway", "--format", "csv",
            ])
        #expect(run.status == 0)
        #expect(run.stdoutLines.count == 5)
        let header = CSVLine.fields(run.stdoutLines[0])
        #expect(
            header.prefix(9) == [
                "fanout", "broadcasterFanout", "policy", "relaySlotsPerViewer", "broadcasterUpload", "replicates",
                "height", "height.low", "height.high",
            ])
        #expect(header.last == "result")
        let rows = run.stdoutLines.dropFirst().map(CSVLine.fields)
        #expect(rows.map { "\($0[0]) \($0[1]) \($0[4])" } == ["2 1 2.5Mbps", "2 2 5Mbps", "3 1 2.5Mbps", "3 2 5Mbps"])
        let position = try #require(header.firstIndex(of: "interruptionsPerViewerHour"))
        for row in rows {
            #expect(row.count == header.count, "a text with a comma must be quoted: \(row.last ?? "")")
            let (mean, low, high) = (
                try #require(Double(row[position])), try #require(Double(row[position + 1])),
                try #require(Double(row[position + 2]))
            )
            #expect(low <= mean && mean <= high)
        }
    }

    /// The rule, checked on the figures the JSON prints: the candidates within the depth
    /// limit at the upper end of their interval; of those, the one with the fewest
    /// interruptions sets the mark, every one within 10 % of it is as good (others may be,
    /// when their difference from it, seed by seed, is not measurable); the simplest of
    /// those as good is recommended.
    @Test func theDecisionFollowsTheFiguresItPrints() throws {
        let run = SimRun(
            Self.candidates + ["--replicates", "3", "--max-replicates", "6", "--format", "json", "--max-depth", "10"])
        #expect(run.status == 0)
        let plan = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let candidates = try #require(plan["candidates"] as? [[String: Any]])
        #expect(candidates.count == 12, "fan-outs 2, 3 × broadcaster fan-outs 1, 2 × three policies")
        func interval(_ candidate: [String: Any], _ name: String) throws -> (mean: Double, low: Double, high: Double) {
            let figure = try #require(candidate[name] as? [String: Any])
            return (
                try #require(figure["mean"] as? Double), try #require(figure["low"] as? Double),
                try #require(figure["high"] as? Double)
            )
        }
        var within: [Int] = []
        var rates: [Double] = []
        var replicates: [Int] = []
        for (index, candidate) in candidates.enumerated() {
            replicates.append(try #require(candidate["replicates"] as? Int))
            if try interval(candidate, "height").high - 1 <= 10 { within.append(index) }
            rates.append(try interval(candidate, "interruptionsPerViewerHour").mean)
        }
        #expect(replicates.allSatisfy { (3...6).contains($0) })
        #expect(Set(within.map { replicates[$0] }).count == 1, "candidates within the limits ran the same seeds")
        let mark = try #require(within.min { rates[$0] < rates[$1] })
        let results = candidates.map { $0["result"] as? String ?? "" }
        let asGood = within.filter { ["recommended", "meets limits; as good"].contains(results[$0]) }
        #expect(asGood.contains(mark))
        for index in within {
            // Within 10 % of the mark: as good. Further: as good only if not measurably different.
            if rates[index] <= rates[mark] * 1.1 { #expect(asGood.contains(index), "\(index)") }
            if !asGood.contains(index) { #expect(results[index] == "meets limits") }
        }
        func rank(_ index: Int) -> (Int, Int, Int) {
            let candidate = candidates[index]
            let policy = Policy.allCases.firstIndex { $0.rawValue == candidate["policy"] as? String } ?? 0
            return (candidate["broadcasterFanout"] as? Int ?? 0, candidate["fanout"] as? Int ?? 0, policy)
        }
        let simplest = try #require(asGood.min { rank($0) < rank($1) })
        #expect(asGood.count > 1, "a case where simplicity decides")
        #expect(plan["limitsMet"] as? Bool == true)
        let recommended = try #require(plan["recommended"] as? [String: Any])
        #expect(NSDictionary(dictionary: recommended).isEqual(to: candidates[simplest]))
        #expect(results[simplest] == "recommended")
        for index in candidates.indices where !within.contains(index) {
            #expect(results[index].hasPrefix("depth up to "))
        }
        let inputs = try #require(plan["inputs"] as? [String: Any])
        #expect(inputs["maxDepth"] as? Int == 10)
        #expect(inputs["audience"] as? Int == 40)
        #expect(inputs["replicates"] as? Int == 3)
        #expect(inputs["maxReplicates"] as? Int == 6)
    }

    @Test func theTableSaysHowSureTheRecommendationIs() {
        let run = SimRun(Self.candidates + ["--replicates", "3", "--max-replicates", "6", "--max-depth", "10"])
        #expect(run.status == 0)
        let heading = run.stdoutLines.first { $0.hasPrefix("Candidates (") } ?? ""
        #expect(heading.hasPrefix("Candidates (30 simulated seconds per run, 3 replicates each, up to 6 "))
        #expect(heading.hasSuffix("seed 1 and seeds derived from it; ± is the 95 % confidence interval):"))
        let sure = run.stdoutLines.first { $0.hasPrefix("  Sure at 95 % over ") }
        #expect(sure?.contains("within every limit at the pessimistic end of its 95 % interval") == true)
        #expect(sure?.contains("marked 'as good'), and the simplest of them.") == true)
        #expect(run.stdoutLines.contains { $0.hasPrefix("  interruptions per viewer-hour ") && $0.contains(" ± ") })
        #expect(run.stdoutLines.filter { $0.hasSuffix("meets limits; as good") }.count >= 1)
    }

    /// What `plan` measured on one seed: the recommended fan-out, and each candidate's
    /// interruptions per viewer-hour.
    static func planOnSeed(_ seed: Int, _ options: [String]) throws -> (
        fanout: Int, rates: [(mean: Double, low: Double, high: Double)]
    ) {
        let run = SimRun(
            ["plan", "--audience", "300", "--duration", "120", "--policy", "skyway", "--broadcaster-fanout", "1"]
                + options + ["--seed", String(seed), "--format", "json"])
        #expect(run.status == 0)
        let plan = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let rates = try #require(plan["candidates"] as? [[String: Any]]).map { candidate in
            let rate = try #require(candidate["interruptionsPerViewerHour"] as? [String: Any])
            return (
                mean: try #require(rate["mean"] as? Double), low: try #require(rate["low"] as? Double),
                high: try #require(rate["high"] as? Double)
            )
        }
        let recommended = try #require(plan["recommended"] as? [String: Any])
        return (try #require(recommended["fanout"] as? Int), rates)
    }

    /// The rule's point: the answer does not hang on the seed. (Both seed-independence tests
    /// plan five times, so they run in the thorough run only: `BRANCHTREE_THOROUGH=1`.) Fan-outs 5 and 6, when every
    /// viewer relays, cannot be told apart (neither is measurably more than 10 % worse): the
    /// simpler, 5, whatever the base seed — while which of them has the lower mean changes
    /// from seed to seed.
    @Test(.enabled(if: Thoroughness.current == .thorough, "a stress run: five plans"))
    func asGoodCandidatesGiveTheSimplerWhateverTheSeed() throws {
        var recommended: [Int] = []
        var lowerMean: [Int] = []
        for seed in 1...5 {
            let plan = try Self.planOnSeed(seed, ["--uplinks", "relay:1", "--fanout", "5,6"])
            recommended.append(plan.fanout)
            lowerMean.append(plan.rates[0].mean < plan.rates[1].mean ? 5 : 6)
        }
        #expect(recommended == [5, 5, 5, 5, 5])
        // Else this configuration no longer shows the rule at work: choose another.
        #expect(Set(lowerMean).count == 2, "lower mean by seed: \(lowerMean)")
    }

    /// And a candidate that is measurably better, seed by seed, wins on every seed, though its
    /// interval and the simpler one's may overlap: fan-out 4 over 2 with the default uplinks.
    @Test(.enabled(if: Thoroughness.current == .thorough, "a stress run: five plans"))
    func aMeasurablyBetterCandidateWinsWhateverTheSeed() throws {
        var recommended: [Int] = []
        var overlapping = 0
        for seed in 1...5 {
            let plan = try Self.planOnSeed(seed, ["--fanout", "2,4"])
            recommended.append(plan.fanout)
            if plan.rates[0].low <= plan.rates[1].high { overlapping += 1 }
        }
        #expect(recommended == [4, 4, 4, 4, 4])
        // Else comparing the two intervals alone would do: choose another configuration.
        #expect(overlapping > 0)
    }

    @Test func unmetLimitsAreSaidClearlyWithTheClosest() throws {
        let run = SimRun(Self.small + ["--max-depth", "0"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("Limits: depth ≤ 0"))
        #expect(run.stdout.contains("\nNo candidate meets the limits. Closest: fan-out "))
        #expect(run.stdoutLines.filter { $0.contains("closest: depth") }.count == 1)
        let json = SimRun(Self.small + ["--max-depth", "0", "--format", "json"])
        let plan = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(plan["limitsMet"] as? Bool == false)
        #expect(plan["recommended"] is NSNull)
        #expect(plan["closest"] is [String: Any])
    }

    @Test func nobodyCanRelay() throws {
        let run = SimRun(["plan", "--audience", "40", "--uplinks", "slow:1:1Mbps", "--replicates", "1"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("No candidate: no viewer's uplink carries a copy of the stream"))
        #expect(run.stdout.contains("Candidates (600 simulated seconds per run, seed 1):\n  none\n"))
    }

    @Test func fanoutsThatCannotCarryTheAudienceAreNotSimulated() {
        let run = SimRun(Self.small + ["--fanout", "1,2", "--format", "csv", "--policy", "skyway"])
        #expect(run.status == 0)
        #expect(
            run.stdoutLines[1] == "1,1,skyway,0.75,2.5Mbps,,,,,,,,not simulated: too few relay slots for the audience")
        #expect(run.stdoutLines[2].hasPrefix("2,1,skyway,1.05,2.5Mbps,1,"))
    }

    @Test func progressNamesEachSimulatedCandidateOnStandardErrorOnly() {
        let arguments = Self.small + ["--fanout", "1,2,3", "--jobs", "2"]
        let quiet = SimRun(arguments)
        let run = SimRun(arguments + ["--progress"])
        #expect(run.status == 0)
        #expect(run.stdout == quiet.stdout)
        let lines = run.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 6, "fan-out 1 cannot carry the audience, so it is not simulated")
        var described: Set<String> = []
        for (position, line) in lines.enumerated() {
            let match = line.wholeMatch(of: /\[(\d+)\/6\] (.*): \d+\.\d s/)
            #expect(match?.1 == "\(position + 1)"[...], "\(line)")
            if let match { described.insert(String(match.2)) }
        }
        #expect(
            described == [
                "fan-out 2, broadcaster fan-out 1, skyway, seed 1", "fan-out 2, broadcaster fan-out 1, rejoin, seed 1",
                "fan-out 2, broadcaster fan-out 1, stable, seed 1", "fan-out 3, broadcaster fan-out 1, skyway, seed 1",
                "fan-out 3, broadcaster fan-out 1, rejoin, seed 1", "fan-out 3, broadcaster fan-out 1, stable, seed 1",
            ])
    }

    @Test(arguments: [
        ["--uplinks", "a:0.5:5Mbps,b:0.2:1Mbps"], ["--uplinks", "a:1.5:5Mbps"], ["--uplinks", "a:1:5Mbits"],
        ["--uplinks", ""], ["--stream-bitrate", "0"], ["--stream-bitrate", "fast"], ["--headroom", "0"],
        ["--headroom", "1.5"], ["--max-depth", "-1"], ["--max-interruptions-per-hour", "x"], ["--fanout", "2,"],
        ["--policy", "best"], ["--duration", "0"], ["--non-relayable", "0.2"], ["--format", "yaml"],
        ["--broadcaster-fanout", "0"], ["--broadcaster-fanout", "1,x"], ["--replicates", "0"],
        ["--max-replicates", "0"], ["--replicates", "41"], ["--replicates", "3", "--max-replicates", "2"],
        ["--progress=yes"],
    ])
    func usageErrorsExit64(arguments: [String]) {
        let run = SimRun(["plan", "--audience", "10", "--duration", "10"] + arguments)
        run.expectUsageError(of: "plan")
    }

    @Test func aCapBelowTheReplicatesIsNamed() {
        let run = SimRun(["plan", "--audience", "10", "--duration", "10", "--replicates", "3", "--max-replicates", "2"])
        #expect(run.stderr.hasPrefix("Error: '--max-replicates <r>' (2) must be at least the replicates (3)\n"))
    }

    @Test func helpStatesTheRule() {
        let run = SimRun(["help", "plan"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("not measurably worse than the fewest"))
        #expect(run.stdout.contains("the simplest of them is chosen"))
        #expect(run.stdout.contains("--max-depth <d>"))
        #expect(run.stdout.contains("--broadcaster-fanout <n,...>"))
        #expect(run.stdout.contains("--max-replicates <r>"))
        #expect(run.stdout.contains("--progress"))
        #expect(run.stdout.contains("low:0.25:1Mbps,mid:0.45:5Mbps,high:0.3:20Mbps)"))
    }

    // MARK: The tree model

    @Test func theTreeModelLeavesOutWhatItCannotMeasure() throws {
        let table = SimRun(Self.small + ["--model", "tree", "--max-depth", "8"])
        #expect(table.status == 0)
        #expect(table.stdout.contains("\nModel: the tree alone (--model tree): depth and interruptions only"))
        #expect(!table.stdout.contains("\n  continuity index  "))
        #expect(!table.stdout.contains("\n  interrupted seconds per viewer-hour  "))
        #expect(!table.stdout.contains("continuityIndex"))
        #expect(table.stdout.contains("\n  interruptions per viewer-hour  "))
        let csv = SimRun(Self.small + ["--model", "tree", "--format", "csv"])
        #expect(
            csv.stdoutLines[0]
                == "fanout,broadcasterFanout,policy,relaySlotsPerViewer,broadcasterUpload,replicates,height,p99Depth,"
                + "interruptionsPerViewerHour,result")
        let json = SimRun(Self.small + ["--model", "tree", "--format", "json"])
        let plan = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let inputs = try #require(plan["inputs"] as? [String: Any])
        #expect(inputs["model"] as? String == "tree")
        let full = SimRun(Self.small + ["--format", "json"])
        #expect(!full.stdout.contains("\"model\""), "the full model's output is as it always was")
    }

    @Test(arguments: [1, 2] as [UInt64])
    func theTreeModelDecidesOnTheDepthAndInterruptionsItPrints(seed: UInt64) throws {
        let run = SimRun(
            Self.candidates + [
                "--model", "tree", "--replicates", "2", "--max-replicates", "4", "--format", "json", "--max-depth", "9",
                "--max-interruptions-per-hour", "400", "--seed", String(seed),
            ])
        #expect(run.status == 0)
        let plan = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let candidates = try #require(plan["candidates"] as? [[String: Any]])
        for candidate in candidates {
            let height = try #require(candidate["height"] as? [String: Any])
            let rate = try #require(candidate["interruptionsPerViewerHour"] as? [String: Any])
            let deep = try #require(height["high"] as? Double) - 1 > 9
            let often = try #require(rate["high"] as? Double) > 400
            let result = try #require(candidate["result"] as? String)
            #expect(result.contains("depth up to") == deep, "\(result)")
            #expect(result.contains("interruptions/h up to") == often, "\(result)")
            #expect(candidate["continuityIndex"] == nil && candidate["strandedViewers"] == nil)
        }
        #expect((plan["recommended"] is NSNull) != (plan["limitsMet"] as? Bool == true))
    }

    @Test func planFiguresOfTheTreeModelHaveNoMediaOrProtocolFigures() throws {
        var scenario = Scenario()
        scenario.audience = 40
        scenario.duration = 30
        let figures = PlanFigures(report: try SimulationModel.tree.run(scenario))
        #expect(figures.continuityIndex == nil)
        #expect(figures.interruptedSecondsPerViewerHour == nil)
        #expect(figures.strandedViewers == nil)
        #expect(figures.height.mean >= 1)
        let full = PlanFigures(report: try SimulationModel.full.run(scenario))
        #expect(full.continuityIndex != nil && full.strandedViewers != nil)
    }

    @Test func helpSaysWhatTheTreeModelDecidesOn() {
        let run = SimRun(["help", "plan"])
        #expect(run.stdout.contains("--model <name>"))
        #expect(run.stdout.contains("--model tree simulates the tree alone"))
    }
}
