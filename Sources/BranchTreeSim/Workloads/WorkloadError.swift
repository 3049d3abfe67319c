/// A workload parameter that cannot describe a workload: a non-positive scale, rates out of
/// order, shares that do not add up.
///
///     try SessionLengthDistribution.lognormal(mu: 5.19, sigma: -1).validate()
///     // throws: session length lognormal sigma must be positive and finite, got -1.0
///
/// The command-line tool reports it as `Error: …` with exit status 64 when it came from an
/// option and 65 when it came from a file.
package struct WorkloadError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The parameter at fault, as a user would name it (`session length lognormal sigma`).
    package var parameter: String
    /// What is wrong with it (`must be positive and finite, got -1.0`).
    package var problem: String

    package init(parameter: String, problem: String) {
        self.parameter = parameter
        self.problem = problem
    }

    package var description: String { "\(parameter) \(problem)" }

    /// Throws unless `value` is finite and above zero.
    static func requirePositive(_ value: Double, _ parameter: String) throws(WorkloadError) {
        guard value.isFinite, value > 0 else {
            throw WorkloadError(parameter: parameter, problem: "must be positive and finite, got \(value)")
        }
    }

    /// Throws unless `value` is finite.
    static func requireFinite(_ value: Double, _ parameter: String) throws(WorkloadError) {
        guard value.isFinite else {
            throw WorkloadError(parameter: parameter, problem: "must be finite, got \(value)")
        }
    }
}
