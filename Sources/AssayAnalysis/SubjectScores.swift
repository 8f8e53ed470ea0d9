import AssayCore

/// A suite's scores by subject in a line: "algebra 80% (8/10), geometry 40% (2/5)", subjects
/// by name. The same in the terminal, the HTML report and summary.md.
public enum SubjectScores {
    public static func text(_ subjects: [String: ScoreStats]) -> String {
        subjects.sorted { $0.key < $1.key }.map { subject, stats in
            "\(subject) \(stats.score.map(Format.percent) ?? "-") (\(stats.passed)/\(stats.n))"
        }.joined(separator: ", ")
    }
}
