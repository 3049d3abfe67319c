/// One axis of a chart: the value range it spans and its labelled ticks.
///
///     let y = ChartAxis.counts(from: 0, to: 1_234_567)
///     y.ticks.map(\.label)   // ["0", "0.5M", "1M", "1.5M"]
///     let x = ChartAxis.time(from: 0, to: 5_400)
///     x.ticks.map(\.label)   // ["0", "15m", "30m", "45m", "1h", "1h15m", "1h30m"]
///
/// Count axes step by 1, 2 or 5 times a power of ten, always include zero, and widen to
/// whole steps so the top gridline sits above the highest value. Time axes (values in
/// seconds) step by intervals a clock reader knows (1, 2, 5, 10, 15, 30 s; 1, 2, 5, 10,
/// 15, 30 min; 1, 2, 3, 6, 12 h; then days by 1-2-5), keep the data's own range, and
/// label ticks as `45s`, `1m30s`, `2h`, `1d12h`.
///
/// Tick values are integer multiples of the step and labels are printed from those
/// integers, so they are exact and deterministic.
package struct ChartAxis: Sendable, Equatable {
    /// A gridline: where it sits and what it says.
    package struct Tick: Sendable, Equatable {
        package var value: Double
        package var label: String
    }

    /// The value at the axis's start.
    package let lower: Double
    /// The value at the axis's end; always greater than ``lower``.
    package let upper: Double
    /// The distance between neighbouring ticks.
    package let step: Double
    /// Ticks from low to high, all within ``lower``...``upper`` (give or take rounding).
    package let ticks: [Tick]

    /// Where `value` falls between the screen coordinates `start` (at ``lower``) and
    /// `end` (at ``upper``).
    ///
    /// - Complexity: O(1)
    package func position(of value: Double, from start: Double, to end: Double) -> Double {
        start + (value - lower) / (upper - lower) * (end - start)
    }

    /// An axis for counts covering `lower`...`upper` and zero, with about
    /// `targetTickCount` intervals of 1-2-5 steps; no step below 1 when `integral`
    /// (counts of viewers have no fractions). Not-finite bounds are taken as 0, and
    /// magnitudes are clamped to ``NumberFormat/largestMagnitude``.
    ///
    /// - Complexity: O(`targetTickCount`)
    package static func counts(
        from lower: Double, to upper: Double, targetTickCount: Int = 5, integral: Bool = false
    ) -> ChartAxis {
        var low = min(clamped(lower), 0)
        var high = max(clamped(upper), 0)
        if high <= low { high = low + 1 }  // all zeros: show 0…1 rather than nothing
        var (mantissa, exponent) = niceStep(atLeast: (high - low) / Double(max(targetTickCount, 1)))
        if integral && exponent < 0 { (mantissa, exponent) = (1, 0) }
        let step = value(mantissa, exponent: exponent)
        // A little slack so that 0.30000000000000004 does not add a step above 0.3.
        let first = Int((low / step + 1e-9).rounded(.down))
        let last = Int((high / step - 1e-9).rounded(.up))
        low = value(first * mantissa, exponent: exponent)
        high = value(last * mantissa, exponent: exponent)
        let power = NumberFormat.thousandsPower(for: max(low.magnitude, high.magnitude))
        let ticks = (first...last).map { index in
            Tick(
                value: value(index * mantissa, exponent: exponent),
                label: NumberFormat.decimal(index * mantissa, exponent: exponent, thousandsPower: power)
            )
        }
        return ChartAxis(lower: low, upper: high, step: step, ticks: ticks)
    }

    /// An axis for simulated time in seconds spanning exactly `lower`...`upper` (an empty
    /// span is widened by a second each way, not below zero), with about
    /// `targetTickCount` intervals.
    ///
    /// - Complexity: O(`targetTickCount`)
    package static func time(from lower: Double, to upper: Double, targetTickCount: Int = 8) -> ChartAxis {
        var low = clamped(lower)
        var high = clamped(upper)
        if high <= low {
            // One instant: put it mid-axis, but do not invent negative time for it.
            let instant = low
            low = instant >= 0 ? max(0, instant - 1) : instant - 1
            high = max(instant + 1, low + 1)
        }
        let wanted = (high - low) / Double(max(targetTickCount, 1))
        // Tick indices inside the range, with slack for quotients like 2.9999999999999996.
        func indices(step: Double) -> StrideThrough<Int> {
            stride(
                from: Int((low / step - 1e-9).rounded(.up)), through: Int((high / step + 1e-9).rounded(.down)), by: 1)
        }
        if wanted < 1 {
            // Under a second a step is a decimal fraction: label it like a count, in seconds.
            let (mantissa, exponent) = niceStep(atLeast: wanted)
            let step = value(mantissa, exponent: exponent)
            let ticks = indices(step: step).map { index in
                let label = NumberFormat.decimal(index * mantissa, exponent: exponent, grouped: false)
                return Tick(
                    value: value(index * mantissa, exponent: exponent), label: label == "0" ? label : label + "s")
            }
            return ChartAxis(lower: low, upper: high, step: step, ticks: ticks)
        }
        let step = timeSteps.first { Double($0) >= wanted } ?? dayStep(atLeast: wanted)
        let ticks = indices(step: Double(step)).map { index in
            Tick(value: Double(index * step), label: clockLabel(seconds: index * step))
        }
        return ChartAxis(lower: low, upper: high, step: Double(step), ticks: ticks)
    }

    /// Whole-second steps up to a day, in seconds.
    private static let timeSteps = [
        1, 2, 5, 10, 15, 30,
        60, 120, 300, 600, 900, 1_800,
        3_600, 7_200, 10_800, 21_600, 43_200, 86_400,
    ]

    /// Day steps by 1-2-5: 1, 2, 5, 10, 20, 50 days…
    private static func dayStep(atLeast seconds: Double) -> Int {
        let (mantissa, exponent) = niceStep(atLeast: seconds / 86_400)
        return Int(value(mantissa, exponent: max(exponent, 0))) * 86_400
    }

    /// `5400` → `1h30m`, `90` → `1m30s`, `0` → `0`.
    private static func clockLabel(seconds: Int) -> String {
        guard seconds != 0 else { return "0" }
        var rest = seconds.magnitude
        var label = seconds < 0 ? "-" : ""
        for (unit, suffix) in [(86_400, "d"), (3_600, "h"), (60, "m"), (1, "s")] as [(UInt, String)] {
            if rest >= unit {
                label += String(rest / unit) + suffix
                rest %= unit
            }
        }
        return label
    }

    /// The smallest `mantissa × 10^exponent` with mantissa 1, 2 or 5 that is ≥ `raw`.
    ///
    /// - Complexity: O(|exponent|)
    package static func niceStep(atLeast raw: Double) -> (mantissa: Int, exponent: Int) {
        guard raw.isFinite, raw > 0 else { return (1, 0) }
        var exponent = 0
        // Bring 10^exponent to at most raw and 10^(exponent+1) above it.
        while exponent < 30 && NumberFormat.power(ofTen: exponent + 1) <= raw { exponent += 1 }
        while exponent > -12 && NumberFormat.power(ofTen: exponent) > raw { exponent -= 1 }
        for mantissa in [1, 2, 5] where value(mantissa, exponent: exponent) >= raw * (1 - 1e-12) {
            return (mantissa, exponent)
        }
        return (1, exponent + 1)
    }

    /// `multiple × 10^exponent` as the nearest `Double` (one rounding only).
    private static func value(_ multiple: Int, exponent: Int) -> Double {
        exponent >= 0
            ? Double(multiple) * NumberFormat.power(ofTen: exponent)
            : Double(multiple) / NumberFormat.power(ofTen: -exponent)
    }

    private static func clamped(_ value: Double) -> Double {
        guard value.isFinite else { return 0 }
        return min(max(value, -NumberFormat.largestMagnitude), NumberFormat.largestMagnitude)
    }
}
