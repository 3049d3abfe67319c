/// Every number the simulator prints, turned into text by its own digit arithmetic, so
/// that the same value gives the same bytes on every run, platform and Swift version.
///
///     NumberFormat.fixed(0.91834, places: 3)      // "0.918"  (reports: exact places)
///     NumberFormat.trimmed(12.345, decimals: 1)   // "12.3"   (charts, progress)
///     NumberFormat.count(1_234_567)               // "1.2M"
///     NumberFormat.decimal(15, exponent: 2, thousandsPower: 1)  // "1.5k"
///     NumberFormat.shortest(0.05)                 // "0.05"   (scenario settings)
///     NumberFormat.clock(3_725)                   // "1:02:05"
///
/// Decimals with a given number of places come from one integer routine
/// (``decimal(_:exponent:thousandsPower:grouped:trailingZeros:)``), rounding half away from
/// zero and never printing `-0`. Only ``shortest(_:)`` uses `String(describing:)`: a
/// scenario setting must read back as the very same `Double`, which the shortest
/// round-trip text guarantees.
package enum NumberFormat {
    /// The largest magnitude formatted; larger values are clamped, so that the scaled
    /// integers below never overflow.
    package static let largestMagnitude = 1e15

    /// SI-style suffixes for powers of 1,000 (`k`, `M`, `G`, `T`).
    package static let thousandsSuffixes = ["", "k", "M", "G", "T"]

    /// `value` with exactly `places` fraction digits (`1.5` at 2 → `"1.50"`), as reports
    /// print figures; `NaN`, `Infinity` and `-Infinity` as such.
    ///
    /// - Complexity: O(number of digits)
    package static func fixed(_ value: Double, places: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value < 0 ? "-Infinity" : "Infinity") }
        let scaled = (abs(value) * power(ofTen: places)).rounded()
        // Beyond what an Int holds: the whole number alone, and beyond an Int64 (a damaged
        // shard file's, say) its shortest form, rather than a trap.
        guard scaled < 9.0e18 else {
            return abs(value) < 9.0e18 ? String(Int64(value.rounded())) : shortest(value)
        }
        return decimal(
            value < 0 ? -Int(scaled) : Int(scaled), exponent: -places, grouped: false, trailingZeros: true)
    }

    /// `value` with at most `decimals` (0...3) fraction digits, trailing zeros dropped
    /// (`1.50` → `"1.5"`, `2.0` → `"2"`); not-finite values print as `"0"`.
    ///
    /// - Complexity: O(number of digits)
    package static func trimmed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "0" }
        let places = min(max(decimals, 0), 3)  // 10^15 × 10^3 still fits an Int
        let clamped = min(max(value, -largestMagnitude), largestMagnitude)
        let scaled = (clamped * power(ofTen: places)).rounded(.toNearestOrAwayFromZero)
        return decimal(Int(scaled), exponent: -places, thousandsPower: 0, grouped: false)
    }

    /// `significand × 10^exponent ÷ 1000^thousandsPower`, exactly, followed by that
    /// power's suffix; the integer part grouped with commas when `grouped`, the fraction's
    /// trailing zeros kept only when `trailingZeros`.
    ///
    /// Tick values are built as small integer multiples of a 1-2-5 step, so passing the
    /// integer and its exponent keeps the label exact (`0.3`, never `0.30000000000000004`).
    ///
    /// - Complexity: O(number of digits)
    package static func decimal(
        _ significand: Int, exponent: Int, thousandsPower: Int = 0, grouped: Bool = true, trailingZeros: Bool = false
    ) -> String {
        let power = min(max(thousandsPower, 0), thousandsSuffixes.count - 1)
        let shift = exponent - 3 * power
        var digits = String(significand.magnitude)
        var fraction = ""
        if significand == 0 && (shift >= 0 || !trailingZeros) {
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
            while !trailingZeros && fraction.last == "0" { fraction.removeLast() }
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

    /// Whole seconds as a clock: `0:05`, `12:00`, `1:00:00`, `26:40:00`.
    ///
    /// - Complexity: O(1)
    package static func clock(_ seconds: Double) -> String {
        let total = seconds.isFinite ? Int(max(0, min(seconds, 1e12)).rounded(.down)) : 0
        let (hours, minutes, rest) = (total / 3_600, total / 60 % 60, total % 60)
        let twoDigits = { (value: Int) in value < 10 ? "0\(value)" : String(value) }
        return hours > 0 ? "\(hours):\(twoDigits(minutes)):\(twoDigits(rest))" : "\(minutes):\(twoDigits(rest))"
    }

    /// `value` as the shortest text that reads back to it: `3600`, `0.05`, `1e-06`;
    /// whole numbers below 10¹⁵ without a fraction. Valid JSON for finite values.
    ///
    /// - Complexity: O(1)
    package static func shortest(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(describing: value)
    }

    /// ``shortest(_:)`` with a negative exponent written out, as a person writes a bound:
    /// `1e-06` → `0.000001`.
    ///
    /// - Complexity: O(number of digits)
    package static func plain(_ value: Double) -> String {
        let text = shortest(value)
        guard let e = text.firstIndex(of: "e"), let exponent = Int(text[text.index(after: e)...]), exponent < 0
        else { return text }
        let mantissa = text[..<e]
        let sign = mantissa.hasPrefix("-") ? "-" : ""
        let digits = mantissa.filter(\.isNumber)
        // The mantissa has one digit before its point: 1.5e-3 is 0.0015.
        return sign + "0." + String(repeating: "0", count: -exponent - 1) + digits
    }

    /// `duration` in seconds as exact decimal text, to the nanosecond (the simulator's
    /// resolution): `3`, `0.25`, `0.000000001`.
    ///
    /// - Complexity: O(1)
    package static func seconds(_ duration: Duration) -> String {
        decimal(Int(duration.nanosecondsClamped), exponent: -9, grouped: false)
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
