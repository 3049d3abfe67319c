import BranchTree
import Testing

@testable import BranchTreeSim

@Suite struct NumberFormatTests {
    @Test func exactPlaces() {
        #expect(NumberFormat.fixed(0.91834, places: 3) == "0.918")
        #expect(NumberFormat.fixed(1.5, places: 2) == "1.50")
        #expect(NumberFormat.fixed(2.5, places: 0) == "3")
        #expect(NumberFormat.fixed(-2.5, places: 0) == "-3")
        #expect(NumberFormat.fixed(-0.004, places: 2) == "0.00")
        #expect(NumberFormat.fixed(0, places: 3) == "0.000")
        #expect(NumberFormat.fixed(0.05, places: 1) == "0.1")
        #expect(NumberFormat.fixed(1_234_567.891, places: 2) == "1234567.89")
        #expect(NumberFormat.fixed(.nan, places: 2) == "NaN")
        #expect(NumberFormat.fixed(-.infinity, places: 2) == "-Infinity")
        #expect(NumberFormat.fixed(1e17, places: 3) == "100000000000000000")
        #expect(NumberFormat.fixed(-1e300, places: 2) == "-1e+300")
    }

    /// Trimming the zeros of the exact form gives the short form, for any value a chart or
    /// a progress line shows.
    @Test(arguments: [1, 2, 3] as [UInt64])
    func trimmedIsFixedWithoutTrailingZeros(seed: UInt64) {
        var random = Xoshiro256StarStar(seed: seed)
        for _ in 0..<2_000 {
            let magnitude = Double(random.next() % 1_000_000_000) / NumberFormat.power(ofTen: Int(random.next() % 7))
            let value = random.next() % 2 == 0 ? magnitude : -magnitude
            let places = Int(random.next() % 4)
            var exact = NumberFormat.fixed(value, places: places)
            if exact.contains(".") {
                while exact.hasSuffix("0") { exact.removeLast() }
                if exact.hasSuffix(".") { exact.removeLast() }
            }
            if exact == "-0" { exact = "0" }
            #expect(NumberFormat.trimmed(value, decimals: places) == exact, "\(value) at \(places)")
        }
    }

    @Test func trimmedDecimals() {
        #expect(NumberFormat.trimmed(1.25, decimals: 1) == "1.3")
        #expect(NumberFormat.trimmed(-1.25, decimals: 1) == "-1.3")
        #expect(NumberFormat.trimmed(-0.04, decimals: 1) == "0")
        #expect(NumberFormat.trimmed(2, decimals: 2) == "2")
        #expect(NumberFormat.trimmed(0.1 + 0.2, decimals: 3) == "0.3")
        #expect(NumberFormat.trimmed(1_234_567.891, decimals: 2) == "1234567.89")
        #expect(NumberFormat.trimmed(.nan, decimals: 1) == "0")
        #expect(NumberFormat.trimmed(1e300, decimals: 1) == "1000000000000000")
    }

    @Test func countsAndExactDecimals() {
        #expect(NumberFormat.count(0) == "0")
        #expect(NumberFormat.count(2.5) == "2.5")
        #expect(NumberFormat.count(1_234) == "1,234")
        #expect(NumberFormat.count(12_345) == "12.3k")
        #expect(NumberFormat.count(1_234_567) == "1.2M")
        #expect(NumberFormat.count(-50_000) == "-50k")
        #expect(NumberFormat.decimal(3, exponent: -1) == "0.3")
        #expect(NumberFormat.decimal(15, exponent: 2, thousandsPower: 1) == "1.5k")
        #expect(NumberFormat.decimal(25, exponent: 5, thousandsPower: 2) == "2.5M")
        #expect(NumberFormat.decimal(1, exponent: 7) == "10,000,000")
        #expect(NumberFormat.decimal(0, exponent: 3, thousandsPower: 1) == "0")
    }

    @Test(arguments: [
        (0.0, "0:00"), (5.9, "0:05"), (59, "0:59"), (60, "1:00"), (720, "12:00"), (3_599, "59:59"), (3_600, "1:00:00"),
        (96_000, "26:40:00"), (-3, "0:00"), (.nan, "0:00"), (.infinity, "0:00"),
    ])
    func clock(seconds: Double, text: String) {
        #expect(NumberFormat.clock(seconds) == text)
    }

    @Test func numbersPrintShortestAndReadBack() {
        #expect(NumberFormat.shortest(3_600) == "3600")
        #expect(NumberFormat.shortest(0.05) == "0.05")
        #expect(NumberFormat.shortest(-2) == "-2")
        #expect(NumberFormat.shortest(1e-6) == "1e-06")
        #expect(NumberFormat.shortest(1e20) == "1e+20")
        for value in [0.1, 1.0 / 3, 5.19, 1e-6, 123_456.789, 31_536_000] {
            #expect(Double(NumberFormat.shortest(value)) == value)
        }
    }

    @Test func durationsPrintAsExactSeconds() {
        #expect(NumberFormat.seconds(.seconds(40)) == "40")
        #expect(NumberFormat.seconds(.milliseconds(250)) == "0.25")
        #expect(NumberFormat.seconds(.nanoseconds(1)) == "0.000000001")
        #expect(NumberFormat.seconds(.nanoseconds(1_500_000_001)) == "1.500000001")
        for seconds in [0.001, 0.1, 2.5, 86_400, 0.123456789] {
            let duration = Scenario.duration(seconds: seconds)
            #expect(Scenario.duration(seconds: Double(NumberFormat.seconds(duration))!) == duration)
        }
    }
}
