/// A failing operation sequence shrunk to a small one, with the seed that generated it:
/// what ``PropertyCheck/check(seeds:generate:failure:)`` throws.
///
/// Its ``description`` is the report to print — the seed, how far the sequence shrank,
/// the operations one per line, the failure — so that a test that lets it propagate
/// shows everything needed to reproduce the failure.
public struct Counterexample<Operation: Sendable>: Error, Sendable, CustomStringConvertible {
    /// The seed whose generated sequence failed.
    public let seed: UInt64
    /// The length of the sequence the seed generated.
    public let originalCount: Int
    /// The smallest failing sequence found: every operation in it is needed.
    public let operations: [Operation]
    /// What the property reported for ``operations``.
    public let failure: String

    /// A counterexample for `seed`, shrunk from `originalCount` operations to `operations`.
    public init(seed: UInt64, originalCount: Int, operations: [Operation], failure: String) {
        self.seed = seed
        self.originalCount = originalCount
        self.operations = operations
        self.failure = failure
    }

    /// The report: the seed, the shrinking, the operations and the failure.
    public var description: String {
        """
        seed \(seed) fails; shrunk from \(originalCount) to \(operations.count) operations:
          \(operations.map { "\($0)" }.joined(separator: "\n  "))
        failure: \(failure)
        """
    }
}
