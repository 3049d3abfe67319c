import Testing

@testable import BranchTreeSim

#if canImport(Foundation)
import Foundation
#endif
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A chart like the simulator's: viewers ramping up and down, a few interruptions, a depth
/// histogram.
private func sampleChart(title: String = "skyway, fanout 3", subtitle: String = "100 viewers · seed 7") -> SVGChart {
    let viewers = (0...600).map { (x: Double($0), y: Double(min($0, 600 - $0, 250))) }
    let interrupted = (0...600).map { (x: Double($0), y: $0 % 97 == 0 ? 12.0 : 0) }
    return SVGChart(
        title: title,
        subtitle: subtitle,
        series: [(name: "viewers", points: viewers), (name: "interrupted viewers", points: interrupted)],
        histogram: [(label: "1", value: 3), (label: "2", value: 9), (label: "3", value: 27), (label: "4", value: 61)]
    )
}

/// What an XML parser saw: element names in document order, the root's attributes, and
/// the text of every element that has some.
private struct ParsedXML {
    var elements: [String] = []
    var rootAttributes: [String: String] = [:]
    var texts: [String] = []
}

/// The value of the first `name="…"` attribute in `svg`.
private func firstAttribute(_ name: String, in svg: String) -> Substring? {
    guard let start = svg.range(of: " \(name)=\"")?.upperBound,
        let end = svg[start...].firstIndex(of: "\"")
    else { return nil }
    return svg[start..<end]
}

/// Whether any attribute value holds a NaN or an infinity as text.
private func hasNotFiniteNumber(_ svg: String) -> Bool {
    var rest = Substring(svg)
    while let start = rest.range(of: "=\"")?.upperBound, let end = rest[start...].firstIndex(of: "\"") {
        let tokens = rest[start..<end].split(whereSeparator: { $0 == " " || $0 == "," || $0 == "(" || $0 == ")" })
        if tokens.contains(where: { ["nan", "-nan", "inf", "-inf", "infinity", "-infinity"].contains($0.lowercased()) })
        {
            return true
        }
        rest = rest[rest.index(after: end)...]
    }
    return false
}

#if canImport(FoundationXML) || canImport(Foundation)
private final class Collector: NSObject, XMLParserDelegate {
    var parsed = ParsedXML()
    private var text: String?

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
        qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
    ) {
        if parsed.elements.isEmpty { parsed.rootAttributes = attributeDict }
        parsed.elements.append(elementName)
        text = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        text? += string
    }

    func parser(
        _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?
    ) {
        if let text, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { parsed.texts.append(text) }
        text = nil
    }
}

/// The document parsed by Foundation's XMLParser, or nil if it is not well-formed XML.
private func parseXML(_ document: String) -> ParsedXML? {
    let parser = XMLParser(data: Data(document.utf8))
    let collector = Collector()
    parser.delegate = collector
    return parser.parse() ? collector.parsed : nil
}
#else
/// Without Foundation: a tag-balance check (start and end tags nest, attributes quoted).
private func parseXML(_ document: String) -> ParsedXML? {
    var parsed = ParsedXML()
    var stack: [String] = []
    var rest = Substring(document)
    while let open = rest.firstIndex(of: "<") {
        guard let close = rest[open...].firstIndex(of: ">") else { return nil }
        let tag = rest[rest.index(after: open)..<close]
        let text = rest[..<open]
        if !text.allSatisfy(\.isWhitespace) { parsed.texts.append(String(text)) }
        rest = rest[rest.index(after: close)...]
        if tag.hasPrefix("?") { continue }
        if tag.hasPrefix("/") {
            guard stack.popLast() == String(tag.dropFirst()) else { return nil }
            continue
        }
        guard tag.filter({ $0 == "\"" }).count % 2 == 0 else { return nil }
        let name = String(tag.prefix { !$0.isWhitespace && $0 != "/" })
        parsed.elements.append(name)
        if !tag.hasSuffix("/") { stack.append(name) }
    }
    return stack.isEmpty && !parsed.elements.isEmpty ? parsed : nil
}
#endif

@Suite struct SVGChartTests {
    @Test func isWellFormedStandaloneSVG() throws {
        let svg = sampleChart().render()
        let parsed = try #require(parseXML(svg))
        #expect(svg.hasPrefix(#"<?xml version="1.0" encoding="UTF-8"?>"# + "\n<svg "))
        #expect(svg.hasSuffix("</svg>\n"))
        #expect(parsed.elements.first == "svg")
        #expect(parsed.rootAttributes["xmlns"] == "http://www.w3.org/2000/svg")
        #expect(parsed.rootAttributes["font-family"] == "sans-serif")
        let width = try #require(parsed.rootAttributes["width"])
        let height = try #require(parsed.rootAttributes["height"])
        #expect(parsed.rootAttributes["viewBox"] == "0 0 \(width) \(height)")
        #expect(
            Set(parsed.elements).isSubset(of: ["svg", "title", "desc", "rect", "line", "text", "polyline", "circle"]))
        for forbidden in ["<script", "href", "url(", "@import", "<image", "<foreignObject"] {
            #expect(!svg.contains(forbidden))
        }
    }

    @Test func showsTitlesSeriesNamesLegendAndAxisTitles() throws {
        let parsed = try #require(parseXML(sampleChart().render()))
        for text in [
            "skyway, fanout 3", "100 viewers · seed 7", "Viewers over time", "viewers", "interrupted viewers",
            "simulated time", "Viewers by depth", "depth",
        ] {
            #expect(parsed.texts.contains(text), "missing text \(text)")
        }
        // The two series are drawn as lines in distinct colours, and the legend repeats them.
        #expect(parsed.elements.filter { $0 == "polyline" }.count == 2)
        let svg = sampleChart().render()
        for colour in SVGChart.palette.prefix(2) {
            #expect(svg.components(separatedBy: "stroke=\"\(colour)\"").count - 1 == 2)  // line + legend swatch
        }
        // Time ticks read as a clock; the histogram shows its labels and values.
        for label in ["0", "2m", "10m", "250", "61"] {
            #expect(parsed.texts.contains(label), "missing tick \(label)")
        }
    }

    @Test func escapesMarkupInEveryText() throws {
        let nasty = #"<b>"Tom" & 'Jerry'</b>"#
        let chart = SVGChart(
            title: nasty, subtitle: "a < b > c & d",
            series: [(name: nasty, points: [(x: 0, y: 1), (x: 1, y: 2)])],
            histogram: [(label: "<&>\"'", value: 1)],
            labels: {
                var labels = SVGChart.Labels()
                labels.countAxisTitle = "<count>"
                labels.bucketAxisTitle = "'depth'"
                return labels
            }()
        )
        let svg = chart.render()
        #expect(!svg.contains("<b>") && !svg.contains("<count>") && !svg.contains("<&>"))
        #expect(svg.contains("&lt;b&gt;&quot;Tom&quot; &amp; &apos;Jerry&apos;&lt;/b&gt;"))
        #expect(svg.contains("&lt;&amp;&gt;&quot;&apos;"))
        let parsed = try #require(parseXML(svg))
        // The parser gives back exactly what was put in.
        #expect(parsed.texts.filter { $0 == nasty }.count == 3)  // <title>, heading, legend
        for text in ["a < b > c & d", "<count>", "'depth'", "<&>\"'", "<&>\"': 1"] {
            #expect(parsed.texts.contains(text), "missing text \(text)")
        }
    }

    @Test func escapesCharactersXMLForbids() throws {
        #expect(SVGDocument.escaped("a\u{0}b\u{1B}c\u{FFFF}") == "a\u{FFFD}b\u{FFFD}c\u{FFFD}")
        #expect(SVGDocument.escaped("two\nlines\tand\rtab") == "two lines and tab")
        #expect(SVGDocument.escaped("plain · ü 🙂") == "plain · ü 🙂")
        let chart = SVGChart(title: "bell\u{7}", subtitle: "", series: [(name: "nul\u{0}", points: [])], histogram: [])
        #expect(parseXML(chart.render()) != nil)
    }

    @Test func rendersByteIdenticallyEveryTime() {
        let first = sampleChart().render()
        #expect(first == sampleChart().render())
        let noise: [(x: Double, y: Double)] = (0..<50_000).map { (index: Int) in
            let scrambled: Int = index * 7_919 % 1_013
            return (x: Double(index) * 0.37, y: Double(scrambled) / 3)
        }
        let buckets: [(label: String, value: Double)] = (0..<30).map { (label: String($0), value: Double($0) * 1.5) }
        let big = SVGChart(title: "big", series: [(name: "noise", points: noise)], histogram: buckets)
        #expect(big.render() == big.render())
    }

    @Test func pinsTheExactGeometryOfASmallChart() {
        // Changing layout or number formatting changes files people diff: make it deliberate.
        let svg = SVGChart(
            title: "t", series: [(name: "s", points: [(x: 0, y: 0), (x: 10, y: 10)])],
            histogram: [(label: "d", value: 2)]
        ).render()
        #expect(svg.contains(##"<polyline points="84,368 932,108" fill="none" stroke="#0072B2""##))
        #expect(svg.contains(##"<rect x="476" y="468" width="64" height="200" fill="#0072B2">"##))
        #expect(svg.contains(#"width="960" height="732" viewBox="0 0 960 732""#))
    }

    @Test func drawsOnePointAsAMarkerAndNamesEmptySeries() throws {
        let chart = SVGChart(
            title: "edge", series: [(name: "lonely", points: [(x: 5, y: 3)]), (name: "silent", points: [])],
            histogram: []
        )
        let svg = chart.render()
        let parsed = try #require(parseXML(svg))
        #expect(parsed.elements.contains("circle"))
        #expect(!parsed.elements.contains("polyline"))
        #expect(parsed.texts.contains("silent (no data)"))
        #expect(parsed.texts.contains("no data"))  // the empty histogram
        #expect(parsed.texts.contains("5s"))  // one instant still gets a readable time axis
    }

    @Test func skipsNotFiniteValues() throws {
        let chart = SVGChart(
            title: "holes",
            series: [
                (
                    name: "holes",
                    points: [(x: 0, y: 1), (x: 1, y: .nan), (x: .infinity, y: 2), (x: 2, y: -.infinity), (x: 3, y: 4)]
                )
            ],
            histogram: [(label: "a", value: .nan), (label: "b", value: 4), (label: "c", value: .infinity)]
        )
        let svg = chart.render()
        let parsed = try #require(parseXML(svg))
        #expect(parsed.elements.filter { $0 == "rect" }.count == 2)  // background + the one finite bar
        #expect(parsed.texts.contains("a") && parsed.texts.contains("c"))  // slots keep their labels
        let points = try #require(firstAttribute("points", in: svg))
        #expect(points.split(separator: " ").count == 2)
        #expect(!hasNotFiniteNumber(svg))
    }

    @Test func labelsHugeCountsWithSuffixes() throws {
        let chart = SVGChart(
            title: "huge", series: [(name: "viewers", points: [(x: 0, y: 0), (x: 3_600, y: 2_345_678)])],
            histogram: [(label: "1", value: 12_345), (label: "2", value: 4_000_000_000)]
        )
        let parsed = try #require(parseXML(chart.render()))
        for label in ["0.5M", "1M", "2.5M", "4G", "12.3k", "1h"] {
            #expect(parsed.texts.contains(label), "missing label \(label)")
        }
    }

    @Test func cutsLongTextToFit() throws {
        let long = String(repeating: "very long name ", count: 40)
        let chart = SVGChart(
            title: long, subtitle: long,
            series: [(name: long, points: [(x: 0, y: 1), (x: 1, y: 1)])],
            histogram: (0..<50).map { (label: "bucket number \($0)", value: 1) }
        )
        let parsed = try #require(parseXML(chart.render()))
        let cut = parsed.texts.filter { $0.hasSuffix("…") }
        #expect(cut.count == 4)  // title, last subtitle line, legend, the bucket label at the right edge
        for text in parsed.texts where text.hasPrefix("very") && text != long {
            #expect(ChartText.width(text, fontSize: 13) <= 960)
        }
        // Fifty long bucket labels do not all fit: only every few are shown.
        let shown = parsed.texts.filter { $0.hasPrefix("bucket") && !$0.contains(":") }  // not the bars' tooltips
        #expect(shown.count > 1 && shown.count < 50)
    }

    @Test func downsamplesLongSeriesKeepingSpikes() throws {
        var points = (0..<300_000).map { SVGChart.Point(x: Double($0), y: Double($0 % 10)) }
        points[254_321].y = 1_000_000
        points[123_457].y = -77
        let thinned = SeriesDownsampler.minMax(points, limit: 2_000)
        #expect(thinned.count <= 2_000 && thinned.count > 1_900)
        #expect(thinned.first == points.first && thinned.last == points.last)
        #expect(thinned.contains(points[254_321]) && thinned.contains(points[123_457]))
        #expect(zip(thinned, thinned.dropFirst()).allSatisfy { $0.x < $1.x })

        let chart = SVGChart(
            title: "spike", series: [(name: "viewers", points: points.map { (x: $0.x, y: $0.y) })], histogram: []
        )
        let svg = chart.render()
        #expect(svg.utf8.count < 100_000)
        let parsed = try #require(parseXML(svg))
        #expect(parsed.texts.contains("1M"))  // the y axis still reaches the spike
        let polyline = try #require(firstAttribute("points", in: svg))
        let ys = polyline.split(separator: " ").compactMap { $0.split(separator: ",").last.flatMap { Double($0) } }
        #expect(ys.count <= 2_000)
        #expect(ys.min().map { $0 < 200 } == true)  // the spike is drawn near the top of the plot
    }

    @Test func leavesShortSeriesAndSortsUnsortedOnes() {
        let points = (0..<10).map { SVGChart.Point(x: Double($0), y: 1) }
        #expect(SeriesDownsampler.minMax(points, limit: 2_000) == points)
        let chart = SVGChart(
            title: "", series: [(name: "s", points: [(x: 2, y: 0), (x: 0, y: 0), (x: 1, y: 0), (x: 0, y: 5)])],
            histogram: [])
        #expect(chart.drawablePoints(of: chart.series[0]).map(\.x) == [0, 0, 1, 2])
        #expect(chart.drawablePoints(of: chart.series[0]).map(\.y) == [0, 5, 0, 0])  // ties keep input order
    }

    enum EdgeCase: String, CaseIterable, Sendable {
        case nothing, emptySeries, singlePoint, allNaN, allZero, negative, oneInstant, manySeries, tinyTimes, hugeTimes

        var chart: SVGChart {
            let series: [(name: String, points: [(x: Double, y: Double)])]
            var histogram: [(label: String, value: Double)] = [(label: "0", value: 0)]
            switch self {
            case .nothing:
                series = []
                histogram = []
            case .emptySeries: series = [(name: "a", points: []), (name: "b", points: [])]
            case .singlePoint: series = [(name: "a", points: [(x: 0, y: 0)])]
            case .allNaN:
                series = [(name: "a", points: [(x: .nan, y: .nan), (x: 1, y: .nan)])]
                histogram = [(label: "x", value: .nan)]
            case .allZero: series = [(name: "a", points: (0..<100).map { (x: Double($0), y: 0) })]
            case .negative:
                series = [(name: "a", points: [(x: -10, y: -3), (x: 10, y: 2)])]
                histogram = [(label: "n", value: -5), (label: "p", value: 5)]
            case .oneInstant: series = [(name: "a", points: [(x: 60, y: 1), (x: 60, y: 9)])]
            case .manySeries:
                series = (0..<20).map { (name: "series \($0)", points: [(x: 0, y: Double($0)), (x: 1, y: 1)]) }
            case .tinyTimes: series = [(name: "a", points: [(x: 0, y: 1), (x: 0.003, y: 2)])]
            case .hugeTimes:
                series = [(name: "a", points: [(x: 0, y: 1), (x: 1e300, y: 1e300)])]
                histogram = [(label: "h", value: -1e300)]
            }
            return SVGChart(title: rawValue, series: series, histogram: histogram)
        }
    }

    @Test(arguments: EdgeCase.allCases)
    func edgeCasesStillGiveValidSVG(edgeCase: EdgeCase) throws {
        let svg = edgeCase.chart.render()
        let parsed = try #require(parseXML(svg))
        #expect(parsed.elements.first == "svg")
        #expect(parsed.texts.contains(edgeCase.rawValue))
        #expect(!hasNotFiniteNumber(svg))
        #expect(svg == edgeCase.chart.render())
    }
}

extension SVGChartTests {
    @Suite struct AxisTests {
        static let ranges: [(Double, Double)] = [
            (0, 1), (0, 3), (0, 7), (0, 10), (0, 13), (0, 99), (0, 101), (0, 999), (0, 1_234), (0, 48_000),
            (0, 2_345_678), (0, 9.99e9), (-17, 42), (0, 0.003), (0.2, 0.9), (-1e6, -10), (0, 1e15),
        ]

        @Test(arguments: ranges)
        func countTicksAreRound125Steps(range: (Double, Double)) {
            let axis = ChartAxis.counts(from: range.0, to: range.1)
            let (mantissa, exponent) = ChartAxis.niceStep(atLeast: axis.step * (1 - 1e-9))
            #expect([1, 2, 5].contains(mantissa))
            #expect(abs(axis.step - Double(mantissa) * NumberFormat.power(ofTen: exponent)) <= axis.step * 1e-12)
            #expect((3...12).contains(axis.ticks.count), "\(axis.ticks.count) ticks")
            #expect(axis.lower <= min(range.0, 0) && axis.upper >= max(range.1, 0))
            #expect(axis.ticks.first?.value == axis.lower && axis.ticks.last?.value == axis.upper)
            for (tick, next) in zip(axis.ticks, axis.ticks.dropFirst()) {
                #expect(abs(next.value - tick.value - axis.step) <= axis.step * 1e-9)
            }
            for tick in axis.ticks {
                let multiple = tick.value / axis.step
                #expect(abs(multiple - multiple.rounded()) < 1e-6, "\(tick.value) is not a multiple of \(axis.step)")
            }
        }

        @Test func countLabels() {
            #expect(ChartAxis.counts(from: 0, to: 0, integral: true).ticks.map(\.label) == ["0", "1"])
            #expect(ChartAxis.counts(from: 0, to: 3, integral: true).ticks.map(\.label) == ["0", "1", "2", "3"])
            #expect(ChartAxis.counts(from: 0, to: 1).ticks.map(\.label) == ["0", "0.2", "0.4", "0.6", "0.8", "1"])
            #expect(ChartAxis.counts(from: 0, to: 0.3).ticks.map(\.label) == ["0", "0.1", "0.2", "0.3"])
            #expect(
                ChartAxis.counts(from: 0, to: 8_000).ticks.map(\.label) == ["0", "2,000", "4,000", "6,000", "8,000"])
            #expect(
                ChartAxis.counts(from: 0, to: 48_000).ticks.map(\.label) == ["0", "10k", "20k", "30k", "40k", "50k"])
            #expect(ChartAxis.counts(from: 0, to: 1_234_567).ticks.map(\.label) == ["0", "0.5M", "1M", "1.5M"])
            #expect(ChartAxis.counts(from: -17, to: 42).ticks.map(\.label) == ["-20", "0", "20", "40", "60"])
        }

        @Test func timeLabelsReadLikeAClock() {
            #expect(
                ChartAxis.time(from: 0, to: 5_400).ticks.map(\.label) == [
                    "0", "15m", "30m", "45m", "1h", "1h15m", "1h30m",
                ])
            #expect(
                ChartAxis.time(from: 0, to: 90).ticks.map(\.label) == [
                    "0", "15s", "30s", "45s", "1m", "1m15s", "1m30s",
                ])
            #expect(ChartAxis.time(from: 0, to: 2).ticks.map(\.label) == ["0", "0.5s", "1s", "1.5s", "2s"])
            #expect(
                ChartAxis.time(from: 0, to: 30 * 86_400).ticks.map(\.label) == [
                    "0", "5d", "10d", "15d", "20d", "25d", "30d",
                ])
            #expect(
                ChartAxis.time(from: 0, to: 36 * 3_600).ticks.map(\.label) == [
                    "0", "6h", "12h", "18h", "1d", "1d6h", "1d12h",
                ])
            let axis = ChartAxis.time(from: 100, to: 700)
            #expect(axis.lower == 100 && axis.upper == 700)  // time keeps the data's own range
            #expect(axis.ticks.map(\.value) == [120, 240, 360, 480, 600])
        }
    }
}

extension SVGChartTests {
    @Suite struct TextTests {
        @Test func truncatesToWidth() {
            #expect(ChartText.width("ab…", fontSize: 10) == 18)
            #expect(ChartText.width("漢字🙂", fontSize: 10) == 30)
            #expect(ChartText.truncated("short", toWidth: 100, fontSize: 10) == "short")
            let cut = ChartText.truncated("abcdefghijklmnopqrstuvwxyz", toWidth: 60, fontSize: 10)
            #expect(cut == "abcdefghi…")
            #expect(ChartText.width(cut, fontSize: 10) <= 60)
        }

        @Test func wrapsAtSpaces() {
            #expect(
                ChartText.wrapped("one two three four", toWidth: 60, fontSize: 10, maximumLines: 3) == [
                    "one two", "three four",
                ])
            #expect(
                ChartText.wrapped("one two three four five six", toWidth: 60, fontSize: 10, maximumLines: 2) == [
                    "one two", "three fou…",
                ])
            #expect(ChartText.wrapped("  \n ", toWidth: 60, fontSize: 10, maximumLines: 2).isEmpty)
        }
    }
}

/// The attributes of every `<name …>` element in `svg` (one element per line, as
/// ``SVGDocument`` writes them), in document order.
private func attributes(ofEvery name: String, in svg: String) -> [[String: String]] {
    svg.split(separator: "\n").compactMap { line -> [String: String]? in
        let tag = line.drop { $0 == " " }
        guard tag.hasPrefix("<\(name) ") || tag.hasPrefix("<\(name)>") else { return nil }
        var found: [String: String] = [:]
        var rest = tag.dropFirst(name.count + 1)
        while let equals = rest.range(of: "=\"") {
            let key = rest[..<equals.lowerBound].trimmingPrefix(" ")
            guard let end = rest[equals.upperBound...].firstIndex(of: "\"") else { break }
            found[String(key)] = String(rest[equals.upperBound..<end])
            rest = rest[rest.index(after: end)...]
        }
        return found
    }
}

/// `x,y x,y …` as numbers.
private func coordinates(_ list: String?) -> [(x: Double, y: Double)] {
    (list ?? "").split(separator: " ").compactMap { pair in
        let parts = pair.split(separator: ",")
        guard parts.count == 2, let x = Double(parts[0]), let y = Double(parts[1]) else { return nil }
        return (x, y)
    }
}

extension SVGChartTests {
    @Suite struct MarkerTests {
        /// Ten viewers from 0 to 1,000 s: the plot spans x 84…932, so t seconds sit at 84 + 0.848 t.
        static func chart(markers: [SVGChart.Marker]) -> SVGChart {
            SVGChart(
                title: "markers", series: [(name: "viewers", points: [(x: 0, y: 10), (x: 1_000, y: 10)])],
                histogram: [], markers: markers)
        }

        /// The dashed marker lines.
        static func markerLines(_ svg: String) -> [[String: String]] {
            attributes(ofEvery: "line", in: svg).filter { $0["stroke-dasharray"] == "4 3" }
        }

        @Test func drawsALineAndShadedSpanAtTheRightTimeInsideThePlot() throws {
            let svg = Self.chart(markers: [
                SVGChart.Marker(x: 400, width: 50, label: "restart", note: "broadcaster restart at 6:40, down 50 s"),
                SVGChart.Marker(x: 1_200, label: "after the end"),
                SVGChart.Marker(x: .nan, label: "nowhere"),
            ]).render()
            let parsed = try #require(parseXML(svg))
            let lines = Self.markerLines(svg)
            #expect(lines.count == 1)  // the markers outside the time range are left out
            let line = try #require(lines.first)
            #expect(line["x1"] == "423.2" && line["x2"] == "423.2")
            // From the top of the plot to its bottom: the y axis's own extent.
            let axis = try #require(
                attributes(ofEvery: "line", in: svg).first {
                    $0["x1"] == "84" && $0["x2"] == "84" && $0["stroke"] == "#888888"
                })
            #expect(line["y1"] == axis["y1"] && line["y2"] == axis["y2"])
            let shade = try #require(attributes(ofEvery: "rect", in: svg).first { $0["fill-opacity"] == "0.1" })
            #expect(shade["x"] == "423.2" && shade["width"] == "42.4")  // 50 s × 0.848
            #expect(shade["y"] == axis["y1"])
            #expect(parsed.texts.contains("restart"))
            #expect(parsed.texts.contains("broadcaster restart at 6:40, down 50 s"))  // the tooltip
            #expect(!parsed.texts.contains("after the end") && !parsed.texts.contains("nowhere"))
            #expect(!hasNotFiniteNumber(svg))
        }

        @Test func cutsTheShadeAtTheEndAndKeepsLabelsApart() throws {
            let svg = Self.chart(markers: [
                SVGChart.Marker(x: 990, width: 100, label: "late"),
                SVGChart.Marker(x: 100, label: "first"),
                SVGChart.Marker(x: 101, label: "crowded out"),
                SVGChart.Marker(x: 0, width: 0, label: "instant"),
            ]).render()
            let parsed = try #require(parseXML(svg))
            // In time order, every line drawn.
            #expect(Self.markerLines(svg).map { $0["x1"] } == ["84", "168.8", "169.6", "923.5"])
            let shades = attributes(ofEvery: "rect", in: svg).filter { $0["fill-opacity"] == "0.1" }
            #expect(shades.count == 1)  // an instant has no span
            #expect(shades.first?["width"] == "8.5")  // 990…1,000 s, not beyond the plot
            // A label that would overlap the previous one is left out; its tooltip stays.
            #expect(svg.contains(">first</text>") && !svg.contains(">crowded out</text>"))
            #expect(svg.contains("<title>crowded out</title>"))
            #expect(parsed.texts.contains("instant") && parsed.texts.contains("late"))
            // At the right edge the label goes left of its line, so it stays on the canvas.
            let late = try #require(
                attributes(ofEvery: "text", in: svg).first { $0["text-anchor"] == "end" && $0["x"] == "919.5" })
            #expect(late["font-size"] == "11")
        }

        @Test func noMarkersChangeNothing() {
            let plain = SVGChart(
                title: "markers", series: [(name: "viewers", points: [(x: 0, y: 10), (x: 1_000, y: 10)])], histogram: []
            )
            #expect(Self.chart(markers: []).render() == plain.render())
            #expect(!plain.render().contains("<g>"))
        }
    }
}

extension SVGChartTests {
    @Suite struct BandTests {
        /// A mean line with a band from 2 below to 3 above it, over 0…600 s.
        static func banded() -> SVGChart {
            let times = (0...60).map { Double($0) * 10 }
            let mean = times.map {
                SVGChart.Point(x: $0, y: 50 + 40 * (($0 / 100).rounded(.down).truncatingRemainder(dividingBy: 2)))
            }
            let band = mean.map { SVGChart.BandPoint(x: $0.x, low: $0.y - 2, high: $0.y + 3) }
            return SVGChart(
                title: "band", subtitle: "band: min–max of 5 replicates",
                series: [
                    SVGChart.Series(name: "viewers (mean)", points: mean, band: band),
                    SVGChart.Series(name: "plain", points: [SVGChart.Point(x: 0, y: 1), SVGChart.Point(x: 600, y: 1)]),
                ],
                histogram: [])
        }

        @Test func drawsATranslucentPolygonAroundTheLine() throws {
            let svg = Self.banded().render()
            let parsed = try #require(parseXML(svg))
            #expect(
                Set(parsed.elements).isSubset(of: [
                    "svg", "title", "desc", "rect", "line", "text", "polyline", "polygon",
                ]))
            let polygons = attributes(ofEvery: "polygon", in: svg)
            #expect(polygons.count == 1)  // only the series with a band
            let polygon = try #require(polygons.first)
            #expect(polygon["fill"] == SVGChart.palette[0] && polygon["fill-opacity"] == SVGChart.bandOpacity)
            // The band comes before the lines, so that it lies under them.
            let bandAt = try #require(svg.range(of: "<polygon")).lowerBound
            #expect(svg.ranges(of: "<polyline").allSatisfy { $0.lowerBound > bandAt })

            // Upper edge left to right, then the lower edge back: every point of the line
            // lies between them (y grows downwards).
            let outline = coordinates(polygon["points"])
            let line = coordinates(attributes(ofEvery: "polyline", in: svg).first?["points"])
            #expect(line.count >= 2)
            for point in line {
                let edges = outline.filter { $0.x == point.x }.map(\.y)
                let top = try #require(edges.min())
                let bottom = try #require(edges.max())
                #expect(top < point.y && point.y < bottom, "at x \(point.x)")
            }
            // The legend shows the band behind its swatch.
            #expect(
                attributes(ofEvery: "rect", in: svg).contains {
                    $0["fill-opacity"] == SVGChart.bandOpacity && $0["width"] == "20"
                })
        }

        @Test func theBandWidensTheAxisAndEmptyBandsChangeNothing() throws {
            var chart = SVGChart(
                title: "t", series: [(name: "s", points: [(x: 0, y: 0), (x: 10, y: 10)])], histogram: [])
            let plain = chart.render()
            chart.series[0].band = []
            #expect(chart.render() == plain)
            #expect(!plain.contains("<polygon"))
            chart.series[0].band = [
                SVGChart.BandPoint(x: 0, low: 0, high: 0), SVGChart.BandPoint(x: 10, low: 90, high: 0),
            ]
            let parsed = try #require(parseXML(chart.render()))
            #expect(parsed.texts.contains("100"))  // the axis reaches the band's top, though the line stops at 10
        }

        @Test func skipsNotFinitePointsAndMarksAOnePointBand() throws {
            var chart = SVGChart(
                title: "t", series: [(name: "s", points: [(x: 0, y: 5), (x: 10, y: 5)])], histogram: [])
            chart.series[0].band = [
                SVGChart.BandPoint(x: 5, low: .nan, high: 9), SVGChart.BandPoint(x: .infinity, low: 1, high: 2),
                SVGChart.BandPoint(x: 5, low: 3, high: 8),
            ]
            let svg = chart.render()
            #expect(!svg.contains("<polygon") && !hasNotFiniteNumber(svg))
            let extent = try #require(
                attributes(ofEvery: "line", in: svg).first { $0["stroke-opacity"] == SVGChart.bandOpacity })
            #expect(extent["x1"] == "508" && extent["x2"] == "508")  // 5 s, mid-plot
        }

        @Test func thinsLongBandsWithoutLosingExtremes() {
            var band = (0..<300_000).map {
                SVGChart.BandPoint(x: Double($0), low: Double($0 % 10), high: Double($0 % 10) + 5)
            }
            band[123_457].low = -500
            band[254_321].high = 1_000_000
            let thinned = SeriesDownsampler.envelope(band, limit: 2_000)
            #expect(thinned.count <= 2_000 && thinned.count > 1_900)
            #expect(thinned.first == band.first && thinned.last == band.last)
            #expect(thinned.map(\.low).min() == -500 && thinned.map(\.high).max() == 1_000_000)
            #expect(zip(thinned, thinned.dropFirst()).allSatisfy { $0.x < $1.x })
            // Every original point lies within the thinned band at its x (piecewise linear).
            var index = 0
            var outside = 0
            for point in band.dropFirst().dropLast() {
                while thinned[index + 1].x < point.x { index += 1 }
                let (left, right) = (thinned[index], thinned[index + 1])
                if point.low < min(left.low, right.low) || point.high > max(left.high, right.high) { outside += 1 }
            }
            #expect(outside == 0)
            #expect(SeriesDownsampler.envelope(Array(band.prefix(10)), limit: 2_000) == Array(band.prefix(10)))
        }

        @Test func rendersByteIdenticallyEveryTime() {
            #expect(Self.banded().render() == Self.banded().render())
        }
    }
}
