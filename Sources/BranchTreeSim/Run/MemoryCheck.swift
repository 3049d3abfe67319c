/// Refuses simulations that would not fit in the machine's memory, before any starts:
/// such a run otherwise dies part-way of an allocation failure, or drives the machine
/// into the out-of-memory killer.
///
///     try MemoryCheck.requireFits([scenario], jobs: 1, of: nil, hint: "lower --audience")
///
/// Used by every command that simulates (`run`, `sweep`, `plan`).
enum MemoryCheck {
    /// The process before any simulation: the runtime, Foundation and the code (21 MB
    /// measured for `run --audience 0`, rounded up).
    static let processBytes = 24_000_000.0

    /// Throws unless the simulations that may run at once — the `jobs` largest — fit in
    /// the physical memory with the process (``Scenario/estimatedMemoryBytes``). Nothing
    /// is checked when the system does not say how much memory it has.
    ///
    /// - Parameters:
    ///   - kind: What one simulation is called in the message (`sweep point`); nil for
    ///     a single run.
    ///   - hint: What to change, ending the message.
    /// - Throws: A usage error (exit 64) naming the estimate, how it was reached, and the
    ///   machine's memory.
    /// - Complexity: O(n log n) for n scenarios
    static func requireFits(_ scenarios: [Scenario], jobs: Int, of kind: String?, hint: String) throws(CommandError) {
        guard let limit = PhysicalMemory.bytes else { return }
        let bySize = scenarios.sorted { $0.estimatedMemoryBytes > $1.estimatedMemoryBytes }
        let atOnce = bySize.prefix(Swift.max(1, jobs))
        guard let first = atOnce.first else { return }
        let needed = processBytes + atOnce.map(\.estimatedMemoryBytes).reduce(0, +)
        guard needed > Double(limit) else { return }
        let subject =
            switch (kind, atOnce.count) {
            case (nil, _): "the simulation"
            case (let kind?, 1): "the largest \(kind)"
            case (let kind?, let count): "the \(count) largest \(kind)s, run at once,"
            }
        let viewers = Int(Swift.min(first.estimatedPeakViewers, 1e15).rounded(.up))
        let largest =
            (atOnce.count > 1 ? "the largest: " : "") + "about \(NumberFormat.decimal(viewers, exponent: 0)) "
            + "viewers at once, \(NumberFormat.decimal(Int(first.estimatedBytesPerViewer), exponent: 0)) bytes each"
        throw .usage(
            "\(subject) would need about \(gigabytes(needed, rounded: .up)) of memory (\(largest)), "
                + "more than this machine's \(gigabytes(Double(limit), rounded: .down)); \(hint)")
    }

    /// `12.3 GB` (10⁹ bytes), rounded in the given direction, so that an estimate just
    /// above the limit never prints as equal to it.
    private static func gigabytes(_ bytes: Double, rounded rule: FloatingPointRoundingRule) -> String {
        let tenths = Int(Swift.min(bytes / 1e8, 1e15).rounded(rule))
        return NumberFormat.decimal(tenths, exponent: -1) + " GB"
    }
}
