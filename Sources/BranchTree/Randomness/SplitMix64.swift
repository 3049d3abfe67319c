/// SplitMix64 (Steele, Lea, Flood, "Fast splittable pseudorandom number generators",
/// OOPSLA 2014): a tiny generator used here to expand one 64-bit seed into the state of
/// ``Xoshiro256StarStar``.
///
/// Its outputs never change between Swift versions or platforms, so a seed always means
/// the same sequence.
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable {
    /// The generator's whole state: the next output is a function of it alone.
    public private(set) var state: UInt64

    /// A generator whose state starts at `seed`.
    public init(seed: UInt64) {
        self.state = seed
    }

    /// - Complexity: O(1)
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
