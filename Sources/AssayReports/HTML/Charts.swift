import AssayAnalysis
import Foundation

/// The report's charts as inline SVG: no library, no network, readable without script.
enum Charts {
    static let palette = [
        "#2563eb", "#dc2626", "#059669", "#d97706", "#7c3aed", "#db2777", "#0891b2", "#65a30d", "#9333ea", "#475569",
    ]

    static func color(_ index: Int) -> String { palette[index % palette.count] }

    static func f(_ value: Double) -> String { String(format: "%.1f", value) }

    /// Quality (score, with its 95% interval) against cost on a log scale, with the Pareto
    /// frontier. Free models sit on a band of their own at the left of the axis.
    static func scatter(_ summary: RunSummary) -> HTML {
        let points = summary.models.enumerated().compactMap { index, model -> ScatterPoint? in
            guard let score = model.overall.score else { return nil }
            return (index, model, score)
        }
        let paid = points.filter { $0.model.spend.cost > 0 }.map(\.model.spend.cost)
        let low = paid.min().map { pow(10, floor(log10($0))) } ?? 1e-4
        let high = paid.max().map { pow(10, ceil(log10($0))) } ?? 1e-2
        let scale = ScatterScale(low: low, high: high)

        var svg: HTML =
            #"<svg id="scatter" class="chart" viewBox="0 0 \#(Int(scale.width)) \#(Int(scale.height))" role="img" aria-label="Score against cost">"#
        svg += scatterAxes(scale)
        let frontier = summary.frontier.compactMap { id in points.first { $0.model.model == id } }
        if frontier.count > 1 {
            let path = frontier.map { "\(f(scale.x($0.model.spend.cost))),\(f(scale.y($0.score)))" }.joined(
                separator: " ")
            svg += #"<polyline points="\#(path)" class="frontier"/>"#
        }
        svg += scatterPoints(points, frontier: summary.frontier, scale)
        return svg + "</svg>"
    }

    /// A model on the scatter plot: its place in the summary (for its colour), and its score.
    typealias ScatterPoint = (index: Int, model: ModelSummary, score: Double)

    /// The scatter plot's geometry: where a cost (log scale, free models on a band of their
    /// own) and a score sit.
    struct ScatterScale {
        let width = 720.0, height = 420.0
        let left = 70.0, right = 20.0, top = 20.0, bottom = 50.0
        let freeBand = 50.0
        let pad = 24.0
        /// The powers of ten the paid costs lie between.
        let low: Double, high: Double
        /// How many powers of ten the cost axis spans (at least one).
        let span: Double

        init(low: Double, high: Double) {
            self.low = low
            self.high = high
            span = max(log10(high) - log10(low), 1)
        }

        var plotLeft: Double { left + freeBand }

        func x(_ cost: Double) -> Double {
            guard cost > 0 else { return left + freeBand / 2 }
            return plotLeft + pad + (log10(cost) - log10(low)) / span * (width - plotLeft - right - 2 * pad)
        }

        func y(_ score: Double) -> Double { top + (1 - score) * (height - top - bottom) }
    }

    /// The free band, the grid with its cost and score ticks, and the axis titles.
    static func scatterAxes(_ scale: ScatterScale) -> HTML {
        let width = scale.width, height = scale.height
        let left = scale.left, right = scale.right, top = scale.top, bottom = scale.bottom
        let freeBand = scale.freeBand, plotLeft = scale.plotLeft
        var svg: HTML =
            #"<rect x="\#(f(left))" y="\#(f(top))" width="\#(f(freeBand))" height="\#(f(height - top - bottom))" class="band"/>"#
        svg +=
            #"<text x="\#(f(left + freeBand / 2))" y="\#(f(height - bottom + 16))" class="tick" text-anchor="middle">free</text>"#
        for step in 0...Int(scale.span) {
            let cost = scale.low * pow(10, Double(step))
            let position = scale.x(cost)
            svg +=
                #"<line x1="\#(f(position))" y1="\#(f(top))" x2="\#(f(position))" y2="\#(f(height - bottom))" class="grid"/>"#
            svg +=
                #"<text x="\#(f(position))" y="\#(f(height - bottom + 16))" class="tick" text-anchor="middle">\#(Format.money(cost))</text>"#
        }
        for step in 0...4 {
            let score = Double(step) / 4
            svg +=
                #"<line x1="\#(f(left))" y1="\#(f(scale.y(score)))" x2="\#(f(width - right))" y2="\#(f(scale.y(score)))" class="grid"/>"#
            svg +=
                #"<text x="\#(f(left - 6))" y="\#(f(scale.y(score) + 4))" class="tick" text-anchor="end">\#(Int(score * 100))%</text>"#
        }
        svg +=
            #"<text x="\#(f((plotLeft + width - right) / 2))" y="\#(f(height - 8))" class="axis" text-anchor="middle">cost of the run (log scale)</text>"#
        svg +=
            #"<text x="14" y="\#(f((top + height - bottom) / 2))" class="axis" text-anchor="middle" transform="rotate(-90 14 \#(f((top + height - bottom) / 2)))">score</text>"#
        return svg
    }

    /// Each model's point with its interval's whisker and its label, placed clear of the others.
    static func scatterPoints(_ points: [ScatterPoint], frontier: [String], _ scale: ScatterScale) -> HTML {
        var svg = HTML.empty
        var placed: [(x: Double, y: Double, width: Double)] = []
        for point in points {
            let px = scale.x(point.model.spend.cost), py = scale.y(point.score)
            if let interval = point.model.overall.interval {
                svg +=
                    #"<line x1="\#(f(px))" y1="\#(f(scale.y(interval.lower)))" x2="\#(f(px))" y2="\#(f(scale.y(interval.upper)))" class="whisker" stroke="\#(color(point.index))"/>"#
            }
            let onFrontier = frontier.contains(point.model.model)
            svg +=
                #"<circle cx="\#(f(px))" cy="\#(f(py))" r="\#(onFrontier ? 7 : 5)" fill="\#(color(point.index))" class="point"><title>\#(point.model.model): \#(Format.percent(point.score)), \#(Format.money(point.model.spend.cost))</title></circle>"#
            // Labels go right of their point (left near the right edge), nudged down past labels already placed.
            let labelWidth = Double(point.model.model.count) * 6.6
            let anchorEnd = px + 9 + labelWidth > scale.width - 4
            let labelX = anchorEnd ? px - 9 - labelWidth : px + 9
            var labelY = py - 7
            for _ in 0..<8
            where placed.contains(where: {
                abs($0.y - labelY) < 13 && labelX < $0.x + $0.width && $0.x < labelX + labelWidth
            }) {
                labelY += 14
            }
            placed.append((labelX, labelY, labelWidth))
            svg +=
                #"<text x="\#(f(anchorEnd ? px - 9 : px + 9))" y="\#(f(labelY))" class="label" text-anchor="\#(anchorEnd ? "end" : "start")">\#(point.model.model)</text>"#
        }
        return svg
    }

    /// One suite: a bar per model with its 95% interval; "unsupported" where the model was
    /// never asked.
    static func suiteBars(_ summary: RunSummary, suite: String) -> HTML {
        let rowHeight = 26.0, labelWidth = 190.0, width = 720.0, right = 60.0
        let models = summary.models
        let height = Double(models.count) * rowHeight + 30
        func x(_ score: Double) -> Double { labelWidth + score * (width - labelWidth - right) }
        var svg: HTML =
            #"<svg class="chart bars" viewBox="0 0 \#(Int(width)) \#(Int(height))" role="img" aria-label="Scores on \#(suite)">"#
        for step in 0...4 {
            let position = x(Double(step) / 4)
            svg += #"<line x1="\#(f(position))" y1="0" x2="\#(f(position))" y2="\#(f(height - 20))" class="grid"/>"#
            svg +=
                #"<text x="\#(f(position))" y="\#(f(height - 6))" class="tick" text-anchor="middle">\#(step * 25)%</text>"#
        }
        for (index, model) in models.enumerated() {
            let top = Double(index) * rowHeight + 4
            svg +=
                #"<text x="\#(f(labelWidth - 8))" y="\#(f(top + 15))" class="label" text-anchor="end">\#(model.model)</text>"#
            guard let stats = model.suites.first(where: { $0.suite == suite }) else { continue }
            if stats.isUnsupported {
                svg += #"<text x="\#(f(labelWidth + 4))" y="\#(f(top + 15))" class="na">unsupported</text>"#
                continue
            }
            guard let score = stats.stats.score else { continue }
            svg +=
                #"<rect x="\#(f(labelWidth))" y="\#(f(top + 3))" width="\#(f(max(1, x(score) - labelWidth)))" height="16" fill="\#(color(index))" class="bar"><title>\#(model.model): \#(Format.percent(score)) of \#(stats.stats.n)</title></rect>"#
            if let interval = stats.stats.interval {
                let y = f(top + 11)
                svg +=
                    #"<line x1="\#(f(x(interval.lower)))" y1="\#(y)" x2="\#(f(x(interval.upper)))" y2="\#(y)" class="whisker"/>"#
                svg +=
                    #"<line x1="\#(f(x(interval.lower)))" y1="\#(f(top + 6))" x2="\#(f(x(interval.lower)))" y2="\#(f(top + 16))" class="whisker"/>"#
                svg +=
                    #"<line x1="\#(f(x(interval.upper)))" y1="\#(f(top + 6))" x2="\#(f(x(interval.upper)))" y2="\#(f(top + 16))" class="whisker"/>"#
            }
            svg +=
                #"<text x="\#(f(width - right + 6))" y="\#(f(top + 15))" class="tick">\#(Format.percent(score))</text>"#
        }
        return svg + "</svg>"
    }

    /// Per model: time to first token and end-to-end latency as p50 bars with p95 and p99 marks.
    static func latency(_ summary: RunSummary) -> HTML {
        let rowHeight = 40.0, labelWidth = 190.0, width = 720.0, right = 30.0
        let height = Double(summary.models.count) * rowHeight + 34
        let slowest = summary.models.compactMap { $0.latency.p99Ms ?? $0.latency.maxMs }.max() ?? 1
        let scale = max(slowest, 1)
        func x(_ ms: Double) -> Double { labelWidth + ms / scale * (width - labelWidth - right) }
        var svg: HTML =
            #"<svg id="latency" class="chart" viewBox="0 0 \#(Int(width)) \#(Int(height))" role="img" aria-label="Latency per model">"#
        for step in 0...4 {
            let ms = scale * Double(step) / 4
            svg += #"<line x1="\#(f(x(ms)))" y1="0" x2="\#(f(x(ms)))" y2="\#(f(height - 22))" class="grid"/>"#
            svg +=
                #"<text x="\#(f(x(ms)))" y="\#(f(height - 8))" class="tick" text-anchor="middle">\#(Format.milliseconds(ms)) ms</text>"#
        }
        for (index, model) in summary.models.enumerated() {
            let top = Double(index) * rowHeight + 4
            svg +=
                #"<text x="\#(f(labelWidth - 8))" y="\#(f(top + 20))" class="label" text-anchor="end">\#(model.model)</text>"#
            for (row, stats, name) in [(0.0, model.ttft, "TTFT"), (16.0, model.latency, "total")] {
                guard let p50 = stats.p50Ms else { continue }
                let y = top + row
                svg +=
                    #"<rect x="\#(f(labelWidth))" y="\#(f(y + 2))" width="\#(f(max(1, x(p50) - labelWidth)))" height="12" fill="\#(color(index))" opacity="\#(row == 0 ? "0.55" : "1")"><title>\#(model.model) \#(name): p50 \#(Format.milliseconds(p50)) ms</title></rect>"#
                for (mark, value) in [("p95", stats.p95Ms), ("p99", stats.p99Ms)] {
                    guard let value else { continue }
                    svg +=
                        #"<line x1="\#(f(x(value)))" y1="\#(f(y))" x2="\#(f(x(value)))" y2="\#(f(y + 16))" class="mark"><title>\#(name) \#(mark) \#(Format.milliseconds(value)) ms</title></line>"#
                }
            }
        }
        return svg + "</svg>"
    }
}
