/// What `--scenario` reads: a scenario file (as `--print-scenario` writes it) or a JSON
/// report of `run` (`--format json`), whose `scenario` section echoes every setting and
/// the number of replicates, so that any report runs again exactly.
///
///     let file = try ScenarioFile.read(path: "flash-crowd.json")
///     // Error: flash-crowd.json: "fanout": must be an integer in 1...64, got 99   (exit 65)
///     let again = try ScenarioFile.read(path: "report.json")   // again.replicates == 5
package struct ScenarioFile: Sendable, Hashable {
    /// Files larger than this are refused: a scenario is a few hundred bytes, a report a
    /// few kilobytes.
    package static let maximumBytes = 1 << 20

    package var scenario: Scenario
    /// The replicates a report was made with; nil for a scenario file.
    package var replicates: Int?

    /// The scenario in the file at `path`, validated.
    ///
    /// - Throws: exit 66 when the file cannot be opened, 74 when reading fails, 65 when it
    ///   does not describe a scenario (the message names the file and the field).
    /// - Complexity: O(size of the file)
    package static func read(path: String) throws(CommandError) -> ScenarioFile {
        var reader = try LineReader(path: path)
        guard let bytes = try reader.remainingBytes(atMost: maximumBytes) else {
            throw .dataError("\(path): larger than \(maximumBytes / 1024) KiB, not a scenario file")
        }
        do {
            return try ScenarioFile(jsonBytes: bytes)
        } catch {
            throw .dataError("\(path): \(error.description)")
        }
    }

    /// Reads a scenario file's or a report's bytes.
    ///
    /// - Throws: ``Scenario/JSONError`` naming the field (`scenario.fanout` in a report).
    /// - Complexity: O(size of the file)
    package init(jsonBytes bytes: [UInt8]) throws(Scenario.JSONError) {
        let value = try Scenario.parse(bytes)
        guard case .object(let members) = value,
            let echo = members.first(where: { $0.key == SimulationReport.scenarioSectionName }),
            case .object(let settings) = echo.value
        else {
            self.init(scenario: try Scenario(json: value), replicates: nil)
            return
        }
        let prefix = SimulationReport.scenarioSectionName + "."
        var replicates: Int?
        if let count = settings.first(where: { $0.key == "replicates" })?.value {
            guard case .number(let literal) = count, let number = Int(literal), Replicates.range.contains(number) else {
                throw Scenario.JSONError(
                    field: prefix + "replicates", problem: "must be an integer in \(Replicates.range)")
            }
            replicates = number
        }
        let scenarioSettings = settings.filter { $0.key != "replicates" && $0.key != "toolVersion" }
        do {
            self.init(scenario: try Scenario(json: .object(scenarioSettings)), replicates: replicates)
        } catch {
            throw Scenario.JSONError(field: prefix + error.field, problem: error.problem)
        }
    }

    package init(scenario: Scenario, replicates: Int?) {
        self.scenario = scenario
        self.replicates = replicates
    }
}
