import AssayAnalysis
import AssayCore

/// What `assay route simulate` and `assay route compare` print: per suite, the policy's
/// expected score, cost per 1,000 requests and latency; how often each rule and fallback
/// fired. As a text table, Markdown, or JSON (`routes` in `comparison.json`).
public enum RouteReport {
    /// One policy, or several side by side (a column group each).
    public static func text(_ routes: [RouteSimulation], run: String) -> String {
        var out = "routing over run \(run): stored answers only, no new requests\n\n"
        var header = ["suite", "n"]
        for route in routes {
            header +=
                routes.count == 1
                ? ["score", "cost/1k", "p50 ms", "p95 ms", "p99 ms"]
                : ["\(route.policy): score", "cost/1k", "p50 ms", "p99 ms"]
        }
        var rows = [header]
        for suite in rowNames(routes) {
            let columns = routes.map { Self.stats($0, suite) }
            var row = [suite ?? "all", String(columns.compactMap { $0?.n }.max() ?? 0)]
            for entry in columns {
                row += cells(entry, withP95: routes.count == 1)
            }
            rows.append(row)
        }
        out += TextTable.render(rows, rightAligned: Set(1..<header.count))
        if routes.contains(where: { $0.suites.contains(where: \.costOutputOnly) }) {
            out += "* cost covers output tokens only: the input prices are not quoted\n"
        }
        for route in routes {
            if let weighted = route.weighted { out += "\n\(route.policy) \(weighted.line)\n" }
            if let tally = route.side.attempts {
                out +=
                    "\(route.policy): availability \(AttemptText.availability(tally)) (\(tally.succeeded) of the \(tally.attempts) attempts its requests made succeeded)\n"
            }
        }
        for route in routes {
            out += "\n\(route.policy): how often each rule fired\n"
            var ruleRows = [["rule", "model", "items", "fell back", "to"]]
            for rule in route.rules {
                ruleRows.append([
                    rule.name, rule.model, String(route.ruleCounts[rule.name] ?? 0),
                    rule.fallback == nil ? "-" : String(route.fallbackCounts[rule.name] ?? 0),
                    rule.fallback?.model ?? "-",
                ])
            }
            out += TextTable.render(ruleRows, rightAligned: [2, 3])
            if route.unrouted > 0 {
                out +=
                    "\(route.unrouted) items matched no rule and were left out (add a last rule with no match as the default)\n"
            }
            for rule in route.rules {
                guard let firing = route.firings[rule.name] else { continue }
                out +=
                    "rule '\(rule.name)' failed over at \(firing.firstItem), after \(firing.afterAnswers) answers of \(rule.model): "
                out +=
                    "\(firing.reason); \(firing.items) items went to \(rule.fallback?.model ?? "the fallback") unasked\n"
            }
        }
        return out
    }

    /// The suites of any of the policies, in order, then nil for all of them together.
    static func rowNames(_ routes: [RouteSimulation]) -> [String?] {
        let suites = routes.flatMap { $0.suites.map(\.suite) }.reduce(into: [String]()) {
            if !$0.contains($1) { $0.append($1) }
        }
        return suites + [nil]
    }

    /// A policy's numbers on a suite (nil: all suites together).
    static func stats(_ route: RouteSimulation, _ suite: String?) -> RouteSimulation.SuiteStats? {
        guard let suite else { return route.overall }
        return route.suites.first { $0.suite == suite }
    }

    static func cells(_ stats: RouteSimulation.SuiteStats?, withP95: Bool) -> [String] {
        guard let stats else { return withP95 ? ["-", "-", "-", "-", "-"] : ["-", "-", "-", "-"] }
        let score = stats.score.map(Format.percent) ?? "-"
        let cost = Format.money(stats.costPerThousand) + (stats.costOutputOnly ? "*" : "")
        let latency =
            withP95
            ? [stats.latency.p50Ms, stats.latency.p95Ms, stats.latency.p99Ms]
            : [stats.latency.p50Ms, stats.latency.p99Ms]
        return [score, cost] + latency.map { $0.map(Format.milliseconds) ?? "-" }
    }

    /// The same tables in Markdown, for summary.md.
    public static func markdown(_ routes: [RouteSimulation]) -> String {
        var out =
            "| suite | " + routes.map { "\(cell($0.policy)): score | cost/1k | p50 / p99 ms" }.joined(separator: " | ")
            + " |\n"
        out += "|---|" + routes.map { _ in "---:|---:|---:" }.joined(separator: "|") + "|\n"
        for suite in rowNames(routes) {
            out += "| \(suite == nil ? "**all**" : "`\(cell(suite ?? ""))`") |"
            for route in routes {
                if let stats = stats(route, suite) {
                    let latency =
                        "\(stats.latency.p50Ms.map(Format.milliseconds) ?? "-") / \(stats.latency.p99Ms.map(Format.milliseconds) ?? "-")"
                    out +=
                        " \(stats.score.map(Format.percent) ?? "-") | \(Format.money(stats.costPerThousand)) | \(latency) |"
                } else {
                    out += " - | - | - |"
                }
            }
            out += "\n"
        }
        for route in routes {
            let fired = route.rules.map { rule in
                let fallback =
                    rule.fallback.map { ", \(route.fallbackCounts[rule.name] ?? 0) fell back to \(cell($0.model))" }
                    ?? ""
                return "\(cell(rule.name)) → \(cell(rule.model)): \(route.ruleCounts[rule.name] ?? 0)\(fallback)"
            }
            out += "\n**\(cell(route.policy))**: " + fired.joined(separator: "; ") + ".\n"
        }
        return out
    }

    /// Figures weighted by a traffic mix, with each share's weight and items.
    static func weighted(_ stats: WeightedStats) -> JSONValue {
        [
            "traffic": .string(stats.source), "score": stats.score.map(JSONValue.double) ?? .null,
            "cost_per_1k": .double(stats.costPerThousand),
            "p50_ms": stats.p50Ms.map(JSONValue.double) ?? .null, "p99_ms": stats.p99Ms.map(JSONValue.double) ?? .null,
            "unmatched_items": .int(stats.unmatched),
            "shares": .array(
                stats.shares.map {
                    [
                        "name": .string($0.name), "weight": .double($0.weight), "items": .int($0.items),
                        "score": $0.score.map(JSONValue.double) ?? .null,
                    ]
                }),
        ]
    }

    public static func document(_ route: RouteSimulation) -> JSONValue {
        func stats(_ stats: RouteSimulation.SuiteStats) -> JSONValue {
            [
                "suite": .string(stats.suite),
                "n": .int(stats.n),
                "score": stats.score.map(JSONValue.double) ?? .null,
                "cost_per_1k": .double(stats.costPerThousand),
                "cost_output_only": .bool(stats.costOutputOnly),
                "latency_ms": SummaryJSON.latency(stats.latency),
            ]
        }
        return [
            "policy": .string(route.policy),
            "suites": .array(route.suites.map(stats)),
            "overall": stats(route.overall),
            "unrouted": .int(route.unrouted),
            "weighted": route.weighted.map(weighted) ?? .null,
            "attempts": route.side.attempts.map { tally in
                [
                    "attempts": .int(tally.attempts), "succeeded": .int(tally.succeeded),
                    "availability": tally.availability.map(JSONValue.double) ?? .null,
                ]
            } ?? .null,
            "rules": .array(
                route.rules.map { rule in
                    [
                        "name": .string(rule.name),
                        "model": .string(rule.model),
                        "items": .int(route.ruleCounts[rule.name] ?? 0),
                        "fallback_model": rule.fallback.map { .string($0.model) } ?? .null,
                        "fell_back": rule.fallback == nil ? .null : .int(route.fallbackCounts[rule.name] ?? 0),
                        "failover": route.firings[rule.name].map { firing in
                            [
                                "first_item": .string(firing.firstItem.description),
                                "after_answers": .int(firing.afterAnswers),
                                "reason": .string(firing.reason), "items": .int(firing.items),
                            ]
                        } ?? .null,
                    ]
                }),
        ]
    }

    public static func json(_ route: RouteSimulation) -> String {
        var object = document(route).objectValue ?? [:]
        object["schema"] = "assay.route/1"
        return JSONValue.object(object).prettyJSON
    }

    static func cell(_ text: String) -> String { SummaryMarkdown.cell(text) }
}
