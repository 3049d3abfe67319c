/// Thins a long time series for drawing while keeping what the eye looks for: the first
/// and last points, and every bucket's lowest and highest point, so a one-sample spike or
/// dip in a million samples still shows.
///
///     SeriesDownsampler.minMax(points, limit: 2_000)   // ≤ 2,000 points, in x order
///
/// Buckets hold equal numbers of consecutive points (not equal spans of x): the result's
/// size is then bounded whatever the sampling, and simulator samples are near-regular.
/// Bands (a low and a high per x) are thinned the same way by ``envelope(_:limit:)``.
package enum SeriesDownsampler {
    /// `points` (sorted by x) unchanged if there are at most `limit`, else at most
    /// `limit` of them: the first, the last, and the minimum and maximum by y of each of
    /// `(limit - 2) / 2` equal runs of the points between, each pair in x order.
    ///
    /// - Complexity: O(`points.count`)
    package static func minMax(_ points: [SVGChart.Point], limit: Int) -> [SVGChart.Point] {
        let limit = max(limit, 4)
        guard points.count > limit else { return points }
        let interior = points.count - 2
        let buckets = (limit - 2) / 2
        var result = [points[0]]
        result.reserveCapacity(limit)
        for bucket in 0..<buckets {
            // Integer arithmetic spreads the remainder evenly and covers every interior point.
            let start = 1 + bucket * interior / buckets
            let end = 1 + (bucket + 1) * interior / buckets
            guard start < end else { continue }
            var low = start
            var high = start
            for index in start..<end {
                if points[index].y < points[low].y { low = index }
                if points[index].y > points[high].y { high = index }
            }
            result.append(points[min(low, high)])
            if low != high { result.append(points[max(low, high)]) }
        }
        result.append(points[points.count - 1])
        return result
    }

    /// `band` (sorted by x) unchanged if it has at most `limit` points, else at most
    /// `limit`: the first, the last, and for each of `(limit - 2) / 2` equal runs of the
    /// points between, two points at the run's first and last x, both spanning the run's
    /// lowest `low` to its highest `high`. The band drawn can only widen: no extreme is lost.
    ///
    /// - Complexity: O(`band.count`)
    package static func envelope(_ band: [SVGChart.BandPoint], limit: Int) -> [SVGChart.BandPoint] {
        let limit = max(limit, 4)
        guard band.count > limit else { return band }
        let interior = band.count - 2
        let buckets = (limit - 2) / 2
        var result = [band[0]]
        result.reserveCapacity(limit)
        for bucket in 0..<buckets {
            let start = 1 + bucket * interior / buckets
            let end = 1 + (bucket + 1) * interior / buckets
            guard start < end else { continue }
            var low = band[start].low
            var high = band[start].high
            for point in band[start..<end] {
                low = min(low, point.low)
                high = max(high, point.high)
            }
            result.append(SVGChart.BandPoint(x: band[start].x, low: low, high: high))
            if end - 1 > start { result.append(SVGChart.BandPoint(x: band[end - 1].x, low: low, high: high)) }
        }
        result.append(band[band.count - 1])
        return result
    }
}
