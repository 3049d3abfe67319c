import BranchTree
import Testing

@testable import BranchTreeSim

@Suite struct EstimateTests {
    @Test func theIntervalOfFiveSamplesByHand() {
        // Mean 40.0; deviations −0.9, 1.3, 0.2, −1.2, 0.6: s = √(4.34 ÷ 4) = 1.04163;
        // half-width t₀.₉₇₅(4) 2.7764 × 1.04163 ÷ √5 = 1.29334.
        let estimate = Estimate(samples: [39.1, 41.3, 40.2, 38.8, 40.6])
        #expect(estimate.count == 5)
        #expect(abs(estimate.mean - 40) < 1e-12)
        #expect(abs(estimate.halfWidth - 1.29334) < 1e-5)
        #expect(abs(estimate.lower - 38.70666) < 1e-5)
        #expect(abs(estimate.upper - 41.29334) < 1e-5)
    }

    @Test func twoSamplesUseTwelvePointSeven() {
        // s = √2, standard error 1.
        let estimate = Estimate(samples: [1, 3])
        #expect(estimate.mean == 2)
        #expect(abs(estimate.halfWidth - 12.7062) < 1e-12)
    }

    @Test func oneSampleHasAZeroWidthInterval() {
        let estimate = Estimate(samples: [7.25])
        #expect(estimate == Estimate(mean: 7.25, halfWidth: 0, count: 1))
        #expect(estimate.lower == 7.25)
        #expect(estimate.upper == 7.25)
        #expect(!estimate.straddles(7.25))
    }

    @Test func equalSamplesHaveAZeroWidthInterval() {
        let estimate = Estimate(samples: [3, 3, 3, 3])
        #expect(estimate == Estimate(mean: 3, halfWidth: 0, count: 4))
    }

    @Test func straddlesIsStrictlyInside() {
        let estimate = Estimate(mean: 10, halfWidth: 2, count: 5)
        #expect(estimate.straddles(10))
        #expect(estimate.straddles(8.001))
        #expect(estimate.straddles(11.999))
        #expect(!estimate.straddles(8))
        #expect(!estimate.straddles(12))
        #expect(!estimate.straddles(12.5))
        #expect(!estimate.straddles(-1))
    }

    /// Shifting the samples shifts the mean and keeps the width; scaling scales both.
    @Test(arguments: [1 as UInt64, 2, 3, 4, 5])
    func shiftAndScale(seed: UInt64) {
        var random = Xoshiro256StarStar(seed: seed)
        let count = 2 + random.next(below: 30)
        let samples = (0..<count).map { _ in random.nextUnitDouble() * 100 }
        let estimate = Estimate(samples: samples)
        let shifted = Estimate(samples: samples.map { $0 + 1_000 })
        let scaled = Estimate(samples: samples.map { $0 * 3 })
        #expect(abs(shifted.mean - (estimate.mean + 1_000)) < 1e-9)
        #expect(abs(shifted.halfWidth - estimate.halfWidth) < 1e-9)
        #expect(abs(scaled.mean - estimate.mean * 3) < 1e-9)
        #expect(abs(scaled.halfWidth - estimate.halfWidth * 3) < 1e-9)
        #expect(estimate.lower <= estimate.mean && estimate.mean <= estimate.upper)
        #expect(samples.min()! <= estimate.mean && estimate.mean <= samples.max()!)
    }

    /// Of many intervals from normal samples, about 95 % hold the true mean.
    @Test(arguments: [2, 5, 40])
    func coversTheTrueMeanNinetyFivePercentOfTheTime(samplesPerInterval: Int) {
        var random = Xoshiro256StarStar(seed: UInt64(samplesPerInterval))
        let trials = 4_000
        var covered = 0
        for _ in 0..<trials {
            let samples = (0..<samplesPerInterval).map { _ in 10 + 3 * random.nextStandardNormal() }
            let estimate = Estimate(samples: samples)
            if estimate.lower <= 10 && 10 <= estimate.upper { covered += 1 }
        }
        // Binomial standard deviation √(0.95 × 0.05 ÷ 4000) ≈ 0.0034.
        let share = Double(covered) / Double(trials)
        #expect(abs(share - 0.95) < 0.015, "coverage \(share)")
    }
}
