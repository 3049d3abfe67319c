import Testing

@testable import BranchTreeSim

@Suite struct SimulationReportFormatsTests {
    /// Mean 40.0 with half-width 1.29334 (see EstimateTests).
    static let estimate = Estimate(samples: [39.1, 41.3, 40.2, 38.8, 40.6])

    static func summary(_ values: [Double]) -> QuantileSummary {
        var summary = QuantileSummary()
        for value in values { summary.record(value) }
        return summary
    }

    @Test func anEstimateIsMeanPlusMinusHalfWidthForPeopleAndItsEndsForMachines() {
        let value = SimulationReport.FigureValue.estimate(Self.estimate, places: 3)
        #expect(value.text == "40.000 ± 1.293")
        #expect(value.parts.map(\.name) == ["mean", "low", "high"])
        #expect(value.parts.map(\.text) == ["40.000", "38.707", "41.293"])
        #expect(value.isNumber)
        #expect(
            value.jsonValue
                == .object([
                    .init("mean", .number("40.000")), .init("low", .number("38.707")), .init("high", .number("41.293")),
                ]))
    }

    @Test func anEstimateOfOneRunIsAPlainNumber() {
        let value = SimulationReport.FigureValue.estimate(Estimate(samples: [7.25]), places: 3)
        #expect(value.text == "7.250")
        #expect(value.parts.map(\.name) == [nil])
        #expect(value.jsonValue == .number("7.250"))
    }

    @Test func aSummaryShowsItsMeanAndPercentiles() {
        let value = SimulationReport.FigureValue.summary(Self.summary((1...100).map(Double.init)), places: 2)
        #expect(value.text == "mean 50.50, p50 50.00, p99 99.00, max 100.00")
        #expect(value.parts.map(\.name) == ["mean", "p50", "p99", "max"])
        // The same as the distribution of that one run.
        let one = SimulationReport.FigureValue.distribution(
            Distribution(Self.summary((1...100).map(Double.init))), places: 2)
        #expect(one.text == value.text)
        #expect(one.jsonValue == value.jsonValue)
    }

    @Test func aDistributionOverReplicatesGivesTheMeansInterval() {
        // Means 50.5 and 0: 25.25 ± 12.7062 × 25.25 = 320.83; pooled p99 98.
        let pooled = Distribution(
            pooling: [Self.summary((1...100).map(Double.init)), Self.summary(Array(repeating: 0, count: 100))])
        let value = SimulationReport.FigureValue.distribution(pooled, places: 2)
        #expect(value.text == "mean 25.25 ± 320.83, p50 0.00, p99 98.00, max 100.00")
        #expect(value.parts.map(\.name) == ["mean", "meanLow", "meanHigh", "p50", "p99", "max"])
        #expect(value.parts.map(\.text) == ["25.25", "-295.58", "346.08", "0.00", "98.00", "100.00"])
    }

    @Test func aScenarioSettingIsWrittenAsTheScenarioFileWritesIt() {
        let policy = SimulationReport.FigureValue.json(.string("skyway"))
        #expect(policy.text == "skyway")
        #expect(!policy.isNumber)
        #expect(policy.jsonValue == .string("skyway"))
        let fanout = SimulationReport.FigureValue.json(.number("3"))
        #expect(fanout.text == "3")
        #expect(fanout.isNumber)
        let delay = SimulationReport.FigureValue.json(.array([.number("5"), .number("30")]))
        #expect(delay.text == "[5,30]")
        #expect(!delay.isNumber)
        #expect(delay.jsonValue == .array([.number("5"), .number("30")]))
        #expect(SimulationReport.FigureValue.json(.null).text == "null")
    }

    @Test func theThreeFormsOfAReportSayTheSame() throws {
        var scenario = Scenario()
        scenario.detectionDelay = 5...30
        let report = SimulationReport.combining(
            [39.1, 41.3, 40.2, 38.8, 40.6].map {
                SimulationReport.sample(scenario: scenario, interruptionsPerViewerHour: $0)
            })
        let line = try #require(
            report.table().split(separator: "\n").first { $0.hasPrefix("  interruptionsPerViewerHour ") })
        #expect(line.hasSuffix("  40.000 ± 1.293"))
        let delay = try #require(report.table().split(separator: "\n").first { $0.hasPrefix("  detectionDelay ") })
        #expect(delay.hasSuffix(" [5,30]"))
        let header = CSVLine.fields(report.csvHeader())
        let row = CSVLine.fields(report.csvRow())
        #expect(header.count == row.count)
        let csv = Dictionary(uniqueKeysWithValues: zip(header, row))
        #expect(csv["scenario.detectionDelay"] == "[5,30]")
        #expect(csv["scenario.policy"] == "skyway")
        #expect(csv["perViewer.interruptionsPerViewerHour.mean"] == "40.000")
        #expect(csv["perViewer.interruptionsPerViewerHour.low"] == "38.707")
        #expect(csv["perViewer.interruptionsPerViewerHour.high"] == "41.293")
        let json = JSONWriter.string(report.json(), style: .compact)
        #expect(json.contains(#""detectionDelay":[5,30],"#))
        #expect(json.contains(#""interruptionsPerViewerHour":{"mean":40.000,"low":38.707,"high":41.293}"#))
    }
}
