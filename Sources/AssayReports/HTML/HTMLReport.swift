import AssayAnalysis
import AssayCore
import Crypto
import Foundation

/// `index.html`: one self-contained page (inline CSS, SVG and one small script; nothing
/// fetched; readable offline and from file://, and on a phone) with the ranking, the
/// quality/cost scatter and its frontier, per-suite scores with intervals, latency,
/// confusion matrices, OCR error rates, an item drill-down with filters, the methodology
/// with the price sheet, and the run manifest.
enum HTMLReport {
    static func render(_ summary: RunSummary, drillDown: DrillDown, nav: HTML = .empty) -> String {
        var page = head(summary)
        page += "<main>\n"
        page += nav
        page += header(summary)
        page += ranking(summary)
        page += section(
            "scatter-section", "Quality against cost",
            "<p class=\"muted\">Each point is a model: its score over the whole run (with the 95% interval) against what the run cost it, on a log scale. The dashed line joins the Pareto frontier: the models no other model beats on both. Free models sit on the band at the left.</p><div class=\"scroll\">\(Charts.scatter(summary))</div>"
        )
        page += suites(summary)
        page += section(
            "latency-section", "Latency",
            "<p class=\"muted\">Per model, time to first token (light) and end-to-end latency (dark): bars are p50, marks p95 and p99, over answered requests.</p><div class=\"scroll\">\(Charts.latency(summary))</div>\(latencyTable(summary))\(streamingTable(summary))\(loadNote(summary))\(workersNote(summary))\(attemptsTable(summary))"
        )
        page += longContext(summary)
        page += classification(summary)
        page += ocr(summary)
        page += tools(summary)
        page += agents(summary)
        page += fields(summary)
        page += items(summary, drillDown)
        page += methodology(summary)
        page += manifest(summary)
        page += "</main>\n<script>\(HTMLAssets.script)</script>\n</body>\n</html>\n"
        return page.markup
    }

    static func head(_ summary: RunSummary) -> HTML {
        let hash = Data(SHA256.hash(data: Data(HTMLAssets.script.markup.utf8))).base64EncodedString()
        return head(title: "Assay run \(summary.run.id)", scriptSource: "'sha256-\(hash)'")
    }

    /// The page's head, and the body's start: the title (escaped here), the one script
    /// the Content-Security-Policy lets run ("'none'" for none), and style beyond the shared.
    static func head(title: String, scriptSource: HTML, style: HTML = "") -> HTML {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src \(scriptSource)">
        <title>\(title)</title>
        <style>\(HTMLAssets.style)\(style)</style>
        </head>
        <body>

        """
    }

    static func section(_ id: String, _ title: String, _ body: HTML) -> HTML {
        "<section id=\"\(id)\">\n<h2>\(title)</h2>\n\(body)\n</section>\n"
    }

    static func header(_ summary: RunSummary) -> HTML {
        let run = summary.run
        var out: HTML =
            "<h1>Assay run <code>\(run.id)</code></h1>\n<p class=\"muted\">\(run.status.rawValue) · started \(SummaryJSON.timestamp(run.startedAt))"
        if let plan = run.plan { out += " · plan \(plan)" }
        out +=
            " · \(run.models.count) models · \(run.suites.count) suites · \(run.epochs) epoch\(run.epochs == 1 ? "" : "s")</p>\n"
        if let label = run.label {
            out += "<p class=\"label-line\"><strong>\(label.text)</strong>"
            if let note = label.note { out += " <span class=\"muted\">\(note)</span>" }
            out += "</p>\n"
        }
        if run.ranCodeUnsandboxed {
            out +=
                "<p class=\"warn danger\"><strong>Unsafe run:</strong> model-written code ran without a sandbox (<code>--unsafe-no-sandbox</code>).</p>\n"
        }
        if run.status != .completed {
            out +=
                "<p class=\"warn\">This run is <strong>\(run.status.rawValue)</strong>: some items were never asked.</p>\n"
        }
        if let source = run.repricedFrom {
            out +=
                "<p class=\"warn\">Costs are <strong>re-priced</strong> with the prices in \(source), not the ones the run used: the tokens are the run&#39;s, the prices today&#39;s.</p>\n"
        }
        if let replayed = ReplayText.line(summary) {
            out += "<p class=\"warn\"><strong>Replayed from cache:</strong> \(replayed).</p>\n"
        }
        if let assumption = summary.run.costAssumption, summary.models.contains(where: { $0.spend.basis == .estimated })
        {
            out += "<p class=\"warn\">Costs marked ~ are <strong>estimated</strong>: \(assumption).</p>\n"
        }
        if summary.models.contains(where: { $0.spend.outputOnly }) {
            out +=
                "<p class=\"warn\">Costs marked * cover <strong>output tokens only</strong>: the input price of those models is not quoted, so their cost is too low and their correct answers per dollar too high; they are ranked apart, after the models costed in full, and kept off the frontier (see Methodology).</p>\n"
        }
        let unknown = summary.models.reduce(0) { $0 + $1.spend.unknownCost }
        if unknown > 0 {
            out += "<p class=\"warn\">\(unknown) answers came without token usage; their cost is not counted.</p>\n"
        }
        for line in Truncation.lines(summary) {
            out += "<p class=\"warn\">\(line)</p>\n"
        }
        let errors = summary.models.reduce(0) { $0 + $1.overall.errors }
        if errors > 0 {
            out +=
                "<p class=\"warn\">\(errors) requests failed; they count as wrong answers (error kinds in the ranking table).</p>\n"
        }
        return out
    }

    static func ranking(_ summary: RunSummary) -> HTML {
        var rows: HTML = ""
        let byScore = summary.rankedByScore.map(\.model)
        for (index, model) in summary.rankedByValue.enumerated() {
            let unsupported = model.overall.n == 0 && model.overall.unsupported > 0
            let score = unsupported ? "unsupported" : model.overall.score.map(Format.percent) ?? "-"
            let interval =
                model.overall.interval.map { "\(Format.percent($0.lower))–\(Format.percent($0.upper))" } ?? ""
            let mark = CostBasisText.mark(model.spend.basis)
            let cost = Format.money(model.spend.cost) + mark
            let value = Format.value(model.qualityPerDollar) + mark
            let scoreRank = byScore.firstIndex(of: model.model) ?? byScore.count
            var errors =
                model.errorKinds.isEmpty
                ? "0"
                : model.errorKinds.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            if model.overall.truncated > 0 { errors += "; \(model.overall.truncated) cut off" }
            let star: HTML =
                summary.frontier.contains(model.model)
                ? " <span class=\"star\" title=\"on the cost/quality frontier\">★</span>" : ""
            rows +=
                "<tr data-value-rank=\"\(index)\" data-score-rank=\"\(scoreRank)\"><td class=\"num\">\(index + 1)</td><td>\(model.model)\(star)<br><span class=\"muted\">\(model.family)</span></td>"
            rows +=
                "<td class=\"num\"><strong>\(value)</strong></td><td class=\"num\">\(score) <span class=\"muted\">#\(scoreRank + 1)</span></td><td class=\"num muted\">\(interval)</td><td class=\"num\">\(model.overall.n)</td>"
            rows +=
                "<td class=\"num\">\(cost)</td><td class=\"num\">\(model.costPerCorrect.map(Format.money) ?? "-")</td>"
            rows +=
                "<td class=\"num\">\(model.latency.p50Ms.map(Format.milliseconds) ?? "-") / \(model.latency.p99Ms.map(Format.milliseconds) ?? "-")</td>"
            rows += "<td class=\"num\">\(model.ttft.p50Ms.map(Format.milliseconds) ?? "-")</td>"
            rows +=
                "<td class=\"num\">\(model.outputTokensPerSecond.map { String(format: "%.0f", $0) } ?? "-")</td><td>\(errors)</td></tr>\n"
        }
        let table: HTML = """
            <div class="scroll"><table id="ranking"><thead><tr><th class="num">#</th><th>model</th><th class="num">correct per $</th><th class="num">score (rank)</th><th class="num">95% CI</th><th class="num">n</th><th class="num">cost</th><th class="num">$ per correct</th><th class="num">p50 / p99 ms</th><th class="num">TTFT p50</th><th class="num">tok/s</th><th>errors</th></tr></thead>
            <tbody>
            \(rows)</tbody></table></div>
            <p class="muted">Ranked by correct answers per dollar (a free model that got anything right first; ties by score). <span class="sort">Sort by <button type="button" data-sort="value" aria-pressed="true">correct per $</button> <button type="button" data-sort="score" aria-pressed="false">score</button></span> Best score: <strong>\(summary.rankings.byScore.first ?? "-")</strong>. ★ marks the cost/quality frontier: \(summary.frontier.joined(separator: " → ")).</p>
            """
        return section("ranking-section", "Ranking", table)
    }

    static func suites(_ summary: RunSummary) -> HTML {
        var body: HTML = "<p class=\"muted\">Score per suite with its 95% Wilson interval.</p>\n"
        for suite in summary.run.suites {
            body +=
                "<h3>\(suite.id) <span class=\"muted\">(\(suite.kind.rawValue), \(suite.cases) cases, \(suite.grader.rawValue) grader)</span></h3>\n"
            body += "<div class=\"scroll\">\(Charts.suiteBars(summary, suite: suite.id))</div>\n"
            let passLines = summary.models.compactMap { model -> HTML? in
                guard let stats = model.suites.first(where: { $0.suite == suite.id }), !stats.passAtK.isEmpty else {
                    return nil
                }
                return "\(model.model): "
                    + stats.passAtK.sorted { $0.key < $1.key }.map { "pass@\($0.key) \(Format.percent($0.value))" }
                    .joined(separator: ", ")
            }
            if !passLines.isEmpty { body += "<p>\(passLines.joined(separator: "<br>"))</p>\n" }
            let subjectLines = summary.models.compactMap { model -> HTML? in
                guard let stats = model.suites.first(where: { $0.suite == suite.id }), !stats.subjects.isEmpty else {
                    return nil
                }
                return "\(model.model) by subject: \(SubjectScores.text(stats.subjects))"
            }
            if !subjectLines.isEmpty { body += "<p>\(subjectLines.joined(separator: "<br>"))</p>\n" }
            let tagLines = summary.models.compactMap { model -> HTML? in
                guard let stats = model.suites.first(where: { $0.suite == suite.id }), !stats.tags.isEmpty else {
                    return nil
                }
                return "\(model.model) by tag: \(SubjectScores.text(stats.tags))"
            }
            if !tagLines.isEmpty { body += "<p class=\"muted\">\(tagLines.joined(separator: "<br>"))</p>\n" }
            let values = summary.models.compactMap { model -> String? in
                guard let stats = model.suites.first(where: { $0.suite == suite.id }), !stats.isUnsupported else {
                    return nil
                }
                return "\(model.model) \(Format.value(stats.qualityPerDollar))\(CostBasisText.mark(stats.spend.basis))"
            }
            if !values.isEmpty {
                let frontier = summary.frontier(suite: suite.id)
                body +=
                    "<p class=\"muted\">Correct answers per dollar on this suite: \(values.joined(separator: ", ")). Frontier here: \(frontier.isEmpty ? "-" : frontier.joined(separator: " → ")).</p>\n"
            }
        }
        return section("suites-section", "Scores by suite", body)
    }

    static func latencyTable(_ summary: RunSummary) -> HTML {
        var rows: HTML = ""
        for model in summary.models {
            func cells(_ stats: LatencyStats) -> HTML {
                [stats.p50Ms, stats.p95Ms, stats.p99Ms].map {
                    "<td class=\"num\">\($0.map(Format.milliseconds) ?? "-")</td>"
                }.joined()
            }
            let first = model.firstToken.p50Ms.map(Format.milliseconds) ?? "-"
            let thinking = model.thinking.count > 0 ? model.thinking.p50Ms.map(Format.milliseconds) ?? "-" : "-"
            rows +=
                "<tr><td>\(model.model)</td><td class=\"num\">\(first)</td><td class=\"num\">\(thinking)</td>\(cells(model.ttft))\(cells(model.latency))<td class=\"num\">\(model.latency.count)</td></tr>\n"
        }
        return """
            <div class="scroll"><table><thead><tr><th>model</th><th class="num">first token p50</th><th class="num">thinking p50</th><th class="num">TTFT (answer) p50</th><th class="num">p95</th><th class="num">p99</th><th class="num">total p50</th><th class="num">p95</th><th class="num">p99</th><th class="num">requests</th></tr></thead><tbody>
            \(rows)</tbody></table></div>
            <p class="muted">First token: the first token of any kind, reasoning or answer. Thinking: from the first reasoning token to the first answer token (models that reason). TTFT: the first answer token. Tokens/s (ranking) count reasoning tokens over the span from the first token of any kind to the last.</p>
            """
    }

    static func classification(_ summary: RunSummary) -> HTML {
        var body: HTML = ""
        for suite in summary.run.suites where suite.kind == .classification {
            for model in summary.models {
                guard let metrics = model.suites.first(where: { $0.suite == suite.id })?.classification else {
                    continue
                }
                let predictions =
                    metrics.labels
                    + [ClassificationMetrics.invalid, ClassificationMetrics.ambiguous, ClassificationMetrics.error]
                    .filter { column in metrics.confusion.values.contains { $0[column] != nil } }
                let most = max(1, metrics.confusion.values.flatMap(\.values).max() ?? 1)
                body +=
                    "<h3>\(suite.id) · \(model.model) <span class=\"muted\">macro-F1 \(metrics.macroF1.map(Format.percent) ?? "-"), accuracy \(metrics.accuracy.map(Format.percent) ?? "-")</span></h3>\n"
                body += "<div class=\"scroll\"><table class=\"confusion\"><thead><tr><th>truth ↓ / answer →</th>"
                body +=
                    predictions.map { "<th class=\"num\">\($0)</th>" }.joined()
                    + "<th class=\"num\">F1</th></tr></thead><tbody>\n"
                for truth in metrics.labels {
                    body += "<tr><th>\(truth)</th>"
                    for prediction in predictions {
                        let count = metrics.confusion[truth]?[prediction] ?? 0
                        let alpha = String(format: "%.2f", Double(count) / Double(most) * 0.6)
                        let hue = truth == prediction ? "5,150,105" : "220,38,38"
                        body += "<td style=\"background:rgba(\(hue),\(alpha))\">\(count)</td>"
                    }
                    body += "<td>\(metrics.perLabel[truth]?.f1.map(Format.percent) ?? "-")</td></tr>\n"
                }
                body += "</tbody></table></div>\n"
            }
        }
        guard !body.isEmpty else { return "" }
        return section(
            "confusion-section", "Confusion matrices",
            "<p class=\"muted\">Rows are the true labels, columns what the model answered. (invalid), (ambiguous) and (error) are not classes: they only cost recall.</p>\n"
                + body)
    }

    static func ocr(_ summary: RunSummary) -> HTML {
        var rows: HTML = ""
        for suite in summary.run.suites where suite.kind.isTranscript {
            for model in summary.models {
                guard let stats = model.suites.first(where: { $0.suite == suite.id }) else { continue }
                if stats.isUnsupported {
                    rows +=
                        "<tr><td>\(suite.id)</td><td>\(model.model)</td><td colspan=\"4\" class=\"muted\">unsupported (no vision)</td></tr>\n"
                    continue
                }
                guard let metrics = stats.ocr else { continue }
                rows +=
                    "<tr><td>\(suite.id)</td><td>\(model.model)</td><td class=\"num\">\(metrics.cer.map(Format.percent) ?? "-")</td><td class=\"num\">\(metrics.wer.map(Format.percent) ?? "-")</td><td class=\"num\">\(metrics.meanItemCER.map(Format.percent) ?? "-")</td><td class=\"num\">\(metrics.items)</td></tr>\n"
            }
        }
        guard !rows.isEmpty else { return "" }
        return section(
            "ocr-section", "OCR error rates",
            """
            <p class="muted">CER and WER pooled over the suite: the sum of edits over the sum of reference lengths. The mean of the images' CERs is shown for contrast only.</p>
            <div class="scroll"><table><thead><tr><th>suite</th><th>model</th><th class="num">CER</th><th class="num">WER</th><th class="num">mean image CER</th><th class="num">images</th></tr></thead><tbody>
            \(rows)</tbody></table></div>
            """)
    }

    /// Tools suites: accuracy, what went wrong first (by kind), calls made, cost per 1,000
    /// answers and the time to the first call; accuracy per category is in the suite's tags.
    static func tools(_ summary: RunSummary) -> HTML {
        var rows: HTML = ""
        let kinds = ToolCallMismatch.Kind.allCases
        for suite in summary.run.suites where suite.kind == .tools {
            for model in summary.models {
                guard let stats = model.suites.first(where: { $0.suite == suite.id }), let metrics = stats.tools else {
                    continue
                }
                var cells: HTML = ""
                for kind in kinds { cells += "<td class=\"num\">\(metrics.mismatches[kind] ?? 0)</td>" }
                let accuracy = metrics.items > 0 ? Format.percent(Double(metrics.passed) / Double(metrics.items)) : "-"
                let perThousand =
                    ToolCallMetrics.costPerThousand(stats.spend, answered: metrics.items).map(Format.money) ?? "-"
                let firstCall = metrics.firstCall.p50Ms.map(Format.milliseconds) ?? "-"
                rows +=
                    "<tr><td>\(suite.id)</td><td>\(model.model)</td><td class=\"num\">\(accuracy)</td>\(cells)<td class=\"num\">\(metrics.calls)</td><td class=\"num\">\(metrics.answersWithoutCalls)</td><td class=\"num\">\(perThousand)</td><td class=\"num\">\(firstCall)</td></tr>\n"
            }
        }
        guard !rows.isEmpty else { return "" }
        let heads = kinds.map { kind -> HTML in "<th class=\"num\">\(kind.title)</th>" }.joined()
        return section(
            "tools-section", "Tool calls",
            """
            <p class="muted">Graded as BFCL's AST checker grades: each failed answer is counted under its first mismatch. Accuracy per category is in the suite's tags above; the drill-down shows the calls made beside the acceptable ones. Cost per 1,000 answers at this run's mean; first call: p50 time to the first fragment of the first call (streamed answers).</p>
            <div class="scroll"><table><thead><tr><th>suite</th><th>model</th><th class="num">accuracy</th>\(heads)<th class="num">calls made</th><th class="num">answers without a call</th><th class="num">cost / 1,000</th><th class="num">first call p50</th></tr></thead><tbody>
            \(rows)</tbody></table></div>
            """)
    }

    static func items(_ summary: RunSummary, _ drillDown: DrillDown) -> HTML {
        let chosen = drillDown.items
        var body: HTML =
            "<p class=\"muted\">\(chosen.count) of \(drillDown.total) items: wrong and failed ones first, up to \(drillDown.perGroup) of each kind per model and suite. Every item is in report.xml and the store.</p>\n"
        body += "<div class=\"filters\"><label>model <select id=\"f-model\"><option value=\"\">all</option>"
        body += summary.models.map { "<option value=\"\($0.model)\">\($0.model)</option>" }.joined()
        body += "</select></label><label>suite <select id=\"f-suite\"><option value=\"\">all</option>"
        body += summary.run.suites.map { "<option value=\"\($0.id)\">\($0.id)</option>" }.joined()
        body +=
            "</select></label><label><input type=\"checkbox\" id=\"f-wrong\"> wrong or failed only</label><label><input type=\"checkbox\" id=\"f-truncated\"> truncated only</label><span class=\"muted\"><span id=\"f-count\">\(chosen.count)</span> shown</span></div>\n"
        body += "<div id=\"items\">\n"
        for item in chosen {
            let verdict: HTML
            switch (item.status, item.outcome) {
            case (.graded, .pass?): verdict = "<span class=\"pass\">pass</span>"
            case (.graded, let outcome?): verdict = "<span class=\"fail\">\(outcome.rawValue)</span>"
            case (.unsupported, _): verdict = "<span class=\"muted\">unsupported</span>"
            case (.fellBack, _): verdict = "<span class=\"muted\">fell back</span>"
            default: verdict = "<span class=\"fail\">error</span>"
            }
            body +=
                "<details class=\"item\" data-model=\"\(item.model)\" data-suite=\"\(item.suite)\" data-pass=\"\(item.passed ? "1" : "0")\" data-truncated=\"\(item.truncated ? "1" : "0")\">"
            let cut: HTML = item.truncated ? " <span class=\"fail\">cut off</span>" : ""
            body +=
                "<summary><span>\(verdict)\(cut)</span><span>\(item.model)</span><span>\(item.suite) / \(item.caseID)\(item.epoch > 1 ? " #\(item.epoch)" : "")</span>"
            body +=
                "<span>\(String((item.extracted ?? item.error ?? "").prefix(60)))</span><span class=\"muted\">\(item.latencyMs.map { Format.milliseconds($0) + " ms" })</span></summary>\n"
            body += "<div class=\"body\"><dl>"
            body +=
                "<dt>expected</dt><dd>\(item.expected)</dd><dt>extracted</dt><dd>\(item.extracted)</dd><dt>rule</dt><dd>\(item.rule)</dd>"
            body +=
                "<dt>cost</dt><dd>\(item.cost.map(Format.money) ?? "-")\(item.costParts.map { " (\($0))" })</dd><dt>latency</dt><dd>\(item.latencyMs.map { Format.milliseconds($0) + " ms" } ?? "-") (TTFT \(item.ttftMs.map { Format.milliseconds($0) + " ms" } ?? "-"))</dd>"
            if let error = item.error { body += "<dt>error</dt><dd>\(error)</dd>" }
            if item.truncated { body += "<dt>finish</dt><dd>length: cut off at max_tokens before it finished</dd>" }
            body += "</dl>"
            if let prompt = item.prompt { body += "<h4>prompt</h4><pre>\(prompt)</pre>" }
            if let reasoning = item.reasoning { body += "<h4>reasoning</h4><pre>\(reasoning)</pre>" }
            body += "<h4>answer</h4><pre>\(item.output)</pre>"
            if let fields = FieldsEvidence(evidence: item.evidence) { body += fieldsTable(fields) }
            if let agent = AgentEvidence(evidence: item.evidence) { body += agentTranscript(agent) }
            if !item.evidence.isEmpty {
                body +=
                    "<h4>grade evidence</h4><pre>\(HTMLText.truncated(JSONValue.object(item.evidence).prettyJSON, DrillDown.textLimit))</pre>"
            }
            body += "</div></details>\n"
        }
        body += "</div>\n"
        return section("items-section", "Items", body)
    }

    static func methodology(_ summary: RunSummary) -> HTML {
        let prices = priceRows(summary)
        let graders = Set(summary.run.suites.map(\.grader)).sorted { $0.rawValue < $1.rawValue }.map(graderNote)
            .joined()
        return section(
            "methodology", "Methodology",
            """
            <ul>
            \(graders)
            <li><strong>Score</strong>: the share of asked items answered right; a failed request counts as wrong; items a model cannot take (a missing capability) are <em>unsupported</em> and left out.</li>
            <li><strong>Intervals</strong>: Wilson score interval at 95% (z = 1.959964).</li>
            <li><strong>Cost</strong>: uncached prompt tokens × input price + cached prompt tokens × cached input price (the input price when no cached price is quoted) + completion tokens, reasoning included, × output price, from the usage the server reported. When the input price is not quoted, the cost covers <em>output tokens only</em> and is marked *. Answers without usage are not counted (and said so).</li>
            <li><strong>Quality per dollar</strong>: correct answers per dollar over the whole run. A model that cost nothing is <em>free</em>: it ranks above paid models when it got anything right, below them otherwise.</li>
            <li><strong>Latency</strong>: on a monotonic clock from sending the request; <em>first token</em> to the first chunk of any kind, reasoning or answer; <em>TTFT</em> to the first chunk with answer content (not the empty role chunk, not reasoning: <code>reasoning_content</code>, <code>reasoning</code> and inline <code>&lt;think&gt;</code> blocks are reasoning); <em>thinking</em> from the first reasoning token to the first answer token; total to the last content chunk; p50/p95/p99 from an HdrHistogram, over answered requests. Tokens per second: (completion tokens − 1, reasoning included) over the time from the first token of any kind to the last.</li>
            <li><strong>Truncation</strong>: an answer that ended with <code>finish_reason: length</code> was cut off at max_tokens; it is graded as usual and counted as truncated (the ranking's errors column, the drill-down's <em>truncated</em> filter).</li>
            <li><strong>Frontier</strong>: models that no other model beats on both cost and score.</li>
            </ul>
            <h3>Price sheet</h3>
            <div class="scroll"><table><thead><tr><th>model</th><th class="num">input $/M</th><th class="num">cached input $/M</th><th class="num">output $/M</th><th>currency</th><th>date</th><th>source</th></tr></thead><tbody>
            \(prices)</tbody></table></div>
            """)
    }

    /// The price sheet's rows: each model's prices, their currency, date (marked when stale) and source.
    static func priceRows(_ summary: RunSummary) -> HTML {
        var prices: HTML = ""
        for model in summary.models {
            guard let price = model.price else { continue }
            let cached =
                price.cachedInputPerMillion.map { String(format: "%.2f", $0) }
                ?? (price.inputPerMillion == nil ? "not quoted" : "as input")
            let age = PriceAge.days(price.date, at: summary.run.startedAt)
            let stale: HTML =
                age.map { $0 > PriceAge.staleAfterDays ? " <span class=\"fail\">\($0) days old</span>" : "" }
                ?? " <span class=\"fail\">undated</span>"
            prices +=
                "<tr><td>\(model.model)</td><td class=\"num\">\(price.inputPerMillion.map { String(format: "%.2f", $0) } ?? "not quoted")</td><td class=\"num\">\(cached)</td><td class=\"num\">\(String(format: "%.2f", price.outputPerMillion))</td><td>\(price.currency)\(price.exchangeRate.map { " at \($0.usdPerUnit) USD (\($0.date), \($0.source))" })\(price.offPeak.map(Self.window))\(price.reasoningPerMillion.map { String(format: "; reasoning %.2f", $0) })</td><td>\(price.date)\(stale)</td><td>\(price.source)</td></tr>\n"
        }
        return prices
    }

    /// How a grader judges, in a sentence or two, for the methodology's list.
    static func graderNote(_ grader: GraderName) -> HTML {
        switch grader {
        case .exactLabel:
            return
                "<li><strong>exact-label</strong>: the whole answer, trimmed and case-folded, equals the expected label.</li>"
        case .code:
            return
                "<li><strong>code</strong>: the answer's Python is run against hidden tests in a bubblewrap sandbox (no network, read-only system, CPU-time and memory limits, a wall-clock kill), by a trusted runner that imports the candidate in a separate worker process; the verdict is the runner&#39;s own, on a line framed with a per-run secret the candidate never sees, so nothing the code prints can pass it. pass@k uses the unbiased estimator 1 − C(n−c,k)/C(n,k).</li>"
        case .numeric:
            return
                "<li><strong>numeric</strong>: the final number (explicit markers such as “Answer:”, \\boxed{}, ####, 答案是 first, then the last “= N”, then the last number), compared exactly as a rational, or within the suite's tolerance past 64-bit.</li>"
        case .math:
            return
                "<li><strong>math</strong>: a plain-number answer as <em>numeric</em>; any other expected answer is parsed as LaTeX and compared with the final expression (the last \\boxed{}, “the answer is”, display math, the last line) by value: exactly for rationals and square-root radicals, by identity at five seeded points (relative tolerance 1e-6) for expressions with variables; a decimal against an exact value must have 4 significant digits and equal it rounded or cut to its own places; tuples and intervals in order (brackets count), sets and lists unordered. The grade names the rule that decided.</li>"
        case .label:
            return
                "<li><strong>label</strong>: which declared label (or synonym) the answer names, after width, script, case and quote folding; two labels are ambiguous (wrong), none is invalid. Macro-F1 over the declared labels.</li>"
        case .ocr:
            return
                "<li><strong>ocr</strong>: character and word error rates by Levenshtein distance after NFKC and CJK punctuation mapping, whitespace ignored for CER; pooled over the suite.</li>"
        case .tools:
            return
                "<li><strong>tools</strong>: the function calls made (not the text beside them), checked as BFCL&#39;s AST checker checks them: the function&#39;s name, its required parameters present, no parameter it does not declare, each value of its declared type (an int is accepted for a float; array elements and dict keys checked one by one) and among the case&#39;s acceptable values (strings compared without case, spaces and ,./-_*^; a parameter may be left out only where the case allows); several calls matched one to one in any order; a case that wants no call passes only when none is made. Arguments that are not a JSON object are <em>invalid</em>, except where no call is wanted: there, as BFCL&#39;s decoder reads them, they are no call.</li>"
        case .fields:
            return
                "<li><strong>fields</strong>: the answer&#39;s JSON (the whole answer, a fenced block, or the first object among prose, which is allowed and counted) checked against the schema the suite&#39;s field declarations make (every field present and of its type; under a strict schema, no other field): no JSON or a broken schema is <em>invalid</em>, with the reason. Each field is then compared by its type: text after NFKC, case and whitespace folding; amounts to the cent (currency signs and words, thousands separators allowed); dates as ISO days from English and Chinese writings; enums as text; lists as sets; nested objects field by field. An item is right when every field is; field accuracy, field-level micro F1 (a list&#39;s elements count one by one), and the JSON-valid and schema-valid rates are per model.</li>"
        case .agentState:
            return
                "<li><strong>agent-state</strong>: each user turn is sent with the task&#39;s tools; the calls the agent makes run in a bubblewrap sandbox on the suite&#39;s stateful Python classes and their results go back to it until it answers without a call (or reaches the step limit). After each turn, as BFCL&#39;s multi-turn checker judges: the ground truth&#39;s calls run on the same initial state, every public attribute of every class must be equal, and every result of the ground truth&#39;s calls must be among the agent&#39;s results so far. The task passes when every turn does; later turns are not sent after a failed one.</li>"
        case .allValues:
            return
                "<li><strong>all-values</strong>: every expected value appears in the answer as a whole word, after NFKC width, case and whitespace folding (RULER&#39;s string match over all references); one missing value is wrong. For long-context suites: needles, variables, frequent words and answers over a document.</li>"
        case .answered:
            return
                "<li><strong>answered</strong>: the model answered (any non-empty text passes, an empty answer is <em>invalid</em>); nothing about the answer is judged. Its score is the share of requests answered, not a measure of quality: for production traffic sampled with no label or reference answer, run for its cost, latency and routing.</li>"
        }
    }

    /// An off-peak window as the price sheet shows it.
    static func window(_ window: Price.Window) -> String {
        func time(_ minute: Int) -> String { String(format: "%02d:%02d", minute / 60, minute % 60) }
        let prices = [
            ("input", window.inputPerMillion), ("cached", window.cachedInputPerMillion),
            ("output", window.outputPerMillion),
        ]
        .compactMap { name, value in value.map { "\(name) \(String(format: "%.2f", $0))" } }
        return "; off-peak \(time(window.fromMinute))–\(time(window.toMinute)) UTC: " + prices.joined(separator: ", ")
    }

    static func manifest(_ summary: RunSummary) -> HTML {
        let run = summary.run
        var facts: HTML = "<dl><dt>run</dt><dd>\(run.id)</dd><dt>status</dt><dd>\(run.status.rawValue)</dd>"
        facts +=
            "<dt>started</dt><dd>\(SummaryJSON.timestamp(run.startedAt))</dd><dt>ended</dt><dd>\(run.endedAt.map(SummaryJSON.timestamp) ?? "-")</dd>"
        facts +=
            "<dt>plan</dt><dd>\(run.plan ?? "flags only")</dd><dt>Assay</dt><dd>\(run.assayVersion)</dd><dt>commit</dt><dd>\(run.gitCommit ?? "-")</dd>"
        facts +=
            "<dt>sandbox</dt><dd>\(run.sandbox ?? "no code ran")</dd><dt>epochs</dt><dd>\(run.epochs)</dd><dt>concurrency</dt><dd>\(run.concurrency)</dd>"
        facts +=
            "<dt>suites</dt><dd>\(run.suites.map { "\($0.id) (\($0.path), \($0.cases) cases)" }.joined(separator: "; "))</dd></dl>"
        return section("manifest", "Run manifest", facts)
    }
}
