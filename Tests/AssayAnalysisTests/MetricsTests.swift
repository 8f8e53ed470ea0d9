import AssayAnalysis
import AssayCore
import Foundation
import Testing

@Suite struct ClassificationMetricsTests {
    /// A hand-checked table: truth x prediction.
    ///   A: 3 right, 1 predicted B, 1 invalid      (support 5)
    ///   B: 2 right, 1 predicted A                  (support 3)
    ///   C: 0 right, 1 ambiguous, 1 error           (support 2)
    static let pairs: [(truth: String, prediction: String)] =
        Array(repeating: ("A", "A"), count: 3) + [("A", "B"), ("A", "(invalid)")]
        + Array(repeating: ("B", "B"), count: 2)
        + [("B", "A"), ("C", "(ambiguous)"), ("C", "(error)")]

    @Test func macroF1CountsInvalidAnswersAgainstRecallOnly() throws {
        let metrics = ClassificationMetrics.compute(pairs: Self.pairs, labels: ["A", "B", "C"])
        // A: TP 3, FP 1 (a B predicted A), FN 2 -> F1 = 6 / 9.
        // B: TP 2, FP 1, FN 1 -> F1 = 4 / 6.   C: TP 0, FP 0, FN 2 -> F1 = 0.
        let a = try #require(metrics.perLabel["A"])
        #expect(a.f1 == 6.0 / 9.0)
        #expect(a.precision == 0.75)
        #expect(a.recall == 0.6)
        #expect(a.support == 5)
        #expect(metrics.perLabel["B"]?.f1 == 4.0 / 6.0)
        #expect(metrics.perLabel["C"]?.f1 == 0)
        #expect(metrics.perLabel["C"]?.precision == nil, "never predicted: precision undefined")
        let macro = try #require(metrics.macroF1)
        #expect(abs(macro - (6.0 / 9.0 + 4.0 / 6.0 + 0) / 3) < 1e-12)
        #expect(metrics.accuracy == 0.5)
        #expect(metrics.confusion["A"] == ["A": 3, "B": 1, "(invalid)": 1])
        #expect(metrics.confusion["C"] == ["(ambiguous)": 1, "(error)": 1])
        #expect(metrics.perLabel["(invalid)"] == nil, "invalid is never a class")
    }

    @Test func aDeclaredLabelNobodyMetIsLeftOutOfTheMean() {
        let metrics = ClassificationMetrics.compute(pairs: [("A", "A"), ("B", "A")], labels: ["A", "B", "D"])
        #expect(metrics.perLabel["D"]?.f1 == nil)
        // A: 2*1/(2+1+0) = 2/3; B: 0. Mean over A and B only.
        #expect(metrics.macroF1 == (2.0 / 3.0 + 0) / 2)
    }

    @Test func withoutDeclaredLabelsTheTruthsAreTheClasses() {
        let metrics = ClassificationMetrics.compute(pairs: [("x", "x"), ("y", "z")], labels: nil)
        #expect(metrics.labels == ["x", "y"])
        #expect(metrics.perLabel["z"] == nil)
    }
}

@Suite struct OCRMetricsTests {
    func result(_ id: String, edits: Int, length: Int) -> ItemResult {
        ItemResult(
            runID: "r", suiteID: "o", caseID: id, model: "m", epoch: 1, requestHash: id, status: .graded,
            grade: Grade(
                outcome: .fail, score: 0,
                evidence: [
                    "char_edits": .int(edits), "ref_chars": .int(length), "word_edits": .int(edits),
                    "ref_words": .int(length),
                    "cer": .double(length > 0 ? Double(edits) / Double(length) : 0),
                ]))
    }

    @Test func cerIsPooledNotAveraged() throws {
        // A two-character label read wrong and a 98-character page read right.
        let metrics = try #require(
            OCRMetrics.compute([result("label", edits: 2, length: 2), result("page", edits: 0, length: 98)]))
        #expect(metrics.cer == 0.02)
        #expect(metrics.meanItemCER == 0.5)
        #expect(metrics.items == 2)
        var failed = result("gone", edits: 0, length: 0)
        failed.status = .error
        failed.grade = nil
        #expect(OCRMetrics.compute([failed]) == nil, "failed requests are not pooled")
    }
}
