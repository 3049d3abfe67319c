extension SVGChart {
    /// Sizes and colours shared by the panels, in SVG user units (pixels at 100 %).
    enum Layout {
        static let width = 960.0
        static let textInset = 24.0
        static let plotLeft = 84.0
        static let plotRight = width - 28
        static let bottomMargin = 8.0
        static let textColour = "#222222"
        static let mutedColour = "#555555"
        static let gridColour = "#e6e6e6"
        static let axisColour = "#888888"

        /// Coordinates with one decimal: a tenth of a pixel is below what anyone sees.
        static func format(_ value: Double) -> String {
            NumberFormat.trimmed(value, decimals: 1)
        }
    }

    /// `value` within ±``NumberFormat/largestMagnitude``, as the axes clamp their
    /// range: a point at 10^300 is drawn at the edge, not 10^285 pixels away.
    static func clamped(_ value: Double) -> Double {
        min(max(value, -NumberFormat.largestMagnitude), NumberFormat.largestMagnitude)
    }

    /// Draws a panel's heading and separating rule at `top`.
    func drawPanelTitle(_ text: String, top: Double, into document: inout SVGDocument) {
        document.element(
            "line",
            [
                "x1": Layout.format(Layout.textInset), "y1": Layout.format(top),
                "x2": Layout.format(Layout.width - Layout.textInset), "y2": Layout.format(top),
                "stroke": Layout.gridColour,
            ]
        )
        document.element(
            "text",
            [
                "x": Layout.format(Layout.textInset), "y": Layout.format(top + 24), "font-size": "15",
                "font-weight": "bold", "fill": Layout.textColour,
            ],
            text: ChartText.truncated(text, toWidth: Layout.width - 2 * Layout.textInset, fontSize: 16)
        )
    }

    /// Draws the y axis (gridlines, tick labels, rotated title) of a plot spanning
    /// `top`...`bottom`, and the baseline.
    func drawCountAxis(
        _ axis: ChartAxis, title: String, top: Double, bottom: Double, into document: inout SVGDocument
    ) {
        for tick in axis.ticks {
            let y = Layout.format(axis.position(of: tick.value, from: bottom, to: top))
            document.element(
                "line",
                [
                    "x1": Layout.format(Layout.plotLeft), "y1": y, "x2": Layout.format(Layout.plotRight), "y2": y,
                    "stroke": tick.value == 0 ? Layout.axisColour : Layout.gridColour,
                ]
            )
            document.element(
                "text",
                [
                    "x": Layout.format(Layout.plotLeft - 8),
                    "y": Layout.format(axis.position(of: tick.value, from: bottom, to: top) + 4),
                    "font-size": "12", "text-anchor": "end", "fill": Layout.mutedColour,
                ],
                text: tick.label
            )
        }
        let middle = Layout.format((top + bottom) / 2)
        document.element(
            "text",
            [
                "x": "22", "y": middle, "transform": "rotate(-90 22 \(middle))", "font-size": "12",
                "text-anchor": "middle", "fill": Layout.mutedColour,
            ],
            text: ChartText.truncated(title, toWidth: bottom - top, fontSize: 12)
        )
        document.element(
            "line",
            [
                "x1": Layout.format(Layout.plotLeft), "y1": Layout.format(top),
                "x2": Layout.format(Layout.plotLeft), "y2": Layout.format(bottom), "stroke": Layout.axisColour,
            ]
        )
    }

    /// Draws a centred x-axis title under a plot whose bottom is `bottom`.
    func drawBottomTitle(_ title: String, bottom: Double, into document: inout SVGDocument) {
        document.element(
            "text",
            [
                "x": Layout.format((Layout.plotLeft + Layout.plotRight) / 2), "y": Layout.format(bottom + 42),
                "font-size": "12", "text-anchor": "middle", "fill": Layout.mutedColour,
            ],
            text: ChartText.truncated(title, toWidth: Layout.plotRight - Layout.plotLeft, fontSize: 12)
        )
    }

    /// Writes "no data" in the middle of an empty plot.
    func drawNoData(top: Double, bottom: Double, into document: inout SVGDocument) {
        document.element(
            "text",
            [
                "x": Layout.format((Layout.plotLeft + Layout.plotRight) / 2), "y": Layout.format((top + bottom) / 2),
                "font-size": "14", "text-anchor": "middle", "fill": Layout.axisColour,
            ],
            text: "no data"
        )
    }
}
