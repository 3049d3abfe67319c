import BranchTree

/// Everything a simulation run depends on: the audience and its churn, the tree, the
/// network and the protocol's timings, the seed. Same scenario → byte-identical report.
///
///     var scenario = Scenario()          // the built-in default: 10,000 viewers, fan-out 3, skyway
///     scenario.audience = 50_000
///     scenario.fanout = 4
///     var simulation = try Simulation(scenario: scenario)
///     let report = simulation.run()
///
/// Defaults and their sources (session lengths: Veloso et al., IMW 2002; Poisson arrivals: Sripanidkulchai et al., IMC 2004; WebRTC set-up times
/// and failure rates: field reports). Two are this project's assumptions, stated as such:
/// the share of abrupt departures (30 %) and the signalling latency (50–100 ms one way).
package struct Scenario: Sendable, Hashable {
    /// The seed of every random draw.
    package var seed: UInt64 = 1
    /// Simulated time, in seconds, during which viewers arrive and leave.
    package var duration: Double = 3_600
    /// The target concurrent audience: sets the Poisson arrival rate by Little's law
    /// (λ = audience ÷ mean session) unless ``arrivalRate`` is given, and the size of the
    /// steady-state tree a ``warmStart`` begins with.
    package var audience: Int = 10_000
    /// Arrivals per second, instead of the rate the audience implies.
    package var arrivalRate: Double?
    /// Rate changes: from `at` seconds on, arrivals per second become `rate`.
    package var rateChanges: [RateChange] = []
    /// Pareto inter-arrival times (shape 2.52, scale 1.55 s: Veloso et al. via OSSIM)
    /// instead of Poisson arrivals, for sensitivity runs.
    package var heavyTailedArrivals = false
    /// Arrival rate × `multiplier` for the first `duration` seconds.
    package var flashCrowd: ArrivalProcess.FlashCrowd?
    /// Session lengths (default lognormal μ 5.19, σ 1.44: Veloso et al., IMW 2002).
    package var sessions: SessionLengthDistribution = .default
    /// Viewers' uplinks → their relay capacity (default: everyone relays to the fan-out).
    package var uplinks: UplinkClasses = .default
    /// Children per viewer.
    package var fanout = 3
    /// First viewers the broadcaster feeds.
    package var broadcasterFanout = 1
    package var policy: Policy = .skyway
    /// Start from a steady-state tree of ``audience`` viewers, so short runs are
    /// meaningful (steady state is otherwise reached only after hours with σ = 1.44).
    package var warmStart = true
    /// The share of departures that are abrupt (the viewer vanishes: its peers notice
    /// only after ``detectionDelay``); the others close cleanly and are seen at once.
    package var abruptShare = 0.3
    /// Who tells the broadcaster that a viewer has gone: the signalling server as well
    /// as the parents (the default), or the parents only, as in the seed.
    package var departureReports: DepartureReports = .server
    /// How long peers take to notice an abrupt departure, seconds, uniform in the range
    /// (ICE consent / disconnection timers: about 5–30 s).
    package var detectionDelay: ClosedRange<Double> = 5...30
    /// One-way signalling latency, seconds, uniform in the range.
    package var signallingLatency: ClosedRange<Double> = 0.05...0.1
    /// Time for a new peer connection to carry media, seconds, uniform in the range
    /// (about 4 round trips: 1–2 s between continents).
    package var connectionSetup: ClosedRange<Double> = 1...2
    /// The share of new peer connections that fail (2–7 % in the field).
    package var connectionFailureRate = 0.03
    /// Broadcaster restarts at these times (seconds), each down for ``restartDowntime``.
    package var restarts: [Double] = []
    package var restartDowntime: Double = 5
    package var restartStrategy: RestartStrategy = .restore
    /// How often, in seconds, the broadcaster persists its tree for a restart to reload
    /// (only when restarts are planned). Viewers that join after the last save are not
    /// in the restored tree and rejoin after ``ProtocolTimings/repairTimeout``.
    package var persistInterval: Double = 10
    /// The protocol's waits.
    package var timings = ProtocolTimings()

    /// A change of arrival rate.
    package struct RateChange: Sendable, Hashable, Codable {
        package var at: Double
        package var rate: Double

        package init(at: Double, rate: Double) {
            self.at = at
            self.rate = rate
        }
    }

    package init() {}

    /// The arrival process the scenario describes.
    /// - Throws: ``WorkloadError`` for parameters that describe no process.
    package func arrivalProcess() throws(WorkloadError) -> ArrivalProcess {
        let base = arrivalRate ?? ArrivalProcess.rate(forAudience: audience, meanSession: sessions.mean)
        if heavyTailedArrivals { return try .paretoInterarrivals(shape: 2.52, meanRatePerSecond: base) }
        var segments = [ArrivalProcess.RateSegment(start: .zero, ratePerSecond: base)]
        for change in rateChanges.sorted(by: { $0.at < $1.at }) {
            try WorkloadError.requirePositive(change.at, "rate change time")
            segments.append(.init(start: .seconds(change.at), ratePerSecond: change.rate))
        }
        return try ArrivalProcess(segments: segments, flashCrowd: flashCrowd)
    }

    /// Checks every parameter, naming the first that is wrong.
    /// - Throws: ``WorkloadError``
    package func validate() throws(WorkloadError) {
        try WorkloadError.requirePositive(duration, "duration")
        guard audience >= 0 else { throw WorkloadError(parameter: "audience", problem: "must not be negative") }
        if let arrivalRate { try WorkloadError.requirePositive(arrivalRate, "arrival rate") }
        try sessions.validate()
        // The same limits the options and the scenario file enforce.
        for (name, value) in [("fan-out", fanout), ("broadcaster fan-out", broadcasterFanout)]
        where !Limits.fanout.contains(value) {
            throw WorkloadError(parameter: name, problem: "must be in \(Limits.fanout)")
        }
        for (name, share, limits) in [
            ("abrupt share", abruptShare, Limits.abruptShare),
            ("connection failure rate", connectionFailureRate, Limits.connectionFailureRate),
        ] where !limits.contains(share) {
            throw WorkloadError(parameter: name, problem: "must be in \(limits.limitDescription)")
        }
        for (name, range) in [
            ("detection delay", detectionDelay), ("signalling latency", signallingLatency),
            ("connection set-up", connectionSetup),
        ] {
            guard range.lowerBound >= 0, range.upperBound.isFinite else {
                throw WorkloadError(parameter: name, problem: "must be a finite range of non-negative seconds")
            }
        }
        for time in restarts where !(0..<duration).contains(time) {
            throw WorkloadError(parameter: "restart time \(time)", problem: "must be within the duration")
        }
        try WorkloadError.requirePositive(restartDowntime, "restart downtime")
        try WorkloadError.requirePositive(persistInterval, "persist interval")
        _ = try arrivalProcess()
    }
}
