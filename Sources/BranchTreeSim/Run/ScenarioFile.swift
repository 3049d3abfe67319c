/// Reads a scenario file for `--scenario`, turning its problems into the tool's exit
/// statuses.
///
///     let scenario = try ScenarioFile.read(path: "flash-crowd.json")
///     // Error: flash-crowd.json: "fanout": must be an integer in 1...64, got 99   (exit 65)
package enum ScenarioFile {
    /// Files larger than this are refused: a scenario is a few hundred bytes.
    package static let maximumBytes = 1 << 20

    /// The scenario in the file at `path`, validated.
    ///
    /// - Throws: exit 66 when the file cannot be opened, 74 when reading fails, 65 when it
    ///   does not describe a scenario (the message names the file and the field).
    /// - Complexity: O(size of the file)
    package static func read(path: String) throws(CommandError) -> Scenario {
        var reader = try LineReader(path: path)
        guard let bytes = try reader.remainingBytes(atMost: maximumBytes) else {
            throw .dataError("\(path): larger than \(maximumBytes / 1024) KiB, not a scenario file")
        }
        do {
            return try Scenario(jsonBytes: bytes)
        } catch {
            throw .dataError("\(path): \(error.description)")
        }
    }
}
