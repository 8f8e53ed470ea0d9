import AssayAnalysis
import AssayCore

extension HTMLReport {
    /// How each model streamed: inter-token latency, time per output token, latency per
    /// output token, the longest stall, latency by answer length; then latency by client
    /// region and by base URL when the run has more than one of either.
    static func streamingTable(_ summary: RunSummary) -> HTML {
        let models = summary.models.filter { $0.streaming.latencyPerOutputToken.count > 0 || $0.streaming.measured }
        guard !models.isEmpty else { return "" }
        func ms(_ value: Double?) -> HTML { "<td class=\"num\">\(value.map(Format.milliseconds) ?? "-")</td>" }
        let lengths = StreamingStats.OutputLength.allCases
        var table: HTML =
            "<h3>Streaming</h3>\n<div class=\"scroll\"><table><thead><tr><th>model</th><th class=\"num\">ITL p50</th><th class=\"num\">ITL p99</th><th class=\"num\">TPOT p50</th><th class=\"num\">TPOT p99</th><th class=\"num\">ms per output token p50</th><th class=\"num\">longest stall p99</th>"
        for length in lengths {
            table += "<th class=\"num\">\(length.rawValue) (\(length.range) tokens) p50 / p99</th>"
        }
        table += "</tr></thead><tbody>\n"
        for model in models {
            let streaming = model.streaming
            table +=
                "<tr><td>\(model.model)</td>\(ms(streaming.interToken.p50Ms))\(ms(streaming.interToken.p99Ms))\(ms(streaming.timePerOutputToken.p50Ms))\(ms(streaming.timePerOutputToken.p99Ms))\(ms(streaming.latencyPerOutputToken.p50Ms))\(ms(streaming.maxStall.p99Ms))"
            for length in lengths {
                let stats = streaming.latencyByLength[length]
                let text = stats.map {
                    "\($0.p50Ms.map(Format.milliseconds) ?? "-") / \($0.p99Ms.map(Format.milliseconds) ?? "-") (\($0.count))"
                }
                table += "<td class=\"num\">\(text ?? "-")</td>"
            }
            table += "</tr>\n"
        }
        table +=
            "</tbody></table></div>\n<p class=\"muted\">ITL: the mean time between streamed answer chunks of a request, from the first to the last. TPOT: from the first answer token to the last over the completion tokens less one, as the server counts them. Per output token: the whole latency over the completion tokens. Longest stall: the longest wait between two chunks of an answer. Lengths are completion tokens; the count of answers is in brackets.</p>\n"
        table += split(models, title: "Latency by client region", heading: "region") { $0.streaming.latencyByRegion }
        table += split(models, title: "Latency by base URL", heading: "base URL") { $0.streaming.latencyByBaseURL }
        return table
    }

    /// Latency by one key (a region, a base URL), when the run saw more than one of them or a
    /// region was given.
    private static func split(
        _ models: [ModelSummary], title: String, heading: String, by key: (ModelSummary) -> [String: LatencyStats]
    ) -> HTML {
        let keys = Set(models.flatMap { key($0).keys })
        guard keys.count > 1 || (heading == "region" && !keys.isEmpty) else { return "" }
        var table: HTML =
            "<h3>\(title)</h3>\n<div class=\"scroll\"><table><thead><tr><th>model</th><th>\(heading)</th><th class=\"num\">p50</th><th class=\"num\">p95</th><th class=\"num\">p99</th><th class=\"num\">requests</th></tr></thead><tbody>\n"
        for model in models {
            for (name, stats) in key(model).sorted(by: { $0.key < $1.key }) {
                table +=
                    "<tr><td>\(model.model)</td><td>\(name)</td><td class=\"num\">\(stats.p50Ms.map(Format.milliseconds) ?? "-")</td><td class=\"num\">\(stats.p95Ms.map(Format.milliseconds) ?? "-")</td><td class=\"num\">\(stats.p99Ms.map(Format.milliseconds) ?? "-")</td><td class=\"num\">\(stats.count)</td></tr>\n"
            }
        }
        return table + "</tbody></table></div>\n"
    }
}
