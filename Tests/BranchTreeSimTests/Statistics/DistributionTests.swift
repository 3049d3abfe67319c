import Testing

@testable import BranchTreeSim

@Suite struct DistributionTests {
    static func summary(_ values: [Double]) -> QuantileSummary {
        var summary = QuantileSummary()
        for value in values { summary.record(value) }
        return summary
    }

    @Test func oneRunIsItsSummary() {
        let summary = Self.summary((1...100).map(Double.init))
        let distribution = Distribution(summary)
        #expect(distribution.mean == Estimate(mean: 50.5, halfWidth: 0, count: 1))
        #expect(distribution.p50 == 50)
        #expect(distribution.p99 == 99)
        #expect(distribution.max == 100)
    }

    @Test func percentilesPoolEveryEventNotTheReplicatesPercentiles() {
        // Replicate A: 1…100; replicate B: 100 zeros. Pooled, the 198th of 200 values is 98
        // (the mean of the two p99s would be 49.5); the median is 0.
        let a = Self.summary((1...100).map(Double.init))
        let b = Self.summary(Array(repeating: 0, count: 100))
        let distribution = Distribution(pooling: [a, b])
        #expect(distribution.p99 == 98)
        #expect(distribution.p50 == 0)
        #expect(distribution.max == 100)
        // The mean's interval is over the replicates' means, 50.5 and 0.
        #expect(distribution.mean == Estimate(samples: [50.5, 0]))
        #expect(distribution.mean.count == 2)
    }

    @Test func replicatesWithFewEventsWeighAsMuchInTheMean() {
        // The interval is over replicates: a replicate with one event counts as one sample.
        let many = Self.summary(Array(repeating: 10, count: 99))
        let one = Self.summary([20])
        let distribution = Distribution(pooling: [many, one])
        #expect(distribution.mean.mean == 15)
        #expect(distribution.p50 == 10)
    }

    @Test func poolingKeepsTheResolution() {
        var a = QuantileSummary(resolution: 0.001)
        var b = QuantileSummary(resolution: 0.001)
        a.record(0.05)
        b.record(0.1)
        let distribution = Distribution(pooling: [a, b])
        #expect(distribution.max == 0.1)
        #expect(abs(distribution.p50 - 0.05) < 1e-12, "milliseconds, not whole seconds")
    }
}
