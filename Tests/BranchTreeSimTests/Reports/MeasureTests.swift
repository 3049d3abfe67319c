import BranchTree
import Testing

@testable import BranchTreeSim

@Suite struct MeasureTests {
    @Test func oneRunIsShownAsPrinted() {
        #expect(Measure.count(12).shown == Estimate(mean: 12, halfWidth: 0, count: 1))
        #expect(Measure.decimal(4.2817, places: 3).shown == Estimate(mean: 4.282, halfWidth: 0, count: 1))
        #expect(Measure.decimal(0.5, places: 0).shown.mean == 1)
    }

    @Test func replicatesCombineToAnEstimateWithTheirPlaces() {
        #expect(Measure.combining([.count(3), .count(5)]) == .estimate(Estimate(samples: [3, 5]), places: 2))
        #expect(
            Measure.combining([.decimal(1.5, places: 3), .decimal(2.5, places: 3)])
                == .estimate(Estimate(samples: [1.5, 2.5]), places: 3))
    }

    /// Whatever the samples, the shown mean and upper end are the printed ones, digit for
    /// digit: decisions on `shown` are decisions on what people read.
    @Test(arguments: [1, 2, 3] as [UInt64])
    func theShownEstimateIsThePrintedOne(seed: UInt64) throws {
        var random = Xoshiro256StarStar(seed: seed)
        for _ in 0..<500 {
            let count = 2 + Int(random.next() % 6)
            let samples = (0..<count).map { _ in Double(random.next() % 100_000) / 997 }
            let places = Int(random.next() % 6)
            let measure = Measure.combining(samples.map { .decimal($0, places: places) })
            let parts = measure.figureValue.parts
            let mean = try #require(parts.first { $0.name == "mean" }?.text)
            let high = try #require(parts.first { $0.name == "high" }?.text)
            #expect(NumberFormat.fixed(measure.shown.mean, places: places) == mean)
            #expect(NumberFormat.fixed(measure.shown.upper, places: places) == high)
            #expect(measure.shown.count == count)
        }
    }
}
