import Testing

@testable import BranchTreeSim

@Suite struct StudentTTests {
    /// t₀.₉₇₅ from the table (NIST/SEMATECH e-Handbook §1.3.6.7.2).
    @Test(arguments: [(1, 12.7062), (2, 4.3027), (4, 2.7764), (9, 2.2622), (19, 2.0930), (30, 2.0423)])
    func tableValues(degreesOfFreedom: Int, expected: Double) {
        #expect(StudentT.twoSided95(degreesOfFreedom: degreesOfFreedom) == expected)
    }

    /// Above the table, the expansion against the exact quantiles (R's qt(0.975, df)).
    @Test(arguments: [(31, 2.039513), (40, 2.021075), (60, 2.000298), (120, 1.979930), (1_000, 1.962339)])
    func expansionAboveTheTable(degreesOfFreedom: Int, exact: Double) {
        let value = StudentT.twoSided95(degreesOfFreedom: degreesOfFreedom)
        #expect(abs(value - exact) < 1e-4, "df \(degreesOfFreedom): \(value) vs \(exact)")
    }

    @Test func decreasesTowardsTheNormalQuantile() {
        let values = (1...2_000).map { StudentT.twoSided95(degreesOfFreedom: $0) }
        for (wider, narrower) in zip(values, values.dropFirst()) { #expect(wider > narrower) }
        #expect(values.allSatisfy { $0 > 1.959964 })
        #expect(abs(StudentT.twoSided95(degreesOfFreedom: 1_000_000) - 1.959964) < 1e-5)
    }
}
