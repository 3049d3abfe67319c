import Testing

extension SimRun {
    /// Expects a usage error of `subcommand`: exit 64, nothing on stdout, and on stderr the
    /// one line that is wrong and the pointer to the subcommand's help, not its usage.
    func expectUsageError(of subcommand: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(status == 64, sourceLocation: sourceLocation)
        #expect(stdout.isEmpty, sourceLocation: sourceLocation)
        #expect(stderr.hasPrefix("Error: "), sourceLocation: sourceLocation)
        let lines = stderr.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 3 && lines[2].isEmpty, "\(stderr)", sourceLocation: sourceLocation)
        #expect(lines.dropFirst().first == "See 'branchtree-sim \(subcommand) --help'.", sourceLocation: sourceLocation)
    }
}
