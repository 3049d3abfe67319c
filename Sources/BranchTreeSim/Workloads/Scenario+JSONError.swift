extension Scenario {
    /// Why a scenario file does not describe a scenario, and the field at fault.
    ///
    ///     JSONError(field: "fanout", problem: "must be an integer in 1...64, got 99")
    ///     // "fanout": must be an integer in 1...64, got 99
    ///
    /// The field is a path from the top of the document: `timings.joinRetry`,
    /// `uplinks[2].share` (array positions counted from 1, as people count).
    package struct JSONError: Error, Hashable, Sendable, CustomStringConvertible {
        /// The path of the field at fault; empty for the document as a whole.
        package var field: String
        /// What is wrong, e.g. `must be a number, got a string`.
        package var problem: String

        package init(field: String, problem: String) {
            self.field = field
            self.problem = problem
        }

        package var description: String {
            field.isEmpty ? problem : "\"\(field)\": \(problem)"
        }
    }
}
