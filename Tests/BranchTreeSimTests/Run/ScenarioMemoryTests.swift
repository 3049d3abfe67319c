import Testing

@testable import BranchTreeSim

@Suite struct ScenarioMemoryTests {
    private static func scenario(_ change: (inout Scenario) -> Void) -> Scenario {
        var scenario = Scenario()
        change(&scenario)
        return scenario
    }

    @Test func theDefaultRunIsItsAudience() {
        let scenario = Scenario()
        #expect(scenario.estimatedPeakViewers == 10_000)
        #expect(scenario.estimatedBytesPerViewer == 1_200)
        #expect(scenario.estimatedMemoryBytes == 12_000_000)
    }

    @Test func bytesPerViewerGrowWithFanoutAboveEightAndWithRestarts() {
        #expect(Self.scenario { $0.fanout = 1 }.estimatedBytesPerViewer == 1_200)
        #expect(Self.scenario { $0.fanout = 8 }.estimatedBytesPerViewer == 1_200)
        #expect(Self.scenario { $0.fanout = 9 }.estimatedBytesPerViewer == 1_216)
        #expect(Self.scenario { $0.fanout = 64 }.estimatedBytesPerViewer == 2_096)
        #expect(Self.scenario { $0.restarts = [60] }.estimatedBytesPerViewer == 1_800)
    }

    /// Maximum resident sizes measured with `/usr/bin/time -v` (release builds,
    /// `run --reproducible`), against the estimate with the process's own bytes: never
    /// below what was measured, and not far above it — further where the peak itself is
    /// a bound (not all of a flash crowd stays to its end) or a restart's burst varies.
    @Test(arguments: [
        (["--audience", "1000000", "--duration", "60"], 1_056_160, 1.15),
        (["--audience", "100000", "--duration", "60"], 138_436, 1.15),
        (["--audience", "300000", "--duration", "600"], 339_108, 1.15),
        (["--audience", "200000", "--duration", "60", "--fanout", "16"], 274_692, 1.15),
        (["--audience", "100000", "--duration", "60", "--fanout", "64"], 214_956, 1.15),
        (["--audience", "300000", "--duration", "60", "--fanout", "64"], 629_164, 1.15),
        (["--audience", "300000", "--duration", "60", "--restart-at", "30"], 389_908, 1.45),
        (
            [
                "--audience", "100000", "--duration", "60", "--fanout", "64", "--restart-at", "30",
                "--restart-strategy", "reconnect-all",
            ], 303_860, 1.15
        ),
        (["--audience", "0", "--arrival-rate", "500", "--cold-start", "--duration", "1200"], 166_660, 1.4),
        (["--audience", "100000", "--duration", "600", "--flash-crowd", "10:300"], 310_728, 1.7),
    ])
    func theEstimateCoversWhatWasMeasured(options: [String], measuredKilobytes: Int, within ratio: Double) throws {
        let run = SimRun(["run"] + options + ["--print-scenario"])
        let scenario = try Scenario(jsonBytes: Array(run.stdout.utf8))
        let estimate = MemoryCheck.processBytes + scenario.estimatedMemoryBytes
        let measured = Double(measuredKilobytes * 1024)
        #expect(estimate >= measured)
        #expect(estimate <= measured * ratio)
    }

    @Test func aColdStartBuildsUpToTheAudience() {
        let cold = Self.scenario { $0.warmStart = false }
        let stay = cold.sessions.meanStay(upTo: cold.duration)
        #expect(abs(cold.estimatedPeakViewers - 10_000 / cold.sessions.mean * stay) < 1e-6)
        #expect(cold.estimatedPeakViewers < 10_000)
        // Long enough, a cold start reaches the audience.
        let long = Self.scenario {
            $0.warmStart = false
            $0.duration = 31_536_000
        }
        #expect(abs(long.estimatedPeakViewers - 10_000) < 1)
    }

    @Test func anArrivalRateAboveTheAudiencesSetsThePeak() {
        let scenario = Self.scenario { $0.arrivalRate = 100 }
        #expect(abs(scenario.estimatedPeakViewers - 100 * scenario.sessions.meanStay(upTo: 3_600)) < 1e-6)
        // Below it, the warm start's audience stands.
        #expect(Self.scenario { $0.arrivalRate = 1 }.estimatedPeakViewers == 10_000)
    }

    @Test func rateChangesAboveTheBaseAddTheirExtraArrivals() {
        let sessions = SessionLengthDistribution.exponential(mean: 100)
        let scenario = Self.scenario {
            $0.sessions = sessions
            $0.audience = 1_000  // base rate 10 per second
            $0.duration = 1_000
            $0.rateChanges = [
                .init(at: 600, rate: 5), .init(at: 100, rate: 50), .init(at: 300, rate: 20),
                .init(at: 2_000, rate: 1e6),
            ]
        }
        // 40 more per second from 100 to 300 s, 10 more from 300 to 600; below the base
        // and past the end, nothing.
        let expected = 1_000 + 40 * sessions.meanStay(upTo: 200) + 10 * sessions.meanStay(upTo: 300)
        #expect(abs(scenario.estimatedPeakViewers - expected) < 1e-6)
    }

    @Test func aFlashCrowdAddsItsExtraArrivals() {
        let sessions = SessionLengthDistribution.exponential(mean: 100)
        var scenario = Self.scenario {
            $0.sessions = sessions
            $0.audience = 1_000
            $0.flashCrowd = .init(multiplier: 10, duration: .seconds(60))
        }
        #expect(abs(scenario.estimatedPeakViewers - (1_000 + 9 * 10 * sessions.meanStay(upTo: 60))) < 1e-6)
        // On top of a faster rate that starts within it.
        scenario.rateChanges = [.init(at: 30, rate: 20)]
        let expected = 1_000 + 10 * sessions.meanStay(upTo: 3_570) + 9 * 20 * sessions.meanStay(upTo: 60)
        #expect(abs(scenario.estimatedPeakViewers - expected) < 1e-6)
        // Heavy-tailed arrivals keep the base rate: neither counts.
        scenario.heavyTailedArrivals = true
        #expect(scenario.estimatedPeakViewers == 1_000)
    }

    @Test func theLargestScenarioStaysFinite() {
        let scenario = Self.scenario {
            $0.audience = Scenario.Limits.audience.upperBound
            $0.arrivalRate = Scenario.Limits.arrivalRate.upperBound
            $0.duration = Scenario.Limits.duration.upperBound
            $0.sessions = .pareto(shape: 0.01, scale: 31_536_000)
            $0.fanout = 64
            $0.restarts = [1]
        }
        #expect(scenario.estimatedMemoryBytes.isFinite)
        #expect(scenario.estimatedMemoryBytes > 1e15)
    }
}
