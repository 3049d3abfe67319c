/// A number in a report: one run's count or decimal, or, over replicates, their mean with
/// its 95 % interval; each with the decimal places it is printed with.
///
///     let height = Measure.count(12)
///     let depth = Measure.decimal(4.2817, places: 3)
///     Measure.combining([height, .count(14)])   // .estimate(13 ± 12.71, places: 2)
///     depth.shown.mean                          // 4.282: what is printed
///
/// ``shown`` is the number as printed, so that decisions made on a report (`plan`'s) use
/// exactly the digits people read.
package enum Measure: Sendable, Hashable {
    /// A count of one run, printed as an integer.
    case count(Int)
    /// A decimal of one run, printed with `places` fraction digits.
    case decimal(Double, places: Int)
    /// Over replicates: their mean and its 95 % interval, printed with `places` digits.
    case estimate(Estimate, places: Int)

    /// The value as computed (for replicates, their mean).
    ///
    /// - Complexity: O(1)
    package var value: Double {
        switch self {
        case .count(let count): Double(count)
        case .decimal(let value, _): value
        case .estimate(let estimate, _): estimate.mean
        }
    }

    /// The number as printed: the mean rounded to the printed places, and over replicates
    /// the half-width as the printed high end minus the printed mean (both rounded), so
    /// that the upper end is exactly the printed one.
    ///
    /// - Complexity: O(places)
    package var shown: Estimate {
        func printed(_ value: Double, _ places: Int) -> Double {
            Double(NumberFormat.fixed(value, places: places)) ?? value
        }
        switch self {
        case .count(let count):
            return Estimate(mean: Double(count), halfWidth: 0, count: 1)
        case .decimal(let value, let places):
            return Estimate(mean: printed(value, places), halfWidth: 0, count: 1)
        case .estimate(let estimate, let places):
            let mean = printed(estimate.mean, places)
            guard estimate.count > 1 else { return Estimate(mean: mean, halfWidth: 0, count: 1) }
            let halfWidth = printed(printed(estimate.upper, places) - mean, places)
            return Estimate(mean: mean, halfWidth: halfWidth, count: estimate.count)
        }
    }

    /// One figure over replicates, in replicate order: the estimate of their values, with
    /// the places of a decimal and two for a count.
    ///
    /// - Precondition: `measures` is not empty.
    /// - Complexity: O(measures)
    package static func combining(_ measures: [Measure]) -> Measure {
        precondition(!measures.isEmpty, "combining no measures")
        let places =
            switch measures[0] {
            case .count: 2
            case .decimal(_, let places), .estimate(_, let places): places
            }
        return .estimate(Estimate(samples: measures.map(\.value)), places: places)
    }
}
