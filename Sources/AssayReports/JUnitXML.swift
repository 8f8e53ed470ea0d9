import AssayAnalysis
import AssayCore

/// `junit.xml` for CI: a `<testsuite>` per model x suite, a `<testcase>` per item.
/// A wrong or invalid answer is a `<failure>` whose message carries what was expected and
/// what the model gave; a failed request is an `<error>` with its kind; an unsupported
/// item is `<skipped>`. Items arrive ordered by model and suite, so suites stream.
final class JUnitXML {
    private let writer: XMLWriter
    private let summary: RunSummary
    private var open: (model: String, suite: String)?

    init(path: String, summary: RunSummary) throws(ReportError) {
        writer = try XMLWriter(path: path)
        self.summary = summary
        let all = summary.models.reduce(ScoreStats()) { $0.merged($1.overall) }
        writer.start("testsuites")
        writer.attribute("name", "assay \(summary.run.id)")
        writer.attribute("tests", all.n + all.unsupported)
        writer.attribute("failures", all.failed + all.invalid)
        writer.attribute("errors", all.errors)
        writer.attribute("skipped", all.unsupported)
    }

    func add(_ result: ItemResult) {
        if open?.model != result.model || open?.suite != result.suiteID {
            if open != nil { writer.end() }
            startSuite(model: result.model, suite: result.suiteID)
        }
        writer.start("testcase")
        writer.attribute("classname", "\(result.suiteID).\(result.model)")
        writer.attribute("name", summary.run.epochs > 1 ? "\(result.caseID) #\(result.epoch)" : result.caseID)
        writer.attribute("time", ((result.timing?.latencyMs ?? 0) / 1000 * 1000).rounded() / 1000)
        switch result.status {
        case .unsupported:
            writer.empty(
                "skipped", [("message", "unsupported: \(result.errorMessage ?? "the model lacks a capability")")])
        case .fellBack:
            writer.empty("skipped", [("message", "fell back: \(result.errorMessage ?? "another model answered")")])
        case .error:
            writer.start("error")
            writer.attribute("type", result.errorKind?.rawValue ?? "error")
            writer.attribute("message", String((result.errorMessage ?? "the request failed").prefix(500)))
            writer.end()
        case .graded:
            if let grade = result.grade, grade.outcome != .pass {
                let got = String((grade.extracted ?? result.output ?? "").prefix(200))
                writer.start("failure")
                writer.attribute("type", grade.outcome.rawValue)
                let cut = result.finishReason == "length" ? " (cut off at max_tokens: the answer did not finish)" : ""
                writer.attribute(
                    "message",
                    "expected \(String((result.expected ?? "?").prefix(200))), got \(got.isEmpty ? "nothing" : got)\(cut)"
                )
                var details =
                    "rule: \(grade.rule ?? "-")\nexpected: \(result.expected ?? "-")\nanswer: \(String((result.output ?? "").prefix(4000)))"
                if let assertion = grade.codeEvidence?.assertion { details += "\nassertion: \(assertion)" }
                if let error = grade.codeEvidence?.error { details += "\nerror: \(error)" }
                writer.textContent(details)
                writer.end()
            }
        }
        writer.end()
    }

    func finish() throws(ReportError) {
        if open != nil { writer.end() }
        writer.end()
        try writer.finish()
    }

    private func startSuite(model: String, suite: String) {
        open = (model, suite)
        let stats = summary.model(model)?.suites.first { $0.suite == suite }
        writer.start("testsuite")
        writer.attribute("name", "\(model) / \(suite)")
        writer.attribute("tests", (stats?.stats.n ?? 0) + (stats?.stats.unsupported ?? 0))
        writer.attribute("failures", (stats?.stats.failed ?? 0) + (stats?.stats.invalid ?? 0))
        writer.attribute("errors", stats?.stats.errors ?? 0)
        writer.attribute("skipped", stats?.stats.unsupported ?? 0)
    }
}

extension ScoreStats {
    /// The counts of two sets of items together.
    func merged(_ other: ScoreStats) -> ScoreStats {
        var merged = self
        merged.n += other.n
        merged.passed += other.passed
        merged.failed += other.failed
        merged.invalid += other.invalid
        merged.errors += other.errors
        merged.unsupported += other.unsupported
        merged.scoreSum += other.scoreSum
        return merged
    }
}
