import Testing

@testable import BranchTreeSim

@Suite struct PerEventTests {
    static func summary(_ values: [Double]) -> QuantileSummary {
        var summary = QuantileSummary()
        for value in values { summary.record(value) }
        return summary
    }

    @Test func runsPoolIntoOneDistribution() {
        let one = Self.summary((1...100).map(Double.init))
        let other = Self.summary(Array(repeating: 1, count: 100))
        let combined = PerEvent.combining([.run(one), .run(other)])
        #expect(combined == .replicates(Distribution(pooling: [one, other])))
        #expect(combined.distribution.mean.count == 2)
        #expect(PerEvent.run(one).distribution == Distribution(one))
    }
}
