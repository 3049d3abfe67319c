import Testing

extension SimRun {
    /// Expects a usage error of `subcommand`: exit 64, nothing on stdout, the message and
    /// the subcommand's usage on stderr.
    func expectUsageError(of subcommand: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(status == 64, sourceLocation: sourceLocation)
        #expect(stdout.isEmpty, sourceLocation: sourceLocation)
        #expect(stderr.hasPrefix("Error: "), sourceLocation: sourceLocation)
        #expect(stderr.contains("Usage: branchtree-sim \(subcommand)"), sourceLocation: sourceLocation)
    }
}
