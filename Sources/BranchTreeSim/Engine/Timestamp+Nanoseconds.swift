import BranchTree

// The simulator's time arithmetic in whole nanoseconds (both models): a `Duration` holds attoseconds
// in 128 bits, and turning one back into nanoseconds or seconds divides 128-bit numbers
// in software, several times per event. Both helpers give exactly what the `Duration`
// forms give, so reports do not change.

extension Timestamp {
    /// The time `nanoseconds` later: `self + .nanoseconds(nanoseconds)`, saturating at the
    /// ends of the range the same way.
    @inline(__always)
    func advanced(byNanoseconds nanoseconds: Int64) -> Timestamp {
        let (sum, overflow) = self.nanoseconds.addingReportingOverflow(nanoseconds)
        guard overflow else { return Timestamp(nanoseconds: sum) }
        return Timestamp(nanoseconds: nanoseconds < 0 ? .min : .max)
    }

    /// The seconds from `earlier` to this time: `(self - earlier).secondsDouble`, the same
    /// value to the bit (whole seconds, then the rest as attoseconds over 10¹⁸).
    @inline(__always)
    func seconds(since earlier: Timestamp) -> Double {
        let nanoseconds = self.nanoseconds &- earlier.nanoseconds
        let (whole, rest) = nanoseconds.quotientAndRemainder(dividingBy: 1_000_000_000)
        return Double(whole) + Double(rest &* 1_000_000_000) / 1e18
    }
}
