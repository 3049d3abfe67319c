import BranchTree
import Foundation
import Testing

@testable import BranchTreeSim

@Suite struct ArrivalProcessTests {
    /// Every arrival in `[start, end)`, starting the draw at `start`.
    private static func arrivals(
        _ process: ArrivalProcess, from start: Timestamp = .zero, until end: Timestamp, seed: UInt64
    )
        -> [Timestamp]
    {
        var random = Xoshiro256StarStar(seed: seed)
        var result: [Timestamp] = []
        var now = start
        while let next = process.nextArrival(after: now, using: &random), next < end {
            result.append(next)
            now = next
        }
        return result
    }

    /// |observed − expected| within `sigmas` Poisson standard deviations.
    private static func isPoissonCount(_ observed: Int, expected: Double, sigmas: Double = 4.5) -> Bool {
        abs(Double(observed) - expected) <= sigmas * expected.squareRoot()
    }

    // MARK: Little's law

    @Test func littlesLawRate() {
        let rate = ArrivalProcess.rate(forAudience: 1_000_000, meanSession: SessionLengthDistribution.default.mean)
        #expect(abs(rate - 1_976) < 1)
        #expect(ArrivalProcess.rate(forAudience: 5_000, meanSession: 100) == 50)
        #expect(ArrivalProcess.rate(forAudience: 0, meanSession: 100) == 0)
        #expect(ArrivalProcess.rate(forAudience: 10, meanSession: .infinity) == 0)
    }

    // MARK: Piecewise-constant Poisson arrivals

    @Test func countsPerSegmentFollowTheRates() throws {
        let segments: [ArrivalProcess.RateSegment] = [
            .init(start: .zero, ratePerSecond: 100), .init(start: .seconds(60), ratePerSecond: 500),
            .init(start: .seconds(120), ratePerSecond: 0), .init(start: .seconds(180), ratePerSecond: 50),
        ]
        let process = try ArrivalProcess(segments: segments)
        let arrivals = Self.arrivals(process, until: .seconds(240), seed: 1)
        var counts = [0, 0, 0, 0]
        for arrival in arrivals { counts[Int(arrival.nanoseconds / 60_000_000_000)] += 1 }
        #expect(Self.isPoissonCount(counts[0], expected: 6_000))
        #expect(Self.isPoissonCount(counts[1], expected: 30_000))
        #expect(counts[2] == 0)
        #expect(Self.isPoissonCount(counts[3], expected: 3_000))
        #expect(zip(arrivals, arrivals.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(abs(process.expectedArrivals(from: .zero, to: .seconds(240)) - 39_000) < 1e-6)
        #expect(abs(process.expectedArrivals(from: .seconds(90), to: .seconds(200)) - (15_000 + 1_000)) < 1e-6)
        #expect(process.rate(at: .seconds(119.999)) == 500)
        #expect(process.rate(at: .seconds(120)) == 0)
    }

    /// Rate 1/s on [0, 1 s), 10/s after. The first arrival T: P(T > 1) = e⁻¹, and past the
    /// boundary T − 1 is exponential with mean 0.1 s. A sampler that ignored the boundary,
    /// or thinned with the wrong bound, misses one of these.
    @Test func integratesAcrossARateChange() throws {
        let process = try ArrivalProcess(segments: [
            .init(start: .zero, ratePerSecond: 1), .init(start: .seconds(1), ratePerSecond: 10),
        ])
        var random = Xoshiro256StarStar(seed: 2)
        let draws = 100_000
        var late: [Double] = []
        var beforeHalf = 0
        for _ in 0..<draws {
            let first = try #require(process.nextArrival(after: .zero, using: &random)).seconds
            if first >= 1 { late.append(first - 1) } else if first < 0.5 { beforeHalf += 1 }
        }
        #expect(abs(Double(late.count) / Double(draws) - exp(-1)) < 0.005)
        #expect(abs(Double(beforeHalf) / Double(draws) - (1 - exp(-0.5))) < 0.005)
        #expect(abs(late.reduce(0, +) / Double(late.count) - 0.1) < 0.002)
    }

    @Test func noArrivalsBeforeTheFirstSegmentOrAfterAFinalZeroRate() throws {
        let process = try ArrivalProcess(segments: [
            .init(start: .seconds(10), ratePerSecond: 1_000), .init(start: .seconds(11), ratePerSecond: 0),
        ])
        var random = Xoshiro256StarStar(seed: 3)
        let first = try #require(process.nextArrival(after: .zero, using: &random))
        #expect(first >= .seconds(10) && first < .seconds(10.1))
        #expect(process.rate(at: .seconds(5)) == 0)
        #expect(abs(process.expectedArrivals(from: .zero, to: .seconds(100)) - 1_000) < 1e-9)
        #expect(process.nextArrival(after: .seconds(11), using: &random) == nil)
        let all = Self.arrivals(process, until: .seconds(1_000), seed: 3)
        #expect(Self.isPoissonCount(all.count, expected: 1_000))
        #expect(all.allSatisfy { $0 >= .seconds(10) && $0 < .seconds(11) })
    }

    @Test func arrivalsBeyondTheLastTimestampAreNone() throws {
        let process = try ArrivalProcess(ratePerSecond: 1e-6)
        var random = Xoshiro256StarStar(seed: 4)
        #expect(process.nextArrival(after: Timestamp(nanoseconds: .max - 10), using: &random) == nil)
        let early = try ArrivalProcess(ratePerSecond: 1, from: Timestamp(nanoseconds: .min))
        let arrival = try #require(early.nextArrival(after: Timestamp(nanoseconds: .min), using: &random))
        #expect(arrival.nanoseconds < Int64.min / 2)
        #expect(early.expectedArrivals(from: Timestamp(nanoseconds: .min), to: .zero) > 9e9)
    }

    @Test func flashCrowdMultipliesTheRateOverItsWindow() throws {
        let process = try ArrivalProcess(
            ratePerSecond: 200, flashCrowd: .init(multiplier: 10, duration: .seconds(30)))
        let arrivals = Self.arrivals(process, until: .seconds(60), seed: 5)
        let rush = arrivals.count { $0 < .seconds(30) }
        #expect(Self.isPoissonCount(rush, expected: 60_000))
        #expect(Self.isPoissonCount(arrivals.count - rush, expected: 6_000))
        #expect(process.rate(at: .seconds(29.9)) == 2_000)
        #expect(process.rate(at: .seconds(30)) == 200)
    }

    @Test func flashCrowdWindowAcrossSegments() throws {
        let segments: [ArrivalProcess.RateSegment] = [
            .init(start: .seconds(100), ratePerSecond: 100), .init(start: .seconds(120), ratePerSecond: 50),
        ]
        // Ends inside the second segment: that segment is split.
        let split = try ArrivalProcess(segments: segments, flashCrowd: .init(multiplier: 4, duration: .seconds(30)))
        #expect(
            [99, 100, 119, 120, 129, 130, 500].map { split.rate(at: .seconds($0)) } == [0, 400, 400, 200, 200, 50, 50])
        #expect(abs(split.expectedArrivals(from: .zero, to: .seconds(140)) - (8_000 + 2_000 + 500)) < 1e-6)
        // Ends on a segment boundary: nothing to split.
        let aligned = try ArrivalProcess(segments: segments, flashCrowd: .init(multiplier: 4, duration: .seconds(20)))
        #expect([100, 119, 120].map { aligned.rate(at: .seconds($0)) } == [400, 400, 50])
        // Outlasts every segment.
        let long = try ArrivalProcess(segments: segments, flashCrowd: .init(multiplier: 2, duration: .seconds(1e6)))
        #expect([100, 120, 1e5].map { long.rate(at: .seconds($0)) } == [200, 100, 100])
        #expect(ArrivalProcess.FlashCrowd.default == .init(multiplier: 10, duration: .seconds(300)))
    }

    @Test func sameSeedSameArrivals() throws {
        let process = try ArrivalProcess(ratePerSecond: 1_976, flashCrowd: .default)
        let first = Self.arrivals(process, until: .seconds(2), seed: 6)
        #expect(first == Self.arrivals(process, until: .seconds(2), seed: 6))
        #expect(first != Self.arrivals(process, until: .seconds(2), seed: 7))
        let heavy = Self.arrivals(.heavyTailed, until: .seconds(200), seed: 6)
        #expect(heavy == Self.arrivals(.heavyTailed, until: .seconds(200), seed: 6))
    }

    // MARK: Pareto inter-arrivals

    @Test func heavyTailedGapsHaveTheirMean() throws {
        #expect(ArrivalProcess.heavyTailed.model == .paretoInterarrivals(shape: 2.52, scale: 1.55))
        var random = Xoshiro256StarStar(seed: 8)
        var now = Timestamp.zero
        var gaps: [Double] = []
        for _ in 0..<200_000 {
            let next = try #require(ArrivalProcess.heavyTailed.nextArrival(after: now, using: &random))
            gaps.append(next.seconds - now.seconds)
            now = next
        }
        let meanGap = 2.52 * 1.55 / 1.52
        #expect(gaps.allSatisfy { $0 >= 1.55 - 1e-9 })
        #expect(abs(gaps.reduce(0, +) / Double(gaps.count) / meanGap - 1) < 0.02)
        #expect(abs(ArrivalProcess.heavyTailed.rate(at: .zero) - 1 / meanGap) < 1e-12)
        #expect(
            abs(ArrivalProcess.heavyTailed.expectedArrivals(from: .zero, to: .seconds(meanGap * 1_000)) - 1_000) < 1e-6)
    }

    @Test func heavyTailedAtATargetRate() throws {
        let process = try ArrivalProcess.paretoInterarrivals(meanRatePerSecond: 1_976)
        #expect(abs(process.rate(at: .zero) - 1_976) < 1e-9)
        let arrivals = Self.arrivals(process, until: .seconds(50), seed: 9)
        #expect(abs(Double(arrivals.count) / (50 * 1_976) - 1) < 0.02)
    }

    // MARK: Validation and coding

    @Test func validationNamesTheParameter() {
        #expect(throws: WorkloadError(parameter: "arrival rate segments", problem: "must not be empty")) {
            try ArrivalProcess(segments: [])
        }
        #expect(
            throws: WorkloadError(
                parameter: "arrival rate of segment 2", problem: "must be zero or positive and finite, got -5.0")
        ) {
            try ArrivalProcess(segments: [
                .init(start: .zero, ratePerSecond: 1), .init(start: .seconds(1), ratePerSecond: -5),
            ])
        }
        #expect(
            throws: WorkloadError(
                parameter: "start of arrival segment 2",
                problem: "must be later than the previous segment's start (1.0 s), got 1.0 s")
        ) {
            try ArrivalProcess(segments: [
                .init(start: .seconds(1), ratePerSecond: 1), .init(start: .seconds(1), ratePerSecond: 2),
            ])
        }
        #expect(
            throws: WorkloadError(parameter: "flash crowd multiplier", problem: "must be positive and finite, got 0.0")
        ) {
            try ArrivalProcess(ratePerSecond: 1, flashCrowd: .init(multiplier: 0, duration: .seconds(1)))
        }
        #expect(throws: WorkloadError(parameter: "flash crowd duration", problem: "must be positive, got 0.0 seconds"))
        {
            try ArrivalProcess(ratePerSecond: 1, flashCrowd: .init(multiplier: 2, duration: .zero))
        }
        #expect(
            throws: WorkloadError(
                parameter: "Pareto inter-arrival shape", problem: "must be above 1 for a mean rate, got 1.0")
        ) {
            try ArrivalProcess.paretoInterarrivals(shape: 1, meanRatePerSecond: 10)
        }
        #expect(throws: WorkloadError.self) { try ArrivalProcess(ratePerSecond: .nan) }
        #expect(throws: WorkloadError.self) { try ArrivalProcess(ratePerSecond: .infinity) }
        #expect(throws: WorkloadError.self) { try ArrivalProcess.paretoInterarrivals(shape: 0) }
        #expect(throws: WorkloadError.self) { try ArrivalProcess.paretoInterarrivals(scale: -1) }
        #expect(throws: WorkloadError.self) { try ArrivalProcess.paretoInterarrivals(meanRatePerSecond: 0) }
    }

    @Test func codingRoundTripsAndValidates() throws {
        let processes = [
            try ArrivalProcess(
                segments: [.init(start: .zero, ratePerSecond: 10), .init(start: .seconds(60), ratePerSecond: 20)],
                flashCrowd: .default),
            try ArrivalProcess(ratePerSecond: 3),
            ArrivalProcess.heavyTailed,
        ]
        for process in processes {
            let data = try JSONEncoder().encode(process)
            #expect(try JSONDecoder().decode(ArrivalProcess.self, from: data) == process)
        }
        let plain = #"{"poisson":{"segments":[{"start":{"nanoseconds":0},"ratePerSecond":5}]}}"#
        #expect(
            try JSONDecoder().decode(ArrivalProcess.self, from: Data(plain.utf8)) == ArrivalProcess(ratePerSecond: 5))
        let empty = #"{"poisson":{"segments":[]}}"#
        let error = #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(ArrivalProcess.self, from: Data(empty.utf8))
        }
        guard case .dataCorrupted(let context) = error else {
            Issue.record("\(String(describing: error))")
            return
        }
        #expect(
            context.underlyingError as? WorkloadError
                == WorkloadError(parameter: "arrival rate segments", problem: "must not be empty"))
    }
}
