import BranchTree

/// What `plan` was asked: the base scenario (audience, uplinks, duration, seed, network),
/// the stream, the limits and the candidate fan-outs, broadcaster fan-outs and policies.
///
///     let inputs = PlanInputs(scenario: base, streamBitsPerSecond: 2.5e6, headroom: 0.8, uplinks: uplinks,
///                             constraints: limits, requestedFanouts: [2, 3, 4], broadcasterFanouts: [1, 2],
///                             policies: [.skyway, .rejoin])
///     inputs.candidates()     // fan-out 2 (broadcaster 1) skyway, rejoin, (broadcaster 2) skyway, …
package struct PlanInputs: Sendable, Hashable {
    /// The scenario every candidate starts from; its uplinks are ``uplinks``' classes.
    package var scenario: Scenario
    package var streamBitsPerSecond: Double
    package var headroom: Double
    package var uplinks: PlanUplinks
    package var constraints: PlanConstraints
    package var requestedFanouts: [Int]
    /// The broadcaster fan-outs to try, each its upload in copies of the stream.
    package var broadcasterFanouts: [Int]
    package var policies: [Policy]
    /// What simulates the candidates: with ``SimulationModel/tree`` only the figures the
    /// tree model has (depth, interruptions) are reported, and only they decide.
    package var model: SimulationModel

    package init(
        scenario: Scenario, streamBitsPerSecond: Double, headroom: Double, uplinks: PlanUplinks,
        constraints: PlanConstraints, requestedFanouts: [Int], broadcasterFanouts: [Int] = [1], policies: [Policy],
        model: SimulationModel = .full
    ) {
        self.scenario = scenario
        self.streamBitsPerSecond = streamBitsPerSecond
        self.headroom = headroom
        self.uplinks = uplinks
        self.constraints = constraints
        self.requestedFanouts = requestedFanouts
        self.broadcasterFanouts = Set(broadcasterFanouts).sorted()
        self.policies = policies
        self.model = model
    }

    /// The fan-outs considered: the requested ones no larger than the most any uplink
    /// feeds (larger ones build the same tree), without repeats, in increasing order; that
    /// largest capacity alone when every requested fan-out is above it; none when no
    /// viewer can relay.
    ///
    /// - Complexity: O(n log n) in the requested fan-outs.
    package var fanouts: [Int] {
        let widest = uplinks.maxCapacity
        guard widest > 0 else { return [] }
        let kept = Set(requestedFanouts.filter { $0 <= widest }).sorted()
        return kept.isEmpty ? [widest] : kept
    }

    /// Every candidate, not yet simulated: fan-outs in increasing order, each with the
    /// broadcaster fan-outs in increasing order, each with the requested policies in
    /// ``Policy``'s order (skyway first).
    ///
    /// - Complexity: O(fan-outs × broadcaster fan-outs × policies)
    package func candidates() -> [PlanCandidate] {
        let policies = Policy.allCases.filter { self.policies.contains($0) }
        return fanouts.flatMap { fanout in
            broadcasterFanouts.flatMap { broadcasterFanout in
                policies.map { policy in
                    PlanCandidate(
                        fanout: fanout, broadcasterFanout: broadcasterFanout, policy: policy,
                        relaySlotsPerViewer: uplinks.classes.meanCapacity(fanout: fanout), figures: nil)
                }
            }
        }
    }

    /// Whether the audience's relay slots can hold it at the candidate's fan-out (else it is
    /// not simulated).
    package func canCarry(_ candidate: PlanCandidate) -> Bool {
        uplinks.canCarry(
            audience: scenario.audience, fanout: candidate.fanout, broadcasterFanout: candidate.broadcasterFanout)
    }

    /// The scenario that simulates `candidate`.
    package func scenario(for candidate: PlanCandidate) -> Scenario {
        var scenario = self.scenario
        scenario.fanout = candidate.fanout
        scenario.broadcasterFanout = candidate.broadcasterFanout
        scenario.policy = candidate.policy
        return scenario
    }
}
