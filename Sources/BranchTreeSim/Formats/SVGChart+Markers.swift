extension SVGChart {
    /// Draws the markers within `axis`'s range behind the data: each one's span shaded (cut
    /// at the plot's right edge) and a dashed line at its start, grouped under its note as
    /// a tooltip. Returns where their lines are and their labels, in time order, for
    /// ``drawMarkerLabels(_:top:into:)``.
    ///
    /// - Complexity: O(*m* log *m*) for *m* markers
    func drawMarkers(on axis: ChartAxis, top: Double, bottom: Double, into document: inout SVGDocument) -> [(
        position: Double, label: String
    )] {
        let shown = markers.enumerated()
            .filter { $0.element.x.isFinite && (axis.lower...axis.upper).contains($0.element.x) }
            .sorted { ($0.element.x, $0.offset) < ($1.element.x, $1.offset) }  // ties in input order
            .map(\.element)
        var placed: [(position: Double, label: String)] = []
        for marker in shown {
            let position = axis.position(of: marker.x, from: Layout.plotLeft, to: Layout.plotRight)
            document.open("g")
            document.element("title", text: marker.note.isEmpty ? marker.label : marker.note)
            let end = min(marker.x + (marker.width.isFinite ? max(marker.width, 0) : 0), axis.upper)
            if end > marker.x {
                let right = axis.position(of: end, from: Layout.plotLeft, to: Layout.plotRight)
                document.element(
                    "rect",
                    [
                        "x": Layout.format(position), "y": Layout.format(top), "width": Layout.format(right - position),
                        "height": Layout.format(bottom - top), "fill": Layout.textColour, "fill-opacity": "0.1",
                    ]
                )
            }
            document.element(
                "line",
                [
                    "x1": Layout.format(position), "y1": Layout.format(top), "x2": Layout.format(position),
                    "y2": Layout.format(bottom), "stroke": Layout.mutedColour, "stroke-width": "1",
                    "stroke-dasharray": "4 3",
                ]
            )
            document.close()
            placed.append((position, marker.label))
        }
        return placed
    }

    /// Writes the markers' labels along the top of the plot, right of their lines (left
    /// at the right edge), over the data with a white halo. A label that would run into
    /// the previous one is left out: its line and tooltip remain.
    ///
    /// - Complexity: O(*m*) for *m* markers, in time order
    func drawMarkerLabels(_ markers: [(position: Double, label: String)], top: Double, into document: inout SVGDocument)
    {
        var occupiedUntil = -Double.infinity
        for marker in markers where !marker.label.isEmpty {
            let text = ChartText.truncated(marker.label, toWidth: 120, fontSize: 11)
            let width = ChartText.width(text, fontSize: 11)
            let fitsRight = marker.position + 4 + width <= Layout.plotRight
            let left = fitsRight ? marker.position + 4 : marker.position - 4 - width
            guard left >= occupiedUntil + 4 else { continue }
            occupiedUntil = left + width
            document.element(
                "text",
                [
                    "x": Layout.format(fitsRight ? left : marker.position - 4), "y": Layout.format(top + 13),
                    "font-size": "11", "text-anchor": fitsRight ? "start" : "end", "fill": Layout.mutedColour,
                    "stroke": "#ffffff", "stroke-width": "3", "stroke-linejoin": "round", "paint-order": "stroke",
                ],
                text: text
            )
        }
    }
}
