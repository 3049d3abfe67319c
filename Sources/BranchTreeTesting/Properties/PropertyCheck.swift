/// Seeded property checking: generate an operation sequence per seed, run the property
/// on it, and shrink the first failing sequence to a small one.
///
///     try PropertyCheck.check(seeds: 0..<100, generate: profile.operations(seed:)) { operations in
///         var network = RelayNetwork(seed: 0, profile: profile)
///         return network.run(operations)   // nil when every property holds
///     }
///
/// A property is a function from a whole sequence to its failure (nil when it holds).
/// It must be deterministic: shrinking replays it on ever smaller subsequences and keeps
/// those that still fail. It works with any operation type, and with any test framework:
/// the result is a value or a thrown ``Counterexample``.
public enum PropertyCheck {
    /// Shrinks a failing input greedily: drops chunks of half its length, then of a
    /// quarter, … down to single elements, keeping every removal after which `failure`
    /// still reports a failure, until no single element can go.
    ///
    /// - Returns: The smallest failing input found and its failure, or nil when `input`
    ///   does not fail at all.
    /// - Complexity: O(m log m) calls of `failure` for an input of m elements in the usual
    ///   case, O(m²) at worst.
    public static func shrink<Element>(
        _ input: [Element], failure: ([Element]) throws -> String?
    ) rethrows -> (minimal: [Element], failure: String)? {
        guard var lastFailure = try failure(input) else { return nil }
        var current = input
        var chunk = Swift.max(current.count / 2, 1)
        while chunk >= 1, !current.isEmpty {
            var removedAny = false
            var start = 0
            while start < current.count {
                var candidate = current
                candidate.removeSubrange(start..<Swift.min(start + chunk, current.count))
                if let candidateFailure = try failure(candidate) {
                    current = candidate
                    lastFailure = candidateFailure
                    removedAny = true
                } else {
                    start += chunk
                }
            }
            if !removedAny { chunk /= 2 }
        }
        return (current, lastFailure)
    }

    /// The first seed of `seeds` whose sequence fails `failure`, with the sequence
    /// shrunk; nil when every seed passes. Later seeds are not run.
    ///
    /// - Parameters:
    ///   - seeds: The seeds to try, in order.
    ///   - generate: The operation sequence of a seed.
    ///   - failure: The property: what is wrong after the whole sequence, nil when it
    ///     holds.
    /// - Complexity: One call of `failure` per seed that passes, plus the shrinking of
    ///   the first that fails (``shrink(_:failure:)``).
    public static func counterexample<Operation: Sendable>(
        seeds: some Sequence<UInt64>, generate: (UInt64) -> [Operation], failure: ([Operation]) -> String?
    ) -> Counterexample<Operation>? {
        for seed in seeds {
            let operations = generate(seed)
            guard let (minimal, message) = shrink(operations, failure: failure) else { continue }
            return Counterexample(seed: seed, originalCount: operations.count, operations: minimal, failure: message)
        }
        return nil
    }

    /// Checks the property on the sequence of every seed of `seeds`.
    ///
    /// - Throws: The ``Counterexample`` of the first failing seed, shrunk.
    /// - Complexity: As ``counterexample(seeds:generate:failure:)``.
    public static func check<Operation: Sendable>(
        seeds: some Sequence<UInt64>, generate: (UInt64) -> [Operation], failure: ([Operation]) -> String?
    ) throws(Counterexample<Operation>) {
        if let counterexample = counterexample(seeds: seeds, generate: generate, failure: failure) {
            throw counterexample
        }
    }
}
