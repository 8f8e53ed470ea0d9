import AssayAnalysis
import AssayCore
import Foundation

/// Number phrases shared by the comparison's Markdown and HTML.
enum ComparisonText {
    /// `+3.1 pts`.
    static func points(_ difference: Double) -> String {
        String(format: "%+.1f pts", difference * 100)
    }

    /// `(-2.0 to +8.3)`.
    static func interval(_ interval: (lower: Double, upper: Double)?) -> String {
        guard let interval else { return "" }
        return String(format: "(%+.1f to %+.1f)", interval.lower * 100, interval.upper * 100)
    }

    static func pValue(_ p: Double) -> String {
        p >= 0.001 ? String(format: "%.3f", p) : String(format: "%.1e", p)
    }

    /// What an item's answer was, in a few words: the extracted value, or the failure.
    static func answer(_ record: ItemRecord) -> String? {
        if record.status == .error { return "request failed: \(record.error ?? "?")" }
        return record.extracted ?? record.output
    }

    /// What the comparison's numbers rest on, when it is not plain: costs of another basis
    /// than full (and the assumption behind an estimate), and answers replayed from the cache
    /// (a side that replays the other's answers measures nothing new).
    static func notes(_ comparison: Comparison) -> [String] {
        var notes: [String] = []
        let base = comparison.baseStats, candidate = comparison.candidateStats
        if base.basis != .full || candidate.basis != .full {
            notes.append("cost basis: base \(base.basis.explanation), candidate \(candidate.basis.explanation)")
        }
        if let assumption = comparison.costAssumption { notes.append("estimated costs: \(assumption)") }
        for (name, stats) in [("base", base), ("candidate", candidate)] where stats.replayed > 0 {
            let when = stats.replayedAsked.map { " (\(ReplayText.firstAsked($0)))" } ?? ""
            notes.append(
                "the \(name) replayed \(stats.replayed) of its \(stats.n) paired answers from the response cache\(when): the same answers, "
                    + "grades and costs as the request that first asked them, and no timing (latency and TTFT are over fresh answers only)"
            )
        }
        return notes
    }

    /// Each suite, then all of them together when there are several.
    static func suiteRows(_ comparison: Comparison) -> [(suite: SuiteComparison, isOverall: Bool)] {
        comparison.suites.map { ($0, false) } + (comparison.suites.count > 1 ? [(comparison.overall, true)] : [])
    }

    struct Row {
        var name: String
        var base: String
        var candidate: String
        var change: String
    }

    /// The headline rows: score, correct, cost, correct per dollar, p50 and p99, errors.
    static func sideRows(_ comparison: Comparison) -> [Row] {
        let base = comparison.baseStats, candidate = comparison.candidateStats
        func ms(_ value: Double?) -> String { value.map(Format.milliseconds) ?? "-" }
        func msChange(_ a: Double?, _ b: Double?) -> String {
            guard let a, let b else { return "-" }
            let change = b - a
            return String(format: abs(change) >= 100 ? "%+.0f ms" : "%+.1f ms", change)
        }
        let costChange =
            comparison.costChangePercent.map { $0.isInfinite ? "from $0" : String(format: "%+.1f%%", $0) } ?? "-"
        var valueChange = "-"
        if let a = base.correctPerDollar, let b = candidate.correctPerDollar, a > 0 {
            valueChange = String(format: "%+.1f%%", (b - a) / a * 100)
        }
        return [
            Row(
                name: "score", base: base.score.map(Format.percent) ?? "-",
                candidate: candidate.score.map(Format.percent) ?? "-",
                change: points(comparison.overall.difference)),
            Row(
                name: "correct", base: "\(base.correct) of \(base.n)",
                candidate: "\(candidate.correct) of \(candidate.n)",
                change: String(format: "%+d", candidate.correct - base.correct)),
            Row(
                name: "cost", base: Format.money(base.cost), candidate: Format.money(candidate.cost), change: costChange
            ),
            Row(
                name: "correct per $", base: Format.value(base.qualityPerDollar),
                candidate: Format.value(candidate.qualityPerDollar), change: valueChange),
            Row(
                name: "p50 latency", base: ms(base.latency.p50Ms), candidate: ms(candidate.latency.p50Ms),
                change: msChange(base.latency.p50Ms, candidate.latency.p50Ms)),
            Row(
                name: "p99 latency", base: ms(base.latency.p99Ms), candidate: ms(candidate.latency.p99Ms),
                change: msChange(base.latency.p99Ms, candidate.latency.p99Ms)),
            Row(
                name: "failed requests", base: String(base.errors), candidate: String(candidate.errors),
                change: String(format: "%+d", candidate.errors - base.errors)),
        ]
    }
}
