extension SVGChart {
    static let barColour = "#0072B2"

    /// Draws the histogram panel below `top`; returns its bottom edge.
    ///
    /// A bucket whose value is NaN or infinite keeps its slot and label but gets no bar,
    /// so the buckets around it stay where a reader expects them.
    func drawHistogram(into document: inout SVGDocument, top: Double) -> Double {
        drawPanelTitle(labels.histogramTitle, top: top, into: &document)
        let plotTop = top + 44
        let plotBottom = plotTop + 200
        let values = histogram.map(\.value).filter(\.isFinite).map(Self.clamped)
        let axis = ChartAxis.counts(
            from: values.min() ?? 0, to: values.max() ?? 0,
            integral: values.allSatisfy { $0.rounded() == $0 }
        )
        drawCountAxis(axis, title: labels.valueAxisTitle, top: plotTop, bottom: plotBottom, into: &document)
        drawBottomTitle(labels.bucketAxisTitle, bottom: plotBottom, into: &document)
        guard !histogram.isEmpty else {
            drawNoData(top: plotTop, bottom: plotBottom, into: &document)
            return plotBottom + 56
        }

        let slot = (Layout.plotRight - Layout.plotLeft) / Double(histogram.count)
        let barWidth = min(slot * 0.72, 64)
        let valueLabels = histogram.map { $0.value.isFinite ? NumberFormat.count($0.value) : "" }
        // Value labels over the bars only if every one fits its slot; half of them would mislead.
        let showValues = valueLabels.allSatisfy { ChartText.width($0, fontSize: 11) + 4 <= slot }
        // Bucket labels: every `stride`th one, so that the widest fits between its neighbours.
        let widestLabel = histogram.lazy.map { min(ChartText.width($0.label, fontSize: 12), 120) }.max() ?? 0
        let stride = max(1, Int(((widestLabel + 6) / slot).rounded(.up)))
        let baseline = axis.position(of: 0, from: plotBottom, to: plotTop)

        for (index, bucket) in histogram.enumerated() {
            let centre = Layout.plotLeft + slot * (Double(index) + 0.5)
            if bucket.value.isFinite {
                let end = axis.position(of: Self.clamped(bucket.value), from: plotBottom, to: plotTop)
                document.open(
                    "rect",
                    [
                        "x": Layout.format(centre - barWidth / 2), "y": Layout.format(min(end, baseline)),
                        "width": Layout.format(barWidth), "height": Layout.format(abs(end - baseline)),
                        "fill": Self.barColour,
                    ]
                )
                document.element("title", text: bucket.label + ": " + valueLabels[index])
                document.close()
                if showValues {
                    document.element(
                        "text",
                        [
                            "x": Layout.format(centre), "y": Layout.format(bucket.value < 0 ? end + 13 : end - 4),
                            "font-size": "11", "text-anchor": "middle", "fill": Layout.textColour,
                        ],
                        text: valueLabels[index]
                    )
                }
            }
            if index % stride == 0 {
                // As wide as the gap to the next shown label, and no further than the canvas edge.
                let room = min(slot * Double(stride) - 6, 2 * (Layout.width - 4 - centre))
                document.element(
                    "text",
                    [
                        "x": Layout.format(centre), "y": Layout.format(plotBottom + 20), "font-size": "12",
                        "text-anchor": "middle", "fill": Layout.mutedColour,
                    ],
                    text: ChartText.truncated(bucket.label, toWidth: max(room, 12), fontSize: 12)
                )
            }
        }
        return plotBottom + 56
    }
}
