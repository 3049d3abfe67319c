import BranchTree
import Testing

@testable import BranchTreeSim

@Suite("QuantileSummary")
struct QuantileSummaryTests {
    @Test("Empty: everything is 0")
    func empty() {
        let summary = QuantileSummary()
        #expect(summary.count == 0)
        #expect(summary.mean == 0)
        #expect(summary.percentile(0.99) == 0)
        #expect(summary.max == 0)
    }

    @Test("Small integers are exact: p50, p99, mean and max of 1…100")
    func exactIntegers() {
        var summary = QuantileSummary()
        for value in 1...100 { summary.record(Double(value)) }
        #expect(summary.count == 100)
        #expect(summary.mean == 50.5)
        #expect(summary.percentile(0.5) == 50)
        #expect(summary.percentile(0.99) == 99)
        #expect(summary.percentile(1) == 100)
        #expect(summary.max == 100)
    }

    @Test("Large values are within 1/64 relative, against a sorted model", arguments: [1 as UInt64, 2, 3])
    func largeValuesAgainstModel(seed: UInt64) {
        var random = Xoshiro256StarStar(seed: seed)
        var summary = QuantileSummary()
        var values: [Double] = []
        for _ in 0..<20_000 {
            let value = 0.001 + random.nextUnitDouble() * random.nextUnitDouble() * 5_000_000
            values.append(value)
            summary.record(value)
        }
        values.sort()
        for p in [0.5, 0.9, 0.99, 0.999] {
            let exact = values[Int((p * Double(values.count)).rounded(.up)) - 1]
            let estimate = summary.percentile(p)
            let tolerance = exact < 128 ? 1.0 : exact / 64
            #expect(abs(estimate - exact) <= tolerance, "p\(p): \(estimate) vs \(exact)")
        }
        #expect(summary.max == values.last)
    }

    @Test("Negative and non-finite values count as 0")
    func oddValues() {
        var summary = QuantileSummary()
        summary.record(-3)
        summary.record(.nan)
        summary.record(.infinity)
        #expect(summary.count == 3)
        #expect(summary.max == 0)
        #expect(summary.sum == 0)
    }

    @Test("Merging equals recording everything in one")
    func merge() {
        var left = QuantileSummary()
        var right = QuantileSummary()
        var both = QuantileSummary()
        for value in stride(from: 0.0, to: 5_000, by: 7.25) {
            if Int(value) % 2 == 0 { left.record(value) } else { right.record(value) }
            both.record(value)
        }
        left.merge(right)
        #expect(left.count == both.count)
        #expect(left.max == both.max)
        #expect(left.percentile(0.5) == both.percentile(0.5))
        #expect(left.percentile(0.99) == both.percentile(0.99))
        #expect(abs(left.sum - both.sum) < 1e-6)
    }
}

@Suite("QuantileSummary resolution")
struct QuantileSummaryResolutionTests {
    @Test("Seconds at millisecond resolution keep their fractions")
    func milliseconds() {
        var summary = QuantileSummary(resolution: 0.001)
        for value in [0.05, 0.1, 1.5, 2.25, 3.0] { summary.record(value) }
        #expect(abs(summary.percentile(0.5) - 1.5) < 0.03)
        #expect(abs(summary.percentile(0.2) - 0.05) < 0.001)
        #expect(summary.max == 3.0)
    }
}
