import Foundation
import Testing

@testable import BranchTreeSim

/// `branchtree-sim plan` in-process, on tiny audiences and short runs.
@Suite struct PlanCommandTests {
    static let small = ["plan", "--audience", "40", "--duration", "30", "--fanout", "2,3"]

    @Test func recommendsACandidateAndShowsThemAll() throws {
        let run = SimRun(Self.small)
        #expect(run.status == 0)
        #expect(run.stderr.isEmpty)
        #expect(run.stdout.hasPrefix("Audience: 40 viewers of a 2.5Mbps stream, uplink headroom 0.8\n"))
        #expect(run.stdout.contains("low 25 % at 1Mbps relays 0, mid 45 % at 5Mbps relays 1, high 30 % at 20Mbps relays 6"))
        #expect(run.stdout.contains("Limits: none"))
        #expect(run.stdout.contains("\nRecommendation: fan-out "))
        for label in [
            "tree height (levels)", "p99 depth", "interruptions per viewer-hour", "continuity index",
            "broadcaster upload streams", "viewers that can relay",
        ] {
            #expect(run.stdout.contains("\n  " + label + "  "), "\(label)")
        }
        #expect(run.stdoutLines.contains { $0.hasPrefix("  viewers that can relay ") && $0.hasSuffix(" 75 %") })
        let rows = run.stdoutLines.drop { !$0.hasPrefix("fanout") }
        #expect(rows.count == 5)
        #expect(rows.filter { $0.hasSuffix("recommended") }.count == 1)
    }

    @Test(arguments: ["table", "csv", "json"])
    func oneJobAndTwoJobsPrintTheSameBytes(format: String) {
        let one = SimRun(Self.small + ["--format", format, "--jobs", "1", "--max-depth", "5"])
        let two = SimRun(Self.small + ["--format", format, "--jobs", "2", "--max-depth", "5"])
        #expect(one.status == 0)
        #expect(one.stdout == two.stdout)
    }

    @Test func csvHasARowPerCandidate() {
        let run = SimRun(Self.small + ["--format", "csv", "--policy", "rejoin"])
        #expect(run.status == 0)
        #expect(run.stdoutLines.count == 3)
        #expect(run.stdoutLines[0] == PlanOutput.candidateColumnNames.joined(separator: ","))
        #expect(run.stdoutLines[1].hasPrefix("2,rejoin,1.05,"))
        #expect(run.stdoutLines[2].hasPrefix("3,rejoin,1.35,"))
    }

    @Test func theDecisionFollowsTheFiguresItPrints() throws {
        let run = SimRun(Self.small + ["--format", "json", "--max-depth", "6"])
        #expect(run.status == 0)
        let plan = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let candidates = try #require(plan["candidates"] as? [[String: Any]])
        #expect(candidates.count == 4)
        let meeting = candidates.filter { ($0["height"] as? Int ?? .max) - 1 <= 6 }
        let recommended = plan["recommended"] as? [String: Any]
        #expect((plan["limitsMet"] as? Bool) == !meeting.isEmpty)
        if let recommended {
            let best = try #require(
                meeting.map { $0["interruptionsPerViewerHour"] as? Double ?? .infinity }.min())
            #expect(recommended["interruptionsPerViewerHour"] as? Double == best)
            #expect(recommended["result"] as? String == "recommended")
        }
        let inputs = try #require(plan["inputs"] as? [String: Any])
        #expect(inputs["maxDepth"] as? Int == 6)
        #expect(inputs["audience"] as? Int == 40)
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
        let run = SimRun(["plan", "--audience", "40", "--uplinks", "slow:1:1Mbps"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("No candidate: no viewer's uplink carries a copy of the stream"))
        #expect(run.stdout.contains("Candidates (600 simulated seconds each, seed 1):\n  none\n"))
    }

    @Test func fanoutsThatCannotCarryTheAudienceAreNotSimulated() {
        let run = SimRun(Self.small + ["--fanout", "1,2", "--format", "csv", "--policy", "skyway"])
        #expect(run.status == 0)
        #expect(run.stdoutLines[1] == "1,skyway,0.75,,,,,,,,not simulated: too few relay slots for the audience")
        #expect(run.stdoutLines[2].hasPrefix("2,skyway,1.05,"))
    }

    @Test func progressNamesEachSimulatedCandidateOnStandardErrorOnly() {
        let arguments = Self.small + ["--fanout", "1,2,3", "--jobs", "2"]
        let quiet = SimRun(arguments)
        let run = SimRun(arguments + ["--progress"])
        #expect(run.status == 0)
        #expect(run.stdout == quiet.stdout)
        let lines = run.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 4, "fan-out 1 cannot carry the audience, so it is not simulated")
        var described: Set<String> = []
        for (position, line) in lines.enumerated() {
            let match = line.wholeMatch(of: /\[(\d+)\/4\] (.*): \d+\.\d s/)
            #expect(match?.1 == "\(position + 1)"[...], "\(line)")
            if let match { described.insert(String(match.2)) }
        }
        #expect(described == ["fan-out 2, skyway", "fan-out 2, rejoin", "fan-out 3, skyway", "fan-out 3, rejoin"])
    }

    @Test(arguments: [
        ["--uplinks", "a:0.5:5Mbps,b:0.2:1Mbps"], ["--uplinks", "a:1.5:5Mbps"], ["--uplinks", "a:1:5Mbits"],
        ["--uplinks", ""], ["--stream-bitrate", "0"], ["--stream-bitrate", "fast"], ["--headroom", "0"],
        ["--headroom", "1.5"], ["--max-depth", "-1"], ["--max-interruptions-per-hour", "x"], ["--fanout", "2,"],
        ["--policy", "best"], ["--duration", "0"], ["--non-relayable", "0.2"], ["--format", "yaml"],
        ["--progress=yes"],
    ])
    func usageErrorsExit64(arguments: [String]) {
        let run = SimRun(["plan", "--audience", "10", "--duration", "10"] + arguments)
        run.expectUsageError(of: "plan")
    }

    @Test func helpStatesTheRule() {
        let run = SimRun(["help", "plan"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("fewest interruptions per viewer-hour"))
        #expect(run.stdout.contains("--max-depth <d>"))
        #expect(run.stdout.contains("--progress"))
        #expect(run.stdout.contains("low:0.25:1Mbps,mid:0.45:5Mbps,high:0.3:20Mbps)"))
    }
}
