extension BatchProgress {
    /// What a batch shows on standard error while it runs: nothing, the status line, a
    /// line per finished simulation, or both (the lines scroll above the status line).
    ///
    ///     let display = BatchProgress.Display(arguments, stderr: io.stderr)
    package struct Display: OptionSet, Sendable, Hashable {
        package let rawValue: Int

        package init(rawValue: Int) {
            self.rawValue = rawValue
        }

        /// One line, redrawn in place: for a terminal.
        package static let statusLine = Display(rawValue: 1 << 0)
        /// `[3/12] description: 4.2 s` as each simulation finishes: for a log.
        package static let linePerSimulation = Display(rawValue: 1 << 1)

        /// What a command shows: the status line when standard error is a terminal
        /// (``ProgressLine/isShown(on:)``), and a line per simulation with `--progress`
        /// (``SimulationBatch/progress``), wherever standard error goes.
        ///
        /// - Complexity: O(1)
        package init(_ arguments: ParsedArguments, stderr: some TextOutputStream) {
            self = []
            if ProgressLine.isShown(on: stderr) { insert(.statusLine) }
            if arguments.isSet(SimulationBatch.progress) { insert(.linePerSimulation) }
        }
    }
}
