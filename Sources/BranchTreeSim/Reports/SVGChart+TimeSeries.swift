extension SVGChart {
    /// Okabe–Ito colours, distinguishable with the common colour-vision deficiencies;
    /// yellow is left out, it vanishes on white.
    static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]

    /// The points that get drawn: finite, clamped to the axes' range, in x order, thinned
    /// to the limit.
    ///
    /// - Complexity: O(*n*) if already in x order, else O(*n* log *n*)
    func drawablePoints(of series: Series) -> [Point] {
        var points = series.points.filter { $0.x.isFinite && $0.y.isFinite }
            .map { Point(x: Self.clamped($0.x), y: Self.clamped($0.y)) }
        if !zip(points, points.dropFirst()).allSatisfy({ $0.x <= $1.x }) {
            // Ties keep their input order, so the result does not depend on the sort's stability.
            points = points.enumerated()
                .sorted { ($0.element.x, $0.offset) < ($1.element.x, $1.offset) }
                .map(\.element)
        }
        return SeriesDownsampler.minMax(points, limit: maximumPointsPerSeries)
    }

    /// Draws the time-series panel below `top`; returns its bottom edge.
    func drawTimeSeries(into document: inout SVGDocument, top: Double) -> Double {
        drawPanelTitle(labels.timeSeriesTitle, top: top, into: &document)
        let drawn = series.map(drawablePoints)
        let legendBottom = drawLegend(drawn: drawn, top: top + 44, into: &document)

        let plotTop = legendBottom + 16
        let plotBottom = plotTop + 260
        let all = drawn.joined()
        let xAxis = ChartAxis.time(from: all.lazy.map(\.x).min() ?? 0, to: all.lazy.map(\.x).max() ?? 0)
        let yAxis = ChartAxis.counts(
            from: all.lazy.map(\.y).min() ?? 0,
            to: all.lazy.map(\.y).max() ?? 0,
            integral: all.allSatisfy { $0.y.rounded() == $0.y }
        )
        drawTimeAxis(xAxis, top: plotTop, bottom: plotBottom, into: &document)
        drawCountAxis(yAxis, title: labels.countAxisTitle, top: plotTop, bottom: plotBottom, into: &document)
        drawBottomTitle(labels.timeAxisTitle, bottom: plotBottom, into: &document)
        if all.isEmpty { drawNoData(top: plotTop, bottom: plotBottom, into: &document) }

        for (index, points) in drawn.enumerated() where !points.isEmpty {
            let style = stroke(forSeries: index)
            let coordinates = points.map { point in
                (x: Layout.format(xAxis.position(of: point.x, from: Layout.plotLeft, to: Layout.plotRight)),
                 y: Layout.format(yAxis.position(of: point.y, from: plotBottom, to: plotTop)))
            }
            if coordinates.count == 1 {
                // A one-point line is invisible: mark the point instead.
                document.element("circle", ["cx": coordinates[0].x, "cy": coordinates[0].y, "r": "3.5", "fill": style.colour])
                continue
            }
            // Neighbours that land on the same tenth of a pixel add bytes, not ink.
            var pairs = [coordinates[0].x + "," + coordinates[0].y]
            for coordinate in coordinates.dropFirst() {
                let pair = coordinate.x + "," + coordinate.y
                if pair != pairs.last { pairs.append(pair) }
            }
            document.element(
                "polyline",
                ["points": pairs.joined(separator: " "), "fill": "none", "stroke": style.colour,
                 "stroke-width": "2", "stroke-linejoin": "round", "stroke-linecap": "round",
                 "stroke-dasharray": style.dash]
            )
        }
        return plotBottom + 56
    }

    /// Colour and dash pattern of the `index`th series: solid through the palette, then
    /// dashed through it again, then dotted.
    private func stroke(forSeries index: Int) -> (colour: String, dash: String) {
        let round = index / Self.palette.count
        let dash = round == 0 ? "none" : round == 1 ? "7 4" : "2 3"
        return (Self.palette[index % Self.palette.count], dash)
    }

    /// One swatch and name per series, in rows that wrap at the plot's width; returns the
    /// last row's baseline.
    private func drawLegend(drawn: [[Point]], top: Double, into document: inout SVGDocument) -> Double {
        var x = Layout.plotLeft
        var y = top
        for (index, series) in series.enumerated() {
            let name = ChartText.truncated(series.name, toWidth: 300, fontSize: 12)
                + (drawn[index].isEmpty ? " (no data)" : "")
            let itemWidth = 26 + ChartText.width(name, fontSize: 12)
            if x > Layout.plotLeft && x + itemWidth > Layout.plotRight {
                x = Layout.plotLeft
                y += 18
            }
            let style = stroke(forSeries: index)
            document.element(
                "line",
                ["x1": Layout.format(x), "y1": Layout.format(y - 4), "x2": Layout.format(x + 20),
                 "y2": Layout.format(y - 4), "stroke": style.colour, "stroke-width": "3",
                 "stroke-dasharray": style.dash]
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
                ["x1": x, "y1": Layout.format(top), "x2": x, "y2": Layout.format(bottom + 5),
                 "stroke": Layout.gridColour]
            )
            // A centred label at the right end could run off the canvas: end-align it there.
            let overflows = position + ChartText.width(tick.label, fontSize: 12) / 2 > Layout.width - 4
            document.element(
                "text",
                ["x": x, "y": Layout.format(bottom + 20), "font-size": "12",
                 "text-anchor": overflows ? "end" : "middle", "fill": Layout.mutedColour],
                text: tick.label
            )
        }
    }
}
