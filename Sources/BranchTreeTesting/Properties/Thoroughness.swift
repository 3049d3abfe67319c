#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// How many seeds a seeded test runs: a few in the everyday run, all of them in a
/// thorough one.
///
///     @Test func churnSettles() throws {
///         let seeds = Thoroughness.current.seeds(0..<200, quick: 20)
///         try PropertyCheck.check(seeds: seeds, generate: profile.operations(seed:)) { … }
///     }
///
///     @Test(.enabled(if: Thoroughness.current == .thorough))
///     func aLongStressRun() { … }
///
/// The everyday run (`quick`) keeps a test suite fast enough to run before every
/// commit; a scheduled or CI job sets the environment variable
/// `BRANCHTREE_THOROUGH=1` and runs every seed (`thorough`). Both runs are
/// deterministic: the quick seeds are the first ones of the thorough range, so a
/// failure seen in the quick run is seen in the thorough run too.
public enum Thoroughness: Sendable, Hashable {
    /// A prefix of each test's seeds.
    case quick
    /// Every seed, and the tests that only stress runs enable.
    case thorough

    /// The environment variable that selects ``thorough``: set it to `1`.
    public static let environmentVariable = "BRANCHTREE_THOROUGH"

    /// ``thorough`` when the environment variable ``environmentVariable`` is `1`, else
    /// ``quick``. Read once per process.
    public static let current: Thoroughness = {
        guard let value = getenv(environmentVariable) else { return .quick }
        return String(cString: value) == "1" ? .thorough : .quick
    }()

    /// The seeds a test runs: all of `seeds` when thorough, else the first `quick` of them
    /// (all of them if there are fewer).
    ///
    /// - Complexity: O(1)
    public func seeds(_ seeds: Range<UInt64>, quick count: Int) -> Range<UInt64> {
        switch self {
        case .thorough: seeds
        case .quick: seeds.prefix(Swift.max(0, count))
        }
    }

    /// The seeds a test runs, for a closed range: as ``seeds(_:quick:)``.
    ///
    /// - Complexity: O(1)
    public func seeds(_ seeds: ClosedRange<UInt64>, quick count: Int) -> Range<UInt64> {
        self.seeds(Range(seeds), quick: count)
    }
}
