extension SimulationReport {
    /// The report of replicates — runs of one scenario with different seeds, `reports[0]`
    /// the base seed's — as one: every measured figure becomes the replicates' mean with
    /// its 95 % interval (``Estimate``), every per-event figure a ``Distribution`` (the
    /// interval of the replicates' means, percentiles pooled over all their events). The
    /// scenario section, texts, time series and depth histogram are the base seed's, and
    /// the scenario's `replicates` says how many runs stand behind the figures. One report
    /// comes back as it is.
    ///
    ///     let report = SimulationReport.combining(replicateReports)
    ///     report.figure("perViewer", "continuityIndex")   // .estimate(0.918 ± 0.002, places: 5)
    ///
    /// - Precondition: `reports` is not empty, and all have the same figures in the same
    ///   order (every ``Simulation`` report does).
    /// - Complexity: O(reports × figures)
    package static func combining(_ reports: [SimulationReport]) -> SimulationReport {
        precondition(!reports.isEmpty, "combining no reports")
        guard reports.count > 1 else { return reports[0] }
        var combined = reports[0]
        for (sectionIndex, (sectionName, figures)) in combined.sections.enumerated() {
            for (figureIndex, figure) in figures.enumerated() {
                let values = reports.map { report in
                    let section = report.sections[sectionIndex]
                    precondition(
                        section.name == sectionName && section.figures[figureIndex].name == figure.name,
                        "replicate reports differ in shape")
                    return section.figures[figureIndex].value
                }
                combined.sections[sectionIndex].figures[figureIndex].value =
                    sectionName == scenarioSectionName
                    ? (figure.name == "replicates" ? .integer(reports.count) : figure.value)
                    : combine(values)
            }
        }
        return combined
    }

    /// One figure over replicates: numbers become an estimate (integers to two places),
    /// summaries a pooled distribution; texts and settings stay the base seed's.
    private static func combine(_ values: [FigureValue]) -> FigureValue {
        var samples: [Double] = []
        var summaries: [QuantileSummary] = []
        var places = 0
        for value in values {
            switch value {
            case .integer(let number):
                samples.append(Double(number))
                places = 2
            case .unsigned(let number):
                samples.append(Double(number))
                places = 2
            case .decimal(let number, let decimals):
                samples.append(number)
                places = decimals
            case .summary(let summary, let decimals):
                summaries.append(summary)
                places = decimals
            case .text, .json, .estimate, .distribution:
                return values[0]
            }
        }
        if summaries.count == values.count {
            return .distribution(Distribution(pooling: summaries), places: places)
        }
        guard samples.count == values.count else { return values[0] }
        return .estimate(Estimate(samples: samples), places: places)
    }
}
