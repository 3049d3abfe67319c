extension SVGChart {
    /// Okabe–Ito colours, distinguishable with the common colour-vision deficiencies;
    /// yellow is left out, it vanishes on white.
    static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]

    /// The points that get drawn: finite, clamped to the axes' range, in x order, thinned
    /// to the limit.
    ///
    /// - Complexity: O(*n*) if already in x order, else O(*n* log *n*)
    func drawablePoints(of series: Series) -> [Point] {
        let points = series.points.filter { $0.x.isFinite && $0.y.isFinite }
            .map { Point(x: Self.clamped($0.x), y: Self.clamped($0.y)) }
        return SeriesDownsampler.minMax(Self.inXOrder(points, x: \.x), limit: maximumPointsPerSeries)
    }

    /// The band that gets drawn: finite, clamped, `low` ≤ `high` (swapped if given the
    /// other way round), in x order, thinned to the limit.
    ///
    /// - Complexity: O(*n*) if already in x order, else O(*n* log *n*)
    func drawableBand(of series: Series) -> [BandPoint] {
        let band = series.band.filter { $0.x.isFinite && $0.low.isFinite && $0.high.isFinite }
            .map {
                BandPoint(
                    x: Self.clamped($0.x), low: Self.clamped(min($0.low, $0.high)),
                    high: Self.clamped(max($0.low, $0.high)))
            }
        return SeriesDownsampler.envelope(Self.inXOrder(band, x: \.x), limit: maximumPointsPerSeries)
    }

    /// `items` sorted by `x`, ties in input order, so the result does not depend on the
    /// sort's stability; untouched if already sorted.
    private static func inXOrder<Item>(_ items: [Item], x: (Item) -> Double) -> [Item] {
        guard !zip(items, items.dropFirst()).allSatisfy({ x($0) <= x($1) }) else { return items }
        return items.enumerated()
            .sorted { (x($0.element), $0.offset) < (x($1.element), $1.offset) }
            .map(\.element)
    }

    /// Draws the time-series panel below `top`; returns its bottom edge.
    func drawTimeSeries(into document: inout SVGDocument, top: Double) -> Double {
        drawPanelTitle(labels.timeSeriesTitle, top: top, into: &document)
        let drawn = series.map(drawablePoints)
        let bands = series.map(drawableBand)
        let legendBottom = drawLegend(drawn: drawn, bands: bands, top: top + 44, into: &document)

        let plotTop = legendBottom + 16
        let plotBottom = plotTop + 260
        let xs = drawn.joined().map(\.x) + bands.joined().map(\.x)
        let ys = drawn.joined().map(\.y) + bands.joined().flatMap { [$0.low, $0.high] }
        let xAxis = ChartAxis.time(from: xs.min() ?? 0, to: xs.max() ?? 0)
        let yAxis = ChartAxis.counts(
            from: ys.min() ?? 0, to: ys.max() ?? 0, integral: ys.allSatisfy { $0.rounded() == $0 })
        drawTimeAxis(xAxis, top: plotTop, bottom: plotBottom, into: &document)
        drawCountAxis(yAxis, title: labels.countAxisTitle, top: plotTop, bottom: plotBottom, into: &document)
        drawBottomTitle(labels.timeAxisTitle, bottom: plotBottom, into: &document)
        if xs.isEmpty { drawNoData(top: plotTop, bottom: plotBottom, into: &document) }
        let markersDrawn = drawMarkers(on: xAxis, top: plotTop, bottom: plotBottom, into: &document)

        let place = { (x: Double, y: Double) in
            (
                x: Layout.format(xAxis.position(of: x, from: Layout.plotLeft, to: Layout.plotRight)),
                y: Layout.format(yAxis.position(of: y, from: plotBottom, to: plotTop))
            )
        }
        // Every band before any line, so that no band veils another series' line.
        for (index, band) in bands.enumerated() where !band.isEmpty {
            let colour = stroke(forSeries: index).colour
            if band.count == 1 {
                // A one-point band has no area: draw its extent as a thick translucent stroke.
                let (low, high) = (place(band[0].x, band[0].low), place(band[0].x, band[0].high))
                document.element(
                    "line",
                    [
                        "x1": low.x, "y1": low.y, "x2": high.x, "y2": high.y, "stroke": colour,
                        "stroke-opacity": Self.bandOpacity, "stroke-width": "7",
                    ]
                )
                continue
            }
            let outline = band.map { place($0.x, $0.high) } + band.reversed().map { place($0.x, $0.low) }
            document.element(
                "polygon",
                ["points": Self.pointList(outline), "fill": colour, "fill-opacity": Self.bandOpacity, "stroke": "none"]
            )
        }
        for (index, points) in drawn.enumerated() where !points.isEmpty {
            let style = stroke(forSeries: index)
            let coordinates = points.map { place($0.x, $0.y) }
            if coordinates.count == 1 {
                // A one-point line is invisible: mark the point instead.
                document.element(
                    "circle", ["cx": coordinates[0].x, "cy": coordinates[0].y, "r": "3.5", "fill": style.colour])
                continue
            }
            document.element(
                "polyline",
                [
                    "points": Self.pointList(coordinates), "fill": "none", "stroke": style.colour,
                    "stroke-width": "2", "stroke-linejoin": "round", "stroke-linecap": "round",
                    "stroke-dasharray": style.dash,
                ]
            )
        }
        drawMarkerLabels(markersDrawn, top: plotTop, into: &document)
        return plotBottom + 56
    }

    /// How opaque a band's fill is: light enough for the lines and gridlines to show through.
    static let bandOpacity = "0.2"

    /// `x,y x,y …`; neighbours that land on the same tenth of a pixel add bytes, not ink.
    private static func pointList(_ coordinates: [(x: String, y: String)]) -> String {
        var pairs: [String] = []
        for coordinate in coordinates {
            let pair = coordinate.x + "," + coordinate.y
            if pair != pairs.last { pairs.append(pair) }
        }
        return pairs.joined(separator: " ")
    }

    /// Colour and dash pattern of the `index`th series: solid through the palette, then
    /// dashed through it again, then dotted.
    private func stroke(forSeries index: Int) -> (colour: String, dash: String) {
        let round = index / Self.palette.count
        let dash = round == 0 ? "none" : round == 1 ? "7 4" : "2 3"
        return (Self.palette[index % Self.palette.count], dash)
    }

    /// One swatch (a line, on a shaded box if the series has a band) and name per series,
    /// in rows that wrap at the plot's width; returns the last row's baseline.
    private func drawLegend(drawn: [[Point]], bands: [[BandPoint]], top: Double, into document: inout SVGDocument)
        -> Double
    {
        var x = Layout.plotLeft
        var y = top
        for (index, series) in series.enumerated() {
            let name =
                ChartText.truncated(series.name, toWidth: 300, fontSize: 12)
                + (drawn[index].isEmpty && bands[index].isEmpty ? " (no data)" : "")
            let itemWidth = 26 + ChartText.width(name, fontSize: 12)
            if x > Layout.plotLeft && x + itemWidth > Layout.plotRight {
                x = Layout.plotLeft
                y += 18
            }
            let style = stroke(forSeries: index)
            if !bands[index].isEmpty {
                document.element(
                    "rect",
                    [
                        "x": Layout.format(x), "y": Layout.format(y - 11), "width": "20", "height": "14",
                        "fill": style.colour, "fill-opacity": Self.bandOpacity,
                    ]
                )
            }
            document.element(
                "line",
                [
                    "x1": Layout.format(x), "y1": Layout.format(y - 4), "x2": Layout.format(x + 20),
                    "y2": Layout.format(y - 4), "stroke": style.colour, "stroke-width": "3",
                    "stroke-dasharray": style.dash,
                ]
            )
            document.element(
                "text",
                ["x": Layout.format(x + 26), "y": Layout.format(y), "font-size": "12", "fill": Layout.textColour],
                text: name
            )
            x += itemWidth + 20
        }
        return y
    }

    /// Draws vertical gridlines and clock labels under a plot spanning `top`...`bottom`.
    private func drawTimeAxis(_ axis: ChartAxis, top: Double, bottom: Double, into document: inout SVGDocument) {
        for tick in axis.ticks {
            let position = axis.position(of: tick.value, from: Layout.plotLeft, to: Layout.plotRight)
            let x = Layout.format(position)
            document.element(
                "line",
                [
                    "x1": x, "y1": Layout.format(top), "x2": x, "y2": Layout.format(bottom + 5),
                    "stroke": Layout.gridColour,
                ]
            )
            // A centred label at the right end could run off the canvas: end-align it there.
            let overflows = position + ChartText.width(tick.label, fontSize: 12) / 2 > Layout.width - 4
            document.element(
                "text",
                [
                    "x": x, "y": Layout.format(bottom + 20), "font-size": "12",
                    "text-anchor": overflows ? "end" : "middle", "fill": Layout.mutedColour,
                ],
                text: tick.label
            )
        }
    }
}
