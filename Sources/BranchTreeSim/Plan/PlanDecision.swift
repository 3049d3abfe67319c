import BranchTree

/// The choice among `plan`'s candidates.
///
///     switch PlanDecision(candidates, constraints: limits) {
///     case .recommended(let index): …   // candidates[index] meets every limit
///     case .unmet(let closest): …       // none does; closest is the nearest miss, if any was simulated
///     }
///
/// The rule, on each figure's 95 % interval over replicates: a candidate is within the
/// limits when the pessimistic end of every interval is. Among those, the one with the
/// fewest interruptions per viewer-hour sets the mark, and every candidate not measurably
/// worse than it by more than 10 % — seed by seed, the 95 % interval of the difference
/// reaches down to 10 % of the mark or below — is as good
/// (``equallyGood(_:constraints:)``); of these the simplest is recommended: the fewest
/// broadcaster streams, then the smallest fan-out, then skyway
/// (``PlanCandidate/isSimpler(than:)``). A simpler candidate is set aside only on evidence,
/// so noise between seeds cannot turn the answer to a candidate that is no better; and
/// `plan` adds replicates while a comparison that could change the answer is open
/// (``replicatesWanted(_:constraints:step:cap:)``). When none is within the limits, the
/// closest is the one with the least relative excess (``PlanConstraints/excess(of:)``),
/// then the fewest interruptions, then the simplest.
package enum PlanDecision: Sendable, Hashable {
    /// The index of the recommended candidate.
    case recommended(Int)
    /// No candidate meets the limits; the index of the closest, or nil when no candidate
    /// could be simulated.
    case unmet(closest: Int?)

    /// Decides.
    ///
    /// - Complexity: O(candidates)
    package init(_ candidates: [PlanCandidate], constraints: PlanConstraints) {
        let simulated = candidates.indices.filter { candidates[$0].figures != nil }
        guard simulated.contains(where: { constraints.excess(of: candidates[$0].figures!) == 0 }) else {
            let closest = simulated.min { a, b in
                let (x, y) = (candidates[a], candidates[b])
                let keys = (constraints.excess(of: x.figures!), x.figures!.interruptionsPerViewerHour.mean)
                let otherKeys = (constraints.excess(of: y.figures!), y.figures!.interruptionsPerViewerHour.mean)
                return keys < otherKeys || (keys == otherKeys && x.isSimpler(than: y))
            }
            self = .unmet(closest: closest)
            return
        }
        let tied = Self.equallyGood(candidates, constraints: constraints)
        // Ties in simplicity keep the earlier candidate.
        self = .recommended(tied.min { candidates[$0].isSimpler(than: candidates[$1]) }!)
    }

    /// The candidates the recommendation is chosen from: those within the limits that
    /// cannot be told from the one with the fewest interruptions per viewer-hour, in order;
    /// empty when none is within the limits.
    ///
    /// - Complexity: O(candidates)
    package static func equallyGood(_ candidates: [PlanCandidate], constraints: PlanConstraints) -> [Int] {
        let within = candidates.indices.filter { index in
            candidates[index].figures.map { constraints.excess(of: $0) == 0 } ?? false
        }
        guard !within.isEmpty else { return [] }
        return tied(with: best(within, in: candidates), in: candidates, constraints: constraints)
    }

    /// The candidates within the limits that are as good as candidate `mark` on
    /// interruptions per viewer-hour, `mark` included, in order: those whose excess over
    /// it, replicate by replicate on the same seeds, has a 95 % interval that reaches down
    /// to ``tolerance`` of its mean or below (``Comparison/asGood``, ``Comparison/open``).
    ///
    /// - Complexity: O(candidates × replicates)
    package static func tied(with mark: Int, in candidates: [PlanCandidate], constraints: PlanConstraints) -> [Int] {
        candidates.indices.filter { index in
            guard let figures = candidates[index].figures, constraints.excess(of: figures) == 0 else { return false }
            return compare(index, with: mark, in: candidates) != .worse
        }
    }

    /// How a candidate's interruptions per viewer-hour compare with the mark's.
    package enum Comparison: Sendable, Hashable {
        /// Its excess over the mark's is below ``tolerance`` of the mark at the interval's
        /// upper end: as good, whatever more replicates show.
        case asGood
        /// Its excess is above the tolerance at the interval's lower end: measurably worse.
        case worse
        /// The tolerance lies inside the interval of the excess: counted as good (a simpler
        /// candidate is set aside only on evidence), but more replicates could tell.
        case open
    }

    /// Compares candidate `index` with candidate `mark` on interruptions per viewer-hour,
    /// replicate by replicate over the seeds both ran.
    ///
    /// - Precondition: both were simulated.
    /// - Complexity: O(replicates)
    package static func compare(_ index: Int, with mark: Int, in candidates: [PlanCandidate]) -> Comparison {
        let (figures, markFigures) = (candidates[index].figures!, candidates[mark].figures!)
        let pairs = Swift.min(figures.interruptionSamples.count, markFigures.interruptionSamples.count)
        let excess = Estimate(
            samples: (0..<pairs).map { figures.interruptionSamples[$0] - markFigures.interruptionSamples[$0] })
        let allowed = tolerance * markFigures.interruptionsPerViewerHour.mean
        if excess.upper <= allowed { return .asGood }
        if excess.lower > allowed { return .worse }
        return .open
    }

    /// How much more interruptions per viewer-hour than the best still count as as good:
    /// differences smaller than a tenth are below what the model can promise anyway.
    package static let tolerance = 0.1

    /// The candidate among `indices` with the fewest interruptions per viewer-hour (the
    /// simplest on a tie).
    static func best(_ indices: [Int], in candidates: [PlanCandidate]) -> Int {
        indices.min { a, b in
            let (x, y) = (candidates[a], candidates[b])
            let (rate, otherRate) = (
                x.figures!.interruptionsPerViewerHour.mean, y.figures!.interruptionsPerViewerHour.mean
            )
            return rate < otherRate || (rate == otherRate && x.isSimpler(than: y))
        }!
    }
}
