import BranchTree

extension Scenario {
    /// This scenario once per replicate in `range`, each with its replicate's seed.
    ///
    ///     Scenario().replicates(0..<3).map(\.seed)   // [1, derived, derived]
    ///
    /// - Complexity: O(`range.upperBound`)
    package func replicates(_ range: Range<Int>) -> [Scenario] {
        range.map { replicate in
            var scenario = self
            scenario.seed = Self.replicateSeed(base: seed, replicate: replicate)
            return scenario
        }
    }

    /// The seed of replicate `replicate`: the base seed for 0 (so one replicate reproduces
    /// the plain run), else the `replicate`-th output of SplitMix64 seeded with the base
    /// seed, shifted right by one bit so that it prints as the same positive number
    /// wherever a seed is shown. The same for every scenario, so the candidates of a sweep
    /// or a plan are compared on the same random draws where they can be (common random
    /// numbers: their differences vary less than their figures).
    ///
    /// - Complexity: O(`replicate`)
    package static func replicateSeed(base: UInt64, replicate: Int) -> UInt64 {
        var generator = SplitMix64(seed: base)
        var seed = base
        for _ in 0..<replicate { seed = generator.next() >> 1 }
        return seed
    }
}
