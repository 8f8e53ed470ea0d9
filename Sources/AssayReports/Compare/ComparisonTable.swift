import AssayAnalysis

/// The comparison as `assay compare`, `assay gate` and `assay route compare` print it.
public enum ComparisonTable {
    public static func render(_ comparison: Comparison) -> String {
        var out = "\(comparison.base) -> \(comparison.candidate): \(comparison.overall.n) paired items"
        if comparison.onlyInBase + comparison.onlyInCandidate > 0 {
            out +=
                " (left out: \(comparison.onlyInBase) only in the base, \(comparison.onlyInCandidate) only in the candidate)"
        }
        out += "\n\n"
        var rows = [["suite", "n", "base", "candidate", "delta", "95% CI", "fixed", "broken", "McNemar p"]]
        for (suite, isOverall) in ComparisonText.suiteRows(comparison) {
            rows.append([
                isOverall ? "all" : suite.suite, String(suite.n), Format.percent(suite.baseScore),
                Format.percent(suite.candidateScore),
                ComparisonText.points(suite.difference), ComparisonText.interval(suite.interval), String(suite.fixed),
                String(suite.broken),
                ComparisonText.pValue(suite.mcnemarP),
            ])
        }
        out += TextTable.render(rows, rightAligned: [1, 2, 3, 4, 6, 7, 8]) + "\n"
        var sideRows = [["", "base", "candidate", "change"]]
        for row in ComparisonText.sideRows(comparison) {
            sideRows.append([row.name, row.base, row.candidate, row.change])
        }
        out += TextTable.render(sideRows, rightAligned: [1, 2, 3])
        if let (base, candidate) = comparison.weighted {
            out += "\nbase \(base.line)\ncandidate \(candidate.line)\n"
        }
        for note in ComparisonText.notes(comparison) { out += "! \(note)\n" }
        return out
    }
}
