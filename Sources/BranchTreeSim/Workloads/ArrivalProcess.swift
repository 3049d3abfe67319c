import BranchTree

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#elseif canImport(ucrt)
import ucrt
#endif

/// When viewers arrive: a Poisson process whose rate is constant over each of a list of
/// segments (with an optional flash crowd at the start), or a renewal process with Pareto
/// inter-arrival times.
///
///     let sessions = SessionLengthDistribution.default
///     let rate = ArrivalProcess.rate(forAudience: 1_000_000, meanSession: sessions.mean)  // ≈ 1,976/s
///     let arrivals = try ArrivalProcess(ratePerSecond: rate, flashCrowd: .default)
///     var random = Xoshiro256StarStar(seed: 1)
///     var now = Timestamp.zero
///     while let next = arrivals.nextArrival(after: now, using: &random), next < .seconds(3_600) {
///         now = next   // a viewer joins at `now`
///     }
///
/// Poisson arrivals are drawn exactly, by inverting the integrated rate: one exponential
/// draw of "expected arrivals to wait", spent segment by segment across rate changes.
/// Unlike thinning, this needs no bound on the rate and no rejected draws: every call uses
/// exactly one draw. Before the first segment the rate is zero.
///
/// Times are whole nanoseconds: an arrival is rounded to the nearest one, so two can share
/// a timestamp (the event queue keeps them in order).
package struct ArrivalProcess: Sendable, Hashable {
    /// What the process is, with its parameters.
    package enum Model: Sendable, Hashable, Codable {
        /// Poisson arrivals at a piecewise-constant rate: each segment's rate holds from its
        /// start to the next segment's start, the last one's for ever. `flashCrowd`
        /// multiplies the rate over the first `flashCrowd.duration` from the first start.
        case poisson(segments: [RateSegment], flashCrowd: FlashCrowd?)
        /// A renewal process: the gaps between arrivals are independent Pareto type I
        /// variates, `scale` seconds or more, with tail exponent `shape`.
        case paretoInterarrivals(shape: Double, scale: Double)
    }

    /// The model, as given.
    package let model: Model

    /// For Poisson arrivals: where the effective rate (flash crowd folded in) changes, in
    /// nanoseconds, ascending; empty for Pareto arrivals.
    private let pieceStarts: [Int64]
    /// The effective rate per second from `pieceStarts[i]` on.
    private let pieceRates: [Double]

    /// Makes a process, checking its parameters.
    ///
    /// - Throws: ``WorkloadError`` when there is no segment, segment starts do not strictly
    ///   increase, a rate is negative or not finite, or a flash crowd or Pareto parameter
    ///   is not positive.
    /// - Complexity: O(number of segments)
    package init(_ model: Model) throws(WorkloadError) {
        self.model = model
        switch model {
        case .poisson(let segments, let flashCrowd):
            guard let first = segments.first else {
                throw WorkloadError(parameter: "arrival rate segments", problem: "must not be empty")
            }
            for (index, segment) in segments.enumerated() {
                guard segment.ratePerSecond.isFinite, segment.ratePerSecond >= 0 else {
                    throw WorkloadError(
                        parameter: "arrival rate of segment \(index + 1)",
                        problem: "must be zero or positive and finite, got \(segment.ratePerSecond)")
                }
                if index > 0, segment.start <= segments[index - 1].start {
                    throw WorkloadError(
                        parameter: "start of arrival segment \(index + 1)",
                        problem:
                            "must be later than the previous segment's start (\(segments[index - 1].start)), got \(segment.start)"
                    )
                }
            }
            var starts = segments.map(\.start.nanoseconds)
            var rates = segments.map(\.ratePerSecond)
            if let flashCrowd {
                try flashCrowd.validate()
                let (end, overflow) = first.start.nanoseconds.addingReportingOverflow(flashCrowd.durationNanoseconds)
                let rushEnd = overflow ? Int64.max : end
                // Split the piece that holds the rush's end, then scale every piece before it.
                if let holding = starts.lastIndex(where: { $0 < rushEnd }), rushEnd != .max,
                    holding == starts.count - 1 || starts[holding + 1] != rushEnd
                {
                    starts.insert(rushEnd, at: holding + 1)
                    rates.insert(rates[holding], at: holding + 1)
                }
                for index in starts.indices where starts[index] < rushEnd {
                    rates[index] *= flashCrowd.multiplier
                }
            }
            pieceStarts = starts
            pieceRates = rates
        case .paretoInterarrivals(let shape, let scale):
            try WorkloadError.requirePositive(shape, "Pareto inter-arrival shape")
            try WorkloadError.requirePositive(scale, "Pareto inter-arrival scale")
            pieceStarts = []
            pieceRates = []
        }
    }

    /// Poisson arrivals at the rates of `segments`, with an optional flash crowd.
    ///
    /// - Throws: ``WorkloadError``, as ``init(_:)``.
    /// - Complexity: O(`segments.count`)
    package init(segments: [RateSegment], flashCrowd: FlashCrowd? = nil) throws(WorkloadError) {
        try self.init(.poisson(segments: segments, flashCrowd: flashCrowd))
    }

    /// Poisson arrivals at a constant `ratePerSecond` from `start` on, with an optional
    /// flash crowd from `start`.
    ///
    /// - Throws: ``WorkloadError``, as ``init(_:)``.
    /// - Complexity: O(1)
    package init(ratePerSecond: Double, from start: Timestamp = .zero, flashCrowd: FlashCrowd? = nil)
        throws(WorkloadError)
    {
        try self.init(segments: [RateSegment(start: start, ratePerSecond: ratePerSecond)], flashCrowd: flashCrowd)
    }

    /// Arrivals separated by Pareto gaps, `scale` seconds or more with tail exponent
    /// `shape`: mean gap `shape` · `scale` / (`shape` − 1) when `shape` > 1.
    ///
    /// - Throws: ``WorkloadError`` unless both are positive and finite.
    /// - Complexity: O(1)
    package static func paretoInterarrivals(shape: Double = 2.52, scale: Double = 1.55)
        throws(WorkloadError) -> ArrivalProcess
    {
        try ArrivalProcess(.paretoInterarrivals(shape: shape, scale: scale))
    }

    /// Pareto gaps with tail exponent `shape`, scaled so that arrivals average
    /// `meanRatePerSecond`: the heavy-tailed counterpart of a Poisson process at that rate.
    ///
    /// - Throws: ``WorkloadError`` unless `shape` > 1 (a finite mean gap) and the rate is
    ///   positive and finite.
    /// - Complexity: O(1)
    package static func paretoInterarrivals(shape: Double = 2.52, meanRatePerSecond: Double)
        throws(WorkloadError) -> ArrivalProcess
    {
        guard shape.isFinite, shape > 1 else {
            throw WorkloadError(
                parameter: "Pareto inter-arrival shape", problem: "must be above 1 for a mean rate, got \(shape)")
        }
        try WorkloadError.requirePositive(meanRatePerSecond, "mean arrival rate")
        return try paretoInterarrivals(shape: shape, scale: (shape - 1) / (shape * meanRatePerSecond))
    }

    /// Pareto inter-arrivals with shape 2.52 and scale 1.55 s (mean gap ≈ 2.57 s).
    // Source: Veloso et al., IMW 2002 (via the OSSIM simulator).
    package static let heavyTailed = try! ArrivalProcess.paretoInterarrivals(shape: 2.52, scale: 1.55)

    /// The arrival rate λ = N / E[S] that keeps `audience` viewers watching on average when
    /// sessions last `meanSession` seconds on average (Little's law).
    ///
    ///     ArrivalProcess.rate(forAudience: 1_000_000, meanSession: 506.13)   // ≈ 1,976 per second
    ///
    /// An infinite mean session gives 0: any audience builds up from a vanishing rate.
    ///
    /// - Precondition: `audience` ≥ 0 and `meanSession` > 0.
    /// - Complexity: O(1)
    package static func rate(forAudience audience: Int, meanSession: Double) -> Double {
        precondition(audience >= 0, "the audience cannot be negative")
        precondition(meanSession > 0, "the mean session must be positive")
        return Double(audience) / meanSession
    }

    // MARK: Drawing

    /// The first arrival after `time`, or `nil` if there is none (the rate stays zero, or
    /// the next arrival lies beyond the last representable `Timestamp`).
    ///
    /// For Poisson arrivals `time` can be any instant (the process is memoryless). For
    /// Pareto arrivals it must be the previous arrival (or the start): the result is `time`
    /// plus one gap. The result is never earlier than `time`, and equals it only when the
    /// gap rounds to zero nanoseconds.
    ///
    /// - Complexity: O(log p + k) for p rate pieces, of which k are crossed; O(1) for
    ///   Pareto arrivals. One random draw either way.
    package func nextArrival(after time: Timestamp, using random: inout Xoshiro256StarStar) -> Timestamp? {
        guard !pieceStarts.isEmpty else {
            guard case .paretoInterarrivals(let shape, let scale) = model else { return nil }
            return Self.offset(time.nanoseconds, bySeconds: random.nextPareto(shape: shape, scale: scale))
        }
        // Spend an Exp(1) budget of expected arrivals across the pieces from `time` on.
        var budget = random.nextStandardExponential()
        var now = max(time.nanoseconds, pieceStarts[0])
        var piece = pieceIndex(containing: now)
        while true {
            let rate = pieceRates[piece]
            guard piece + 1 < pieceStarts.count else {
                return rate > 0 ? Self.offset(now, bySeconds: budget / rate) : nil
            }
            let end = pieceStarts[piece + 1]
            let length = Self.seconds(from: now, to: end)
            let expected = rate * length
            if budget < expected {
                return Self.offset(now, bySeconds: min(budget / rate, length))
            }
            budget -= expected
            now = end
            piece += 1
        }
    }

    /// The instant rate at `time`, per second, flash crowd included. For Pareto arrivals,
    /// the long-run rate 1 / mean gap (zero when `shape` ≤ 1).
    ///
    /// - Complexity: O(log p) for p rate pieces.
    package func rate(at time: Timestamp) -> Double {
        switch model {
        case .poisson:
            guard time.nanoseconds >= pieceStarts[0] else { return 0 }
            return pieceRates[pieceIndex(containing: time.nanoseconds)]
        case .paretoInterarrivals(let shape, let scale):
            return shape > 1 ? (shape - 1) / (shape * scale) : 0
        }
    }

    /// The expected number of arrivals in `[start, end)`: the integral of the rate. For
    /// Pareto arrivals, the long-run rate times the length.
    ///
    /// - Complexity: O(log p + k) for p rate pieces, of which k overlap the interval.
    package func expectedArrivals(from start: Timestamp, to end: Timestamp) -> Double {
        guard start < end else { return 0 }
        guard !pieceStarts.isEmpty else { return rate(at: start) * (end.seconds - start.seconds) }
        var now = max(start.nanoseconds, pieceStarts[0])
        guard now < end.nanoseconds else { return 0 }
        var piece = pieceIndex(containing: now)
        var total = 0.0
        while now < end.nanoseconds {
            let pieceEnd =
                piece + 1 < pieceStarts.count ? min(pieceStarts[piece + 1], end.nanoseconds) : end.nanoseconds
            total += pieceRates[piece] * Self.seconds(from: now, to: pieceEnd)
            now = pieceEnd
            piece += 1
        }
        return total
    }

    /// The last piece starting at or before `nanoseconds`, which must not precede the first.
    private func pieceIndex(containing nanoseconds: Int64) -> Int {
        var low = 0
        var high = pieceStarts.count  // pieceStarts[low] <= nanoseconds < pieceStarts[high]
        while high - low > 1 {
            let middle = (low + high) / 2
            if pieceStarts[middle] <= nanoseconds { low = middle } else { high = middle }
        }
        return low
    }

    /// `nanoseconds` plus `seconds` (≥ 0) rounded to the nearest nanosecond, or `nil` past
    /// the last representable time.
    private static func offset(_ nanoseconds: Int64, bySeconds seconds: Double) -> Timestamp? {
        assert(seconds >= 0, "arrivals never go back in time")
        let delta = (seconds * 1e9).rounded()
        // Int64.max − nanoseconds, exact even when it exceeds Int64.max.
        let room = UInt64(bitPattern: Int64.max &- nanoseconds)
        guard delta < Double(room) else { return nil }
        return Timestamp(nanoseconds: nanoseconds &+ Int64(bitPattern: UInt64(delta)))
    }

    /// The seconds from `start` to `end` nanoseconds, `start` ≤ `end`, without overflow.
    private static func seconds(from start: Int64, to end: Int64) -> Double {
        Double(UInt64(bitPattern: end &- start)) / 1e9
    }
}

// MARK: - Codable

extension ArrivalProcess: Codable {
    /// Decodes the ``model`` and validates it.
    ///
    /// - Throws: `DecodingError.dataCorrupted` with the ``WorkloadError`` as its underlying
    ///   error when the parameters do not describe a process.
    package init(from decoder: any Decoder) throws {
        let model = try Model(from: decoder)
        do {
            try self.init(model)
        } catch {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath, debugDescription: error.description, underlyingError: error))
        }
    }

    /// Encodes the ``model`` only.
    package func encode(to encoder: any Encoder) throws {
        try model.encode(to: encoder)
    }
}
