import AssayAnalysis
import AssayCore

// What the run's traffic met: an open-loop load's rate and backlog, and every attempt.
extension HTMLReport {
    /// The open-loop load (`--rate`), when the run was one: what it achieved, and the
    /// latency under it.
    static func loadNote(_ summary: RunSummary) -> HTML {
        let lines = LoadText.lines(summary)
        guard !lines.isEmpty else { return "" }
        return "<h3>Under load</h3>\n<ul>" + lines.map { "<li>\($0)</li>" as HTML }.joined() + "</ul>\n"
    }

    /// A run that workers shared: the rate the run achieved as a whole at each endpoint, and
    /// each worker's part. Empty for a run of one process.
    static func workersNote(_ summary: RunSummary) -> HTML {
        let workers = TrafficText.workerLines(summary.run)
        guard !workers.isEmpty else { return "" }
        let whole = (summary.run.traffic ?? []).map { "<li>run as a whole: \(TrafficText.line($0))</li>" as HTML }
            .joined()
        return "<h3>Workers</h3>\n<ul>" + whole + workers.map { "<li>\($0)</li>" as HTML }.joined() + "</ul>\n"
    }

    /// Attempts before retries, per model and per base URL (region): availability, how the
    /// failed ones failed, and the latency of those that succeeded. Empty when the run made
    /// no attempt (answered from the cache, or stored before Assay kept them).
    static func attemptsTable(_ summary: RunSummary) -> HTML {
        guard !summary.attempts.isEmpty else { return "" }
        var rows: HTML = ""
        for group in summary.attempts.models + summary.attempts.baseURLs {
            let tally = group.tally
            let name: HTML =
                group.endpoint == nil
                ? "\(group.name)"
                : "<span class=\"muted\">\(group.endpoint ?? "")</span> \(group.baseURL ?? "(no URL)")"
            let counts: HTML = [
                tally.attempts, tally.rateLimited, tally.server, tally.timeouts, tally.connection, tally.other,
            ]
            .map { "<td class=\"num\">\($0)</td>" }.joined()
            let latency: HTML = [tally.latency.p50Ms, tally.latency.p99Ms].map {
                "<td class=\"num\">\($0.map(Format.milliseconds) ?? "-")</td>"
            }.joined()
            rows +=
                "<tr><td>\(name)</td><td class=\"num\">\(AttemptText.availability(tally))</td>\(counts)\(latency)</tr>\n"
        }
        return """
            <h3>Attempts before retries</h3>
            <div class="scroll"><table><thead><tr><th>model, or endpoint and base URL</th><th class="num">availability</th><th class="num">attempts</th><th class="num">429</th><th class="num">5xx</th><th class="num">timeout</th><th class="num">connection</th><th class="num">other</th><th class="num">p50</th><th class="num">p99</th></tr></thead><tbody>
            \(rows)</tbody></table></div>
            <p class="muted">Every request sent, retries included, as an SLA counts them: availability is the share of attempts that got a whole answer (an item answered on its third attempt is one right answer above and two failed attempts here). Latency of the attempts that succeeded, per region.</p>
            """
    }
}
