/// `--replicates`: how many independent runs stand behind each reported figure.
///
///     static let replicates = Replicates.option(default: 5)
///     let scenarios = scenario.replicates(0..<5)   // the same scenario, five seeds
///
/// Replicate 0 runs the base seed, so one replicate reproduces the plain run; the others
/// take seeds derived from it (``Scenario/replicateSeed(base:replicate:)``). With more
/// than one, every figure is reported as the replicates' mean with a 95 % confidence
/// interval (``Estimate``).
package enum Replicates {
    /// The replicates accepted.
    package static let range = 1...1_000

    /// The option, with the command's default.
    package static func option(default count: Int) -> TypedOption<Int> {
        TypedOption(
            name: "replicates", valueName: "r",
            help: "Independent runs per scenario (seeds derived from --seed, run on every core); figures are "
                + "their mean with a 95 % confidence interval.",
            parser: .integer(in: range), default: count)
    }
}
