import AssayAnalysis
import AssayCore
import Foundation

extension HTMLReport {
    /// The long-context section: score against length per model (a chart and a table with
    /// each model's effective length), score by needle depth, and prompt tokens (as the
    /// server reported them), TTFT, cost and the prompt cache's share against length. Nothing
    /// when the run has no `length:` tag.
    static func longContext(_ summary: RunSummary) -> HTML {
        let models = summary.models.filter { !$0.longContext.isEmpty }
        guard !models.isEmpty else { return "" }
        let lengths = Array(Set(models.flatMap(\.longContext.lengths))).sorted()
        func percent(_ value: Double?) -> HTML { "<td class=\"num\">\(value.map(Format.percent) ?? "-")</td>" }
        var body: HTML =
            "<p class=\"muted\">\(LongContextText.definition). A length a model was not sent (the prompt and max_tokens past its context window) is <em>not sent</em>.</p>"
        body += "<div class=\"scroll\">\(longContextChart(models, lengths: lengths))</div>"
        body += "<div class=\"scroll\"><table><thead><tr><th>model</th><th>effective length</th>"
        for length in lengths { body += "<th class=\"num\">\(length.description)</th>" }
        body += "</tr></thead><tbody>\n"
        for model in models {
            let stats = model.longContext
            body += "<tr><td>\(model.model)</td><td>\(stats.effectiveLength.map(\.description) ?? "none")</td>"
            for length in lengths {
                let bucket = stats.byLength[length]
                if let bucket, bucket.asked == 0, bucket.unsupported > 0 {
                    body += "<td class=\"num\" title=\"\(bucket.unsupportedReason ?? "")\">not sent</td>"
                } else {
                    body += percent(bucket?.score)
                }
            }
            body += "</tr>\n"
        }
        body += "</tbody></table></div>\n"
        body += longContextByDepth(models)
        body += longContextCosts(models)
        return section("long-context-section", "Long context", body)
    }

    /// Score by needle depth, a row per model; nothing when no case has a depth.
    static func longContextByDepth(_ models: [ModelSummary]) -> HTML {
        func percent(_ value: Double?) -> HTML { "<td class=\"num\">\(value.map(Format.percent) ?? "-")</td>" }
        var body: HTML = ""
        let depths = Array(Set(models.flatMap { $0.longContext.byDepth.keys })).sorted()
        if !depths.isEmpty {
            body += "<h3>By needle depth</h3>\n<div class=\"scroll\"><table><thead><tr><th>model</th>"
            for depth in depths { body += "<th class=\"num\">\(depth)%</th>" }
            body += "</tr></thead><tbody>\n"
            for model in models {
                body += "<tr><td>\(model.model)</td>"
                for depth in depths { body += percent(model.longContext.byDepth[depth]?.score) }
                body += "</tr>\n"
            }
            body += "</tbody></table></div>\n"
        }
        return body
    }

    /// Prompt tokens, TTFT and cost against length, and what the prompt cache served.
    static func longContextCosts(_ models: [ModelSummary]) -> HTML {
        var body: HTML = ""
        body +=
            "<h3>Prompt tokens, TTFT and cost against length</h3>\n<div class=\"scroll\"><table><thead><tr><th>model</th><th>length</th><th class=\"num\">prompt tokens (reported, mean)</th><th class=\"num\">estimate / reported</th><th class=\"num\">TTFT p50</th><th class=\"num\">cost per item</th><th class=\"num\">cached prompt tokens</th></tr></thead><tbody>\n"
        for model in models {
            for length in model.longContext.lengths {
                guard let bucket = model.longContext.byLength[length], bucket.asked > 0 else { continue }
                let cached =
                    bucket.reportedPromptTokens > 0
                    ? Format.percent(Double(bucket.cachedPromptTokens) / Double(bucket.reportedPromptTokens)) : "-"
                body +=
                    "<tr><td>\(model.model)</td><td>\(length.description)</td><td class=\"num\">\(bucket.meanPromptTokens.map { String(Int($0.rounded())) } ?? "-")</td><td class=\"num\">\(bucket.estimateRatio.map { String(format: "%.2f", $0) } ?? "-")</td><td class=\"num\">\(bucket.ttft.p50Ms.map(Format.milliseconds) ?? "-")</td><td class=\"num\">\(bucket.meanCost.map(Format.money) ?? "-")</td><td class=\"num\">\(cached)</td></tr>\n"
            }
        }
        body += "</tbody></table></div>\n"
        var cache: HTML = ""
        var anyCache = false
        for model in models {
            guard let share = model.longContext.cachedShare else { continue }
            var line: HTML =
                "<li>\(model.model): the prompt cache served \(Format.percent(share)) of \(model.longContext.promptTokens) prompt tokens"
            if let without = model.longContext.costWithoutCache {
                line +=
                    "; cost \(Format.money(model.longContext.cost)) with the cache, \(Format.money(without)) without"
            }
            cache += line + "</li>"
            anyCache = true
        }
        if anyCache {
            body +=
                "<p class=\"muted\">Cases that share a haystack are sent one after another, haystack first and question last, so that the vendor's cache can serve the shared prefix (usage's cached prompt tokens).</p><ul>\(cache)</ul>"
        }
        return body
    }

    /// Score against length, a line per model; lengths equally spaced (they double).
    static func longContextChart(_ models: [ModelSummary], lengths: [ContextLength]) -> HTML {
        let width = 640.0, height = 260.0, left = 48.0, right = 16.0, top = 12.0, bottom = 40.0
        let step = lengths.count > 1 ? (width - left - right) / Double(lengths.count - 1) : 0
        func x(_ index: Int) -> Double { lengths.count > 1 ? left + Double(index) * step : (left + width - right) / 2 }
        func y(_ score: Double) -> Double { top + (1 - score) * (height - top - bottom) }
        func f(_ value: Double) -> String { String(format: "%.1f", value) }
        var svg: HTML =
            #"<svg class="chart" viewBox="0 0 \#(Int(width)) \#(Int(height))" role="img" aria-label="Score against context length">"#
        for tick in 0...4 {
            let score = Double(tick) / 4
            svg +=
                #"<line x1="\#(f(left))" y1="\#(f(y(score)))" x2="\#(f(width - right))" y2="\#(f(y(score)))" class="grid"/>"#
            svg +=
                #"<text x="\#(f(left - 6))" y="\#(f(y(score) + 4))" class="tick" text-anchor="end">\#(Int(score * 100))%</text>"#
        }
        for (index, length) in lengths.enumerated() {
            svg +=
                #"<text x="\#(f(x(index)))" y="\#(f(height - bottom + 16))" class="tick" text-anchor="middle">\#(length.description)</text>"#
        }
        svg +=
            #"<text x="\#(f((left + width - right) / 2))" y="\#(f(height - 6))" class="axis" text-anchor="middle">prompt length (tokens)</text>"#
        for (modelIndex, model) in models.enumerated() {
            let color = Charts.color(modelIndex)
            var points: [String] = []
            for (index, length) in lengths.enumerated() {
                guard let score = model.longContext.byLength[length]?.score else { continue }
                points.append("\(f(x(index))),\(f(y(score)))")
                svg +=
                    #"<circle cx="\#(f(x(index)))" cy="\#(f(y(score)))" r="3.5" fill="\#(color)"><title>\#(model.model) at \#(length.description): \#(Format.percent(score))</title></circle>"#
            }
            if points.count > 1 {
                svg +=
                    #"<polyline points="\#(points.joined(separator: " "))" fill="none" stroke="\#(color)" stroke-width="2"/>"#
            }
            svg +=
                #"<text x="\#(f(left + 8))" y="\#(f(top + 14 + Double(modelIndex) * 14))" class="label" fill="\#(color)">\#(model.model)</text>"#
        }
        return svg + "</svg>"
    }
}
