/// xoshiro256** (Blackman and Vigna, "Scrambled linear pseudorandom number generators",
/// 2018): the deterministic generator behind every random choice in BranchTree's tests,
/// generators and simulator.
///
///     var random = Xoshiro256StarStar(seed: 42)
///     let die = random.next(below: 6) + 1
///
/// Bounded draws use Lemire's multiply-shift method implemented here, not the standard
/// library's `random(in:using:)`, whose algorithm may change between Swift versions:
/// the same seed gives the same draws everywhere, always.
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable, Hashable {
    private var s0, s1, s2, s3: UInt64

    /// Seeds the four state words from SplitMix64, as the authors recommend.
    public init(seed: UInt64) {
        var seeder = SplitMix64(seed: seed)
        s0 = seeder.next()
        s1 = seeder.next()
        s2 = seeder.next()
        s3 = seeder.next()
    }

    /// - Complexity: O(1)
    public mutating func next() -> UInt64 {
        let result = rotateLeft(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotateLeft(s3, 45)
        return result
    }

    /// A uniform integer in `0 ..< bound` (Lemire, "Fast random integer generation in an
    /// interval", ACM TOMACS 2019).
    /// - Precondition: `bound > 0`.
    /// - Complexity: O(1) expected
    public mutating func next(below bound: UInt64) -> UInt64 {
        precondition(bound > 0, "bound must be positive")
        var product = next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold {
                product = next().multipliedFullWidth(by: bound)
            }
        }
        return product.high
    }

    /// A uniform integer in `0 ..< bound`.
    /// - Precondition: `bound > 0`.
    public mutating func next(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        return Int(next(below: UInt64(bound)))
    }

    /// A uniform `Double` in `[0, 1)` with 53 random bits.
    public mutating func nextUnitDouble() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// True with probability `p`.
    public mutating func nextBool(probability p: Double) -> Bool {
        nextUnitDouble() < p
    }

    @inline(__always)
    private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }
}
