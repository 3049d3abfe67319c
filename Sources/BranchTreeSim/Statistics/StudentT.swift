/// Critical values of Student's t distribution, for 95 % confidence intervals over a few
/// replicates.
///
///     StudentT.twoSided95(degreesOfFreedom: 4)   // 2.7764: mean ± 2.7764 × s ÷ √5 for 5 replicates
///
/// Degrees of freedom 1–30 come from the table (the 0.975 quantile, to four places, as
/// tabulated in the NIST/SEMATECH e-Handbook of Statistical Methods, §1.3.6.7.2); above 30
/// the Cornish–Fisher expansion around the normal quantile 1.959964 is within 10⁻⁴ of the
/// exact value, and tends to it.
package enum StudentT {
    /// t₀.₉₇₅ for 1…30 degrees of freedom, index 0 for 1.
    private static let table: [Double] = [
        12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281,
        2.2010, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860,
        2.0796, 2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423,
    ]

    /// The 0.975 quantile of t with `degreesOfFreedom`: a two-sided 95 % interval is the
    /// mean ± this × the standard error.
    ///
    /// - Precondition: `degreesOfFreedom` ≥ 1.
    /// - Complexity: O(1)
    package static func twoSided95(degreesOfFreedom: Int) -> Double {
        precondition(degreesOfFreedom >= 1, "a t interval needs at least two samples")
        if degreesOfFreedom <= table.count { return table[degreesOfFreedom - 1] }
        let z = 1.959964
        let nu = Double(degreesOfFreedom)
        let z3 = z * z * z
        let z5 = z3 * z * z
        let z7 = z5 * z * z
        return z + (z3 + z) / (4 * nu) + (5 * z5 + 16 * z3 + 3 * z) / (96 * nu * nu)
            + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * nu * nu * nu)
    }
}
