/// Turns numbers into chart text by its own digit arithmetic, so that the same value
/// gives the same bytes on every run, platform and Swift version.
///
///     ChartNumberFormat.fixed(12.345, decimals: 1)     // "12.3"
///     ChartNumberFormat.count(1_234_567)               // "1.2M"
///     ChartNumberFormat.decimal(15, exponent: 2, thousandsPower: 1)  // "1.5k"
///
/// `String(describing: Double)` is avoided on purpose: its shortest-round-trip output
/// is correct but not something a file format should rest on. Every formatter here
/// rounds half away from zero and never prints `-0`.
package enum ChartNumberFormat {
    /// The largest magnitude formatted; larger values are clamped, so that the scaled
    /// integers below never overflow.
    package static let largestMagnitude = 1e15

    /// SI-style suffixes for powers of 1,000 (`k`, `M`, `G`, `T`).
    package static let thousandsSuffixes = ["", "k", "M", "G", "T"]

    /// `value` with at most `decimals` (0...3) fraction digits, trailing zeros dropped
    /// (`1.50` → `"1.5"`, `2.0` → `"2"`); not-finite values print as `"0"`.
    ///
    /// - Complexity: O(number of digits)
    package static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "0" }
        let places = min(max(decimals, 0), 3)  // 10^15 × 10^3 still fits an Int
        let clamped = min(max(value, -largestMagnitude), largestMagnitude)
        let scaled = (clamped * power(ofTen: places)).rounded(.toNearestOrAwayFromZero)
        return decimal(Int(scaled), exponent: -places, thousandsPower: 0, grouped: false)
    }

    /// `significand × 10^exponent ÷ 1000^thousandsPower`, exactly, followed by that
    /// power's suffix; the integer part grouped with commas when `grouped`.
    ///
    /// Tick values are built as small integer multiples of a 1-2-5 step, so passing the
    /// integer and its exponent keeps the label exact (`0.3`, never `0.30000000000000004`).
    ///
    /// - Complexity: O(number of digits)
    package static func decimal(
        _ significand: Int, exponent: Int, thousandsPower: Int = 0, grouped: Bool = true
    ) -> String {
        let power = min(max(thousandsPower, 0), thousandsSuffixes.count - 1)
        let shift = exponent - 3 * power
        var digits = String(significand.magnitude)
        var fraction = ""
        if significand == 0 {
            digits = "0"
        } else if shift >= 0 {
            digits += String(repeating: "0", count: shift)
        } else {
            let places = -shift
            if digits.count <= places {
                digits = String(repeating: "0", count: places - digits.count + 1) + digits
            }
            fraction = String(digits.suffix(places))
            digits = String(digits.dropLast(places))
            while fraction.last == "0" { fraction.removeLast() }
        }
        let sign = significand < 0 && (digits != "0" || !fraction.isEmpty) ? "-" : ""
        let integer = grouped ? groupedThousands(digits) : digits
        let suffix = digits == "0" && fraction.isEmpty ? "" : thousandsSuffixes[power]
        return sign + integer + (fraction.isEmpty ? "" : "." + fraction) + suffix
    }

    /// A count for a label: `"12"`, `"1,234"`, `"2.5"`; from 10,000 on with a suffix and
    /// one decimal at most (`"12.3k"`, `"1.2M"`).
    ///
    /// - Complexity: O(number of digits)
    package static func count(_ value: Double) -> String {
        guard value.isFinite else { return "–" }
        let clamped = min(max(value, -largestMagnitude), largestMagnitude)
        let power = thousandsPower(for: clamped.magnitude)
        let scaled = (clamped / self.power(ofTen: 3 * power) * 10).rounded(.toNearestOrAwayFromZero)
        return decimal(Int(scaled), exponent: 3 * power - 1, thousandsPower: power)
    }

    /// The power of 1,000 whose suffix labels values up to `magnitude`: none below
    /// 10,000 (four digits read fine), then `k`, `M`, `G`, `T`.
    ///
    /// - Complexity: O(1)
    package static func thousandsPower(for magnitude: Double) -> Int {
        guard magnitude >= 10_000 else { return 0 }
        var power = 1
        while power < thousandsSuffixes.count - 1 && magnitude >= self.power(ofTen: 3 * (power + 1)) {
            power += 1
        }
        return power
    }

    /// 10^exponent, exact for 0...22 and the nearest `Double` for negative exponents
    /// (one correctly rounded division), so `3 / 10` and `0.3` agree.
    ///
    /// - Complexity: O(|exponent|)
    package static func power(ofTen exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<exponent.magnitude { result *= 10 }
        return exponent >= 0 ? result : 1 / result
    }

    private static func groupedThousands(_ digits: String) -> String {
        guard digits.count > 3 else { return digits }
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result += "," }
            result.append(digit)
        }
        return result
    }
}
