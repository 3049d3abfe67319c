import Testing

@testable import BranchTreeSim

@Suite struct ScenarioSyntaxTests {
    @Test func rangesAreLowDotsHighOrOneNumber() {
        #expect(ScenarioSyntax.secondsRange("0.05...0.1", in: 0...10) == 0.05...0.1)
        #expect(ScenarioSyntax.secondsRange("3", in: 0...10) == 3...3)
        #expect(ScenarioSyntax.secondsRange("3...3", in: 0...10) == 3...3)
        for bad in ["", "...", "1...", "...2", "2...1", "1..2", "1-2", "1...2...3", "1... 2", "-1...2", "1...11", "+1"]
        {
            #expect(ScenarioSyntax.secondsRange(bad, in: 0...10) == nil, "\(bad)")
        }
    }

    @Test func bitratesTakeDecimalUnits() {
        #expect(ScenarioSyntax.bitrate("2500000")?.bitsPerSecond == 2_500_000)
        #expect(ScenarioSyntax.bitrate("2500kbps")?.bitsPerSecond == 2_500_000)
        #expect(ScenarioSyntax.bitrate("2.5Mbps")?.bitsPerSecond == 2_500_000)
        #expect(ScenarioSyntax.bitrate("1Gbps")?.bitsPerSecond == 1e9)
        #expect(ScenarioSyntax.bitrate("300bps")?.bitsPerSecond == 300)
        for bad in ["", "Mbps", "2.5 Mbps", "2.5MB", "2.5mbps", "-1Mbps", "infMbps"] {
            #expect(ScenarioSyntax.bitrate(bad) == nil, "\(bad)")
        }
    }

    @Test func limitsReadAsWritten() {
        #expect(Scenario.Limits.arrivalRate.limitDescription == "0.000001...10000000")
        #expect((0.0015...2.5).limitDescription == "0.0015...2.5")
        #expect(Scenario.Limits.duration.limitDescription == "1...31536000")
    }
}
