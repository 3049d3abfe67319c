/// Several runs' time series summarised on one time grid: at each time, the lowest, the
/// mean and the highest value across the runs.
///
///     let spread = ReplicateSpread.of([
///         [SVGChart.Point(x: 0, y: 10), SVGChart.Point(x: 60, y: 12)],
///         [SVGChart.Point(x: 0, y: 14), SVGChart.Point(x: 30, y: 9), SVGChart.Point(x: 60, y: 11)],
///     ])
///     // x 0: 10...14, mean 12;  x 30: 9...10, mean 9.5;  x 60: 11...12, mean 11.5
///
/// Each series is a step function of samples (a sample's value holds until the next
/// sample), as the simulator's timeline is: a snapshot of viewers present every
/// duration ÷ 360 seconds. The simulator samples every seed at the same times, so the grid
/// is then those times; should runs be sampled at different times, the grid is every
/// time any run has a sample, within the span all of them cover, and each run is read as
/// its last sample at or before the grid time. The mean adds the runs in the order given,
/// so the same input gives the same bits.
package enum ReplicateSpread {
    /// The runs at one time of the grid.
    package struct Sample: Sendable, Equatable {
        package var x: Double
        package var low: Double
        package var mean: Double
        package var high: Double
    }

    /// The spread of `runs` on their common grid, in x order; empty when there are no
    /// runs, every run is empty, or their spans do not overlap. Points with a NaN or
    /// infinite coordinate are ignored, empty runs are left out, and each run is put in
    /// x order (of samples at the same time, the last one given counts).
    ///
    /// - Complexity: O(*n* log *n*) for *n* points in all
    package static func of(_ runs: [[SVGChart.Point]]) -> [Sample] {
        let series = runs.map { run in
            run.filter { $0.x.isFinite && $0.y.isFinite }.enumerated()
                .sorted { ($0.element.x, $0.offset) < ($1.element.x, $1.offset) }
                .map(\.element)
        }.filter { !$0.isEmpty }
        guard let start = series.map({ $0[0].x }).max(), let end = series.map({ $0[$0.count - 1].x }).min(),
            start <= end
        else { return [] }
        var grid: [Double] = []
        for time in series.joined().map(\.x).sorted() where (start...end).contains(time) && time != grid.last {
            grid.append(time)
        }

        var cursors = Array(repeating: 0, count: series.count)
        return grid.map { time in
            var low = Double.infinity
            var high = -Double.infinity
            var sum = 0.0
            for (index, run) in series.enumerated() {
                // The last sample at or before `time`; every run has one, as `time` ≥ its first.
                while cursors[index] + 1 < run.count && run[cursors[index] + 1].x <= time { cursors[index] += 1 }
                let value = run[cursors[index]].y
                low = min(low, value)
                high = max(high, value)
                sum += value
            }
            return Sample(x: time, low: low, mean: sum / Double(series.count), high: high)
        }
    }
}
