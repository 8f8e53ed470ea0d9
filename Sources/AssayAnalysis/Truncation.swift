import AssayCore

/// Answers cut off by `max_tokens`, in words: one line per model and suite that had any,
/// "deepseek-r1 on multistep-math: 12 of 66 answers cut off at max_tokens 768". A cut-off
/// answer is graded as usual; said this way, it is not read as an ordinary wrong one.
public enum Truncation {
    public static func lines(_ summary: RunSummary) -> [String] {
        summary.models.flatMap { model in
            model.suites.filter { $0.stats.truncated > 0 }.map { suite in
                let limit = summary.run.maxTokens(model: model.model, suite: suite.suite).map { " \($0)" } ?? ""
                return
                    "\(model.model) on \(suite.suite): \(suite.stats.truncated) of \(suite.stats.n) answers cut off at max_tokens\(limit)"
            }
        }
    }
}
