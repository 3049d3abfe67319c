import BranchTree
import Testing

@testable import BranchTreeSim

@Suite struct ReplicateSpreadTests {
    private static func points(_ pairs: [(Double, Double)]) -> [SVGChart.Point] {
        pairs.map { SVGChart.Point(x: $0.0, y: $0.1) }
    }

    @Test func readsEachRunAsAStepFunctionOnTheUnionOfSampleTimes() {
        let spread = ReplicateSpread.of([
            Self.points([(0, 10), (60, 12)]),
            Self.points([(0, 14), (30, 9), (60, 11)]),
        ])
        #expect(
            spread == [
                .init(x: 0, low: 10, mean: 12, high: 14),
                .init(x: 30, low: 9, mean: 9.5, high: 10),
                .init(x: 60, low: 11, mean: 11.5, high: 12),
            ])
    }

    @Test func sameSampleTimesGiveThoseTimes() {
        let times = (0...360).map { Double($0) * 2.5 }
        let runs = (0..<5).map { run in Self.points(times.map { ($0, Double(($0 * 7).rounded()) + Double(run)) }) }
        let spread = ReplicateSpread.of(runs)
        #expect(spread.map(\.x) == times)
        #expect(spread.allSatisfy { $0.high - $0.low == 4 && $0.mean == $0.low + 2 })
    }

    @Test func keepsToTheSpanEveryRunCovers() {
        let spread = ReplicateSpread.of([
            Self.points([(0, 1), (10, 2), (20, 3), (30, 4)]),
            Self.points([(5, 7), (25, 8), (40, 9)]),
        ])
        #expect(spread.map(\.x) == [5, 10, 20, 25, 30])
        #expect(spread.map(\.low) == [1, 2, 3, 3, 4])
        #expect(spread.map(\.high) == [7, 7, 7, 8, 8])
    }

    @Test func edgeCases() {
        #expect(ReplicateSpread.of([]).isEmpty)
        #expect(ReplicateSpread.of([[], []]).isEmpty)
        // Disjoint spans share no time.
        #expect(ReplicateSpread.of([Self.points([(0, 1), (1, 1)]), Self.points([(2, 1), (3, 1)])]).isEmpty)
        // An empty run is left out; not-finite points are ignored; unsorted runs are sorted,
        // and of two samples at one time the later one given counts.
        let spread = ReplicateSpread.of([
            [],
            Self.points([(10, 5), (0, 1), (.nan, 100), (10, 6), (5, .infinity)]),
            Self.points([(0, 3), (10, 3)]),
        ])
        #expect(spread == [.init(x: 0, low: 1, mean: 2, high: 3), .init(x: 10, low: 3, mean: 4.5, high: 6)])
    }

    /// Against a direct reading of every run at every grid time, on random runs.
    @Test(arguments: UInt64(1)...40)
    func matchesAStraightforwardReading(seed: UInt64) {
        var random = Xoshiro256StarStar(seed: seed)
        let runs = (0..<(1 + random.next(below: 5))).map { _ in
            var time = Double(random.next(below: 5))
            return (0..<(1 + random.next(below: 30))).map { _ in
                time += Double(random.next(below: 4))  // repeated times too
                return SVGChart.Point(x: time, y: Double(random.next(below: 100)))
            }
        }
        let spread = ReplicateSpread.of(runs)
        let start = runs.map { $0[0].x }.max()!
        let end = runs.map { $0[$0.count - 1].x }.min()!
        let expectedGrid = Array(Set(runs.joined().map(\.x).filter { $0 >= start && $0 <= end })).sorted()
        #expect(spread.map(\.x) == expectedGrid, "seed \(seed)")
        for sample in spread {
            let values = runs.map { run in run.last { $0.x <= sample.x }!.y }
            #expect(sample.low == values.min() && sample.high == values.max(), "seed \(seed) at \(sample.x)")
            #expect(sample.mean == values.reduce(0, +) / Double(values.count), "seed \(seed) at \(sample.x)")
            #expect(sample.low <= sample.mean && sample.mean <= sample.high)
        }
    }
}
