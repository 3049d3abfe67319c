import BranchTree
import BranchTreeSim
import Foundation
import Testing

/// Random logs and random command lines: the tool never crashes, and exits 0, 64 or 65
/// with the matching output.
@Suite struct ReplayFuzzTests {
    static let seeds: [UInt64] = [1, 2, 3, 5, 8, 13, 21, 34]

    /// One random line: mostly valid operations on a small id pool (so leaves and
    /// missing viewers of restarts hit existing viewers), sometimes damaged, sometimes
    /// garbage.
    private static func randomLine(_ random: inout Xoshiro256StarStar) -> [UInt8] {
        let id = "v\(random.next(below: 25))"
        var line: String
        switch random.next(below: 11) {
        case 0...3: line = #"{"op":"join","id":"\#(id)"}"#
        case 4: line = #"{"op":"join","id":"\#(id)","relayable":\#(random.nextBool(probability: 0.5))}"#
        case 5: line = #"{"op":"join","id":"\#(id)","capacity":\#(random.next(below: 6) - 1)}"#
        case 6...7: line = #"{"op":"leave","id":"\#(id)"}"#
        case 8:
            line =
                [
                    "", "  ", "{}", "[]", "null", #"{"op":"join"}"#, #"{"op":"leave","id":"root"}"#,
                    #"{"op":"restart","strategy":"rebuild"}"#, #"{"op":"restart","missing":"v1"}"#,
                ][random.next(below: 9)]
        case 9: line = randomRestart(&random, pool: (0..<25).map { "v\($0)" }, share: 0.05).line
        default:
            return (0..<random.next(below: 30)).map { _ in UInt8(truncatingIfNeeded: random.next()) }.filter {
                $0 != 0x0A
            }
        }
        if random.nextBool(probability: 0.03) {
            var bytes = Array(line.utf8)
            if !bytes.isEmpty { bytes[random.next(below: bytes.count)] = UInt8(truncatingIfNeeded: random.next()) }
            return bytes.filter { $0 != 0x0A }
        }
        return Array(line.utf8)
    }

    /// A `restart` line: no strategy, or either one; each of `pool` missing with
    /// probability `share`. Returns the line and the missing ids.
    private static func randomRestart(
        _ random: inout Xoshiro256StarStar, pool: [String], share: Double
    ) -> (line: String, missing: [String]) {
        var line = #"{"op":"restart""#
        switch random.next(below: 3) {
        case 0: line += #","strategy":"restore""#
        case 1: line += #","strategy":"reconnect-all""#
        default: break
        }
        let missing = pool.filter { _ in random.nextBool(probability: share) }
        if !missing.isEmpty || random.nextBool(probability: 0.2) {
            line += #","missing":["# + missing.map { #""\#($0)""# }.joined(separator: ",") + "]"
        }
        return (line + "}", missing)
    }

    /// N from a one-line `Error: line N: …` report.
    private static func reportedLine(_ stderr: String) -> Int? {
        let prefix = "Error: line "
        guard stderr.hasPrefix(prefix), stderr.hasSuffix("\n"), stderr.dropLast().firstIndex(of: "\n") == nil else {
            return nil
        }
        let rest = stderr.dropFirst(prefix.count)
        guard let colon = rest.firstIndex(of: ":") else { return nil }
        return Int(rest[..<colon])
    }

    @Test(arguments: seeds)
    func randomLogsNeverCrash(seed: UInt64) throws {
        var random = Xoshiro256StarStar(seed: seed)
        for _ in 0..<40 {
            let count = 1 + random.next(below: 120)
            let lines = (0..<count).map { _ in Self.randomLine(&random) }
            let bytes = Array(lines.joined(separator: [0x0A]))
            let fanout = 1 + random.next(below: 4)
            let policy = random.nextBool(probability: 0.5) ? "skyway" : "rejoin"
            let each = random.nextBool(probability: 0.5)
            let strategy = random.nextBool(probability: 0.5) ? "restore" : "reconnect-all"
            let arguments =
                ["replay", "--fanout", "\(fanout)", "--policy", policy, "--restart-strategy", strategy]
                + (each ? ["--each"] : []) + ["-"]
            let run = SimRun(arguments, stdin: .bytes(bytes))
            #expect(run.status == 0 || run.status == 65, "seed \(seed): \(run.stderr)")
            if run.status == 0 {
                #expect(run.stderr.isEmpty)
                if !each { _ = try JSONReader.read(Array(run.stdout.utf8)) }
            } else {
                let line = try #require(Self.reportedLine(run.stderr), "seed \(seed): \(run.stderr)")
                #expect((1...count).contains(line))
                if each { #expect(run.stdoutLines.count < line) }
            }
            for output in each ? run.stdoutLines : [] {
                _ = try JSONReader.read(Array(output.utf8))
            }
        }
    }

    @Test(arguments: seeds)
    func validLogsKeepTheTreeValid(seed: UInt64) throws {
        var random = Xoshiro256StarStar(seed: seed)
        var present: [String] = []
        var log = ""
        var next = 0
        for _ in 0..<300 {
            if random.nextBool(probability: 0.03) {
                // Restarts keep whoever is not missing (every viewer here can relay, so
                // none is evicted).
                let (line, missing) = Self.randomRestart(&random, pool: present, share: 0.1)
                present.removeAll(where: missing.contains)
                log += line + "\n"
            } else if present.isEmpty || random.nextBool(probability: 0.6) {
                let id =
                    random.nextBool(probability: 0.1) && !present.isEmpty
                    ? present[random.next(below: present.count)] : "s\(next)"
                if !present.contains(id) {
                    present.append(id)
                    next += 1
                }
                log += #"{"op":"join","id":"\#(id)"}"# + "\n"
            } else {
                let id = present.remove(at: random.next(below: present.count))
                log += #"{"op":"leave","id":"\#(id)"}"# + "\n"
            }
        }
        #expect(log.contains(#""op":"restart""#))
        for policy in ["skyway", "rejoin"] {
            for strategy in ["restore", "reconnect-all"] {
                let fanout = "\(2 + random.next(below: 3))"
                let arguments = ["replay", "--policy", policy, "--fanout", fanout, "--restart-strategy", strategy, "-"]
                let run = SimRun(arguments, stdinText: log)
                #expect(run.status == 0, "\(run.stderr)")
                let final = try #require(
                    try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
                let levels = try #require(final["levels"] as? [[String]])
                #expect(Set(levels.joined()) == Set(present))
                // The final nodes form a valid tree.
                let configuration = try BranchTree.Configuration(
                    fanout: Int(fanout)!, policy: policy == "skyway" ? .skyway : .rejoin)
                try validateReplayedTree(final, configuration: configuration)
            }
        }
    }

    @Test(arguments: seeds)
    func randomCommandLinesNeverCrash(seed: UInt64) {
        var random = Xoshiro256StarStar(seed: seed)
        let words = [
            "replay", "--fanout", "--fanout=", "--broadcaster-fanout", "--policy", "--root-id", "--each",
            "--restart-strategy", "restore", "reconnect-all",
            "--each=1", "--help", "-h", "--version", "--", "-", "0", "1", "3", "64", "65", "-1", "x",
            "skyway", "rejoin", "SKYWAY", "root", "", "=", "-e", "--fan", "help", "/nonexistent",
        ]
        let log = #"{"op":"join","id":"A"}"# + "\n" + #"{"op":"restart"}"# + "\n"
        for _ in 0..<1_000 {
            var arguments = random.nextBool(probability: 0.8) ? ["replay"] : []
            for _ in 0..<random.next(below: 7) { arguments.append(words[random.next(below: words.count)]) }
            // No arguments at all runs the default simulation: not a command line of replay.
            if arguments.isEmpty { continue }
            let run = SimRun(arguments, stdinText: log)
            #expect([0, 64, 65, 66].contains(run.status), "\(arguments): \(run.stderr)")
            if run.status == 64 {
                #expect(run.stderr.hasPrefix("Error: "))
                #expect(run.stderr.hasSuffix("--help'.\n"))
                #expect(run.stdout.isEmpty)
            }
        }
    }
}
