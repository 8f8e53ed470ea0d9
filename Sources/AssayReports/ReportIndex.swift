import AssayAnalysis
import AssayCore
import AssayStore
import Foundation
import SystemPackage

/// `reports/index.html`: every run in the store, newest first, with its date, plan,
/// models, headline numbers (from its summary.json, when its reports were written) and links.
enum ReportIndex {
    static func write(under reportsDirectory: String, store: any RunStore) async throws {
        let runs = try await store.runs()
        var rows: HTML = ""
        for run in runs where RunManifest.isSafeID(run.id) {
            let directory = FilePath(reportsDirectory).appending(run.id).string
            let summaryPath = FilePath(directory).appending("summary.json").string
            var headline: HTML = "<span class=\"muted\">no report yet: <code>assay report \(run.id)</code></span>"
            var link: HTML = "\(run.id)"
            // JSONParser, not JSONDecoder: this page reads every run's summary.json at the end
            // of every run and report, and JSONDecoder into `JSONValue` took 1.5 s a report
            // with 200 runs in the store (measured for issue 33).
            if let data = FileManager.default.contents(atPath: summaryPath),
                let summary = try? JSONParser.parse(data)
            {
                link = "<a href=\"\(run.id)/index.html\">\(run.id)</a>"
                let best = summary["rankings"]?["by_score"]?.arrayValue?.first?.stringValue
                let value = summary["rankings"]?["by_quality_per_dollar"]?.arrayValue?.first?.stringValue
                let bestScore = summary["models"]?.arrayValue?.first { $0["model"]?.stringValue == best }?["score"]?
                    .doubleValue
                headline = "best: \(best ?? "-") \(bestScore.map(Format.percent) ?? "")<br>best value: \(value ?? "-")"
                headline +=
                    "<br><a href=\"\(run.id)/summary.md\">md</a> · <a href=\"\(run.id)/report.xml\">xml</a> · <a href=\"\(run.id)/junit.xml\">junit</a> · <a href=\"\(run.id)/summary.json\">json</a>"
            }
            if let label = run.label { link += "<br><strong>\(label.text)</strong>" }
            rows +=
                "<tr><td>\(link)</td><td>\(SummaryJSON.timestamp(run.startedAt))</td><td>\(run.status.rawValue)</td><td>\(run.plan ?? "-")</td>"
            rows +=
                "<td>\(run.models.joined(separator: ", "))</td><td>\(run.suites.map(\.id).joined(separator: ", "))</td><td>\(headline)</td></tr>\n"
        }
        let page: HTML = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
            <title>Assay runs</title><style>\(HTMLAssets.style)</style></head>
            <body><main><h1>Assay runs</h1><p class="muted">\(runs.count) runs in \(store.location), newest first.</p>
            <div class="scroll"><table><thead><tr><th>run</th><th>started</th><th>status</th><th>plan</th><th>models</th><th>suites</th><th>headline</th></tr></thead><tbody>
            \(rows)</tbody></table></div></main></body></html>

            """
        try ReportFiles.writeText(page.markup, to: FilePath(reportsDirectory).appending("index.html").string)
    }
}
