/// A two-panel chart of a simulation run as one self-contained SVG document: a line chart
/// of named series over simulated time (viewers, interrupted viewers…), each with an
/// optional band (the spread across replicate runs), and marked events (restarts), above a
/// bar histogram (viewers by depth…), under a title and a subtitle.
///
///     let chart = SVGChart(
///         title: "skyway, fanout 3",
///         subtitle: "10,000 viewers · seed 42 · 2h simulated",
///         series: [
///             (name: "viewers", points: [(x: 0, y: 0), (x: 60, y: 812), (x: 120, y: 1_530)]),
///             (name: "interrupted viewers", points: [(x: 0, y: 0), (x: 60, y: 4), (x: 120, y: 0)]),
///         ],
///         histogram: [(label: "1", value: 3), (label: "2", value: 9), (label: "3", value: 27)]
///     )
///     let svg = chart.render()   // "<?xml version=…"
///
/// The chart is for looking at, not for reading values off: round 1-2-5 ticks, clock-style
/// time labels (`30s`, `1h30m`), `k`/`M` suffixes on large counts, a legend in
/// colour-blind-safe colours (dashed after the seventh series).
///
/// Input is taken as it comes: points with a NaN or infinite coordinate are skipped,
/// unsorted points are sorted by x, series and bands longer than
/// ``maximumPointsPerSeries`` are thinned by ``SeriesDownsampler`` (spikes survive, bands
/// only widen), empty inputs draw an empty frame that says "no data", long text is cut
/// with `…`, and every text is XML-escaped.
///
/// Rendering is a pure function of the value: the same chart gives byte-identical output,
/// because numbers are printed by ``NumberFormat`` and nothing passes through a
/// `Dictionary` or `Set`.
package struct SVGChart: Sendable {
    /// One sample: `x` is simulated time in seconds.
    package struct Point: Sendable, Equatable {
        package var x: Double
        package var y: Double

        package init(x: Double, y: Double) {
            self.x = x
            self.y = y
        }
    }

    /// The range a quantity spans at one time, e.g. its lowest and highest value across
    /// replicate runs: `x` is simulated time in seconds.
    package struct BandPoint: Sendable, Equatable {
        package var x: Double
        package var low: Double
        package var high: Double

        package init(x: Double, low: Double, high: Double) {
            self.x = x
            self.low = low
            self.high = high
        }
    }

    /// A named line in the time-series panel, with an optional band around it.
    package struct Series: Sendable, Equatable {
        package var name: String
        package var points: [Point]
        /// A translucent area in the line's colour between each point's `low` and `high`
        /// (say in the name or subtitle what it spans); empty for none.
        package var band: [BandPoint]

        package init(name: String, points: [Point], band: [BandPoint] = []) {
            self.name = name
            self.points = points
            self.band = band
        }
    }

    /// Something that happened at a time, drawn across the time-series plot as a vertical
    /// line with a short label at the top, and a shaded span after it if it lasted.
    ///
    ///     SVGChart.Marker(x: 400, width: 5, label: "restart", note: "broadcaster restart at 6:40, down 5 s")
    package struct Marker: Sendable, Equatable {
        /// When it happened, in seconds.
        package var x: Double
        /// How long it lasted, in seconds: shaded from `x` to `x + width`; 0 for an instant.
        package var width: Double
        /// A word or two, written next to the line.
        package var label: String
        /// The longer text of the marker's tooltip; the label if empty.
        package var note: String

        package init(x: Double, width: Double = 0, label: String, note: String = "") {
            self.x = x
            self.width = width
            self.label = label
            self.note = note
        }
    }

    /// A bar in the histogram panel, drawn in the order given.
    package struct Bucket: Sendable, Equatable {
        package var label: String
        package var value: Double

        package init(label: String, value: Double) {
            self.label = label
            self.value = value
        }
    }

    /// Panel and axis titles; the defaults fit the simulator's viewers-and-depth chart.
    package struct Labels: Sendable, Equatable {
        package var timeSeriesTitle = "Viewers over time"
        package var timeAxisTitle = "simulated time"
        package var countAxisTitle = "viewers"
        package var histogramTitle = "Viewers by depth"
        package var bucketAxisTitle = "depth"
        package var valueAxisTitle = "viewers"

        package init() {}
    }

    package var title: String
    /// One or two lines under the title, e.g. the scenario; wrapped, then cut with `…`.
    package var subtitle: String
    package var series: [Series]
    package var histogram: [Bucket]
    /// Events on the time axis, in any order; those outside the plotted time range are
    /// left out and their shading is cut at its edges.
    package var markers: [Marker]
    package var labels: Labels
    /// Series with more points than this are thinned before drawing (at least 4).
    package var maximumPointsPerSeries: Int

    /// A chart of `series` (x in seconds) and `histogram`, taking plain tuples.
    ///
    /// - Complexity: O(total number of points and buckets)
    package init(
        title: String,
        subtitle: String = "",
        series: [(name: String, points: [(x: Double, y: Double)])],
        histogram: [(label: String, value: Double)],
        markers: [Marker] = [],
        labels: Labels = Labels(),
        maximumPointsPerSeries: Int = 2_000
    ) {
        self.init(
            title: title, subtitle: subtitle,
            series: series.map { Series(name: $0.name, points: $0.points.map { Point(x: $0.x, y: $0.y) }) },
            histogram: histogram.map { Bucket(label: $0.label, value: $0.value) },
            markers: markers, labels: labels, maximumPointsPerSeries: maximumPointsPerSeries)
    }

    /// A chart of `series` (x in seconds, bands included), `histogram` and `markers`.
    ///
    /// - Complexity: O(1)
    package init(
        title: String,
        subtitle: String = "",
        series: [Series],
        histogram: [Bucket],
        markers: [Marker] = [],
        labels: Labels = Labels(),
        maximumPointsPerSeries: Int = 2_000
    ) {
        self.title = title
        self.subtitle = subtitle
        self.series = series
        self.histogram = histogram
        self.markers = markers
        self.labels = labels
        self.maximumPointsPerSeries = maximumPointsPerSeries
    }

    /// The SVG document, UTF-8 text ending in a newline.
    ///
    /// - Complexity: O(*n* log *n*) for *n* points in all (sorting, if the points are not
    ///   already in x order), O(*n*) otherwise; the output holds at most
    ///   ``maximumPointsPerSeries`` points per series.
    package func render() -> String {
        var document = SVGDocument()
        document.element("rect", ["width": "100%", "height": "100%", "fill": "#ffffff"])
        var top = drawHeader(into: &document)
        top = drawTimeSeries(into: &document, top: top)
        top = drawHistogram(into: &document, top: top)
        return document.rendered(
            width: Layout.width, height: top + Layout.bottomMargin,
            title: title, description: subtitle
        )
    }

    /// Title and wrapped subtitle; returns where the first panel starts.
    private func drawHeader(into document: inout SVGDocument) -> Double {
        let textWidth = Layout.width - 2 * Layout.textInset
        document.element(
            "text",
            [
                "x": Layout.format(Layout.textInset), "y": "34", "font-size": "20", "font-weight": "bold",
                "fill": Layout.textColour,
            ],
            text: ChartText.truncated(title, toWidth: textWidth, fontSize: 21)
        )
        let lines = ChartText.wrapped(subtitle, toWidth: textWidth, fontSize: 13, maximumLines: 2)
        for (index, line) in lines.enumerated() {
            document.element(
                "text",
                [
                    "x": Layout.format(Layout.textInset), "y": Layout.format(56 + 17 * Double(index)),
                    "font-size": "13", "fill": Layout.mutedColour,
                ],
                text: line
            )
        }
        return lines.isEmpty ? 48 : 56 + 17 * Double(lines.count - 1) + 14
    }
}
