import AssayAnalysis
import AssayCore
import Foundation
import Testing

/// Typed grade evidence reads the JSON stores already hold, and writes the same JSON back.
@Suite struct GradeEvidenceTests {
    /// Evidence as `ResultRecord` reads it from the store's `evidence` column.
    func stored(_ json: String) throws -> [String: JSONValue] {
        try JSONDecoder().decode([String: JSONValue].self, from: Data(json.utf8))
    }

    /// The evidence column's text, as `ResultRecord` writes it.
    func column(_ evidence: some GradeEvidence) -> String { JSONValue.object(evidence.evidence).compactJSON }

    @Test func labelEvidenceReadsAndWritesTheStoredKeys() throws {
        let json = #"{"ambiguous":true,"expected":"pos","mentioned":["pos","neg"],"off_label":true}"#
        let label = try #require(LabelEvidence(evidence: stored(json)))
        #expect(label == LabelEvidence(expected: "pos", mentioned: ["pos", "neg"], offLabel: true, ambiguous: true))
        #expect(column(label) == json)
        let one = #"{"expected":"neg","matched":"Negative","mentioned":["neg"]}"#
        let matched = try #require(LabelEvidence(evidence: stored(one)))
        #expect(matched.matched == "Negative" && !matched.ambiguous && !matched.offLabel)
        #expect(column(matched) == one)
        #expect(
            column(LabelEvidence(reason: "the case has no expected label"))
                == #"{"reason":"the case has no expected label"}"#)
        #expect(LabelEvidence(evidence: try stored(#"{"char_edits":1,"ref_chars":2}"#)) == nil)
    }

    @Test func ocrEvidenceReadsAndWritesTheStoredKeys() throws {
        let json = #"{"cer":0.25,"char_edits":1,"ref_chars":4,"ref_words":1,"threshold":0.05,"wer":1.0,"word_edits":1}"#
        let ocr = try #require(OCREvidence(evidence: stored(json)))
        #expect(
            ocr.characterEdits == 1 && ocr.referenceCharacters == 4 && ocr.wordEdits == 1 && ocr.referenceWords == 1)
        #expect(ocr.cer == 0.25 && ocr.wer == 1 && ocr.threshold == 0.05)
        #expect(try stored(column(ocr)) == stored(json))
        #expect(OCREvidence(evidence: try stored(#"{"char_edits":1}"#)) == nil, "both character counts are required")
    }

    @Test func codeEvidenceReadsAndWritesTheStoredKeys() throws {
        let json =
            #"{"assertion":"assert f(2) == 4","candidate_cpu_ms":1.5,"code":"def f(x): return x","error":"AssertionError","execution":"failed","output_truncated":true,"sandbox":"bubblewrap","signal":9,"wall_ms":12.3}"#
        let code = try #require(CodeEvidence(evidence: stored(json)))
        #expect(code.execution == "failed" && code.assertion == "assert f(2) == 4" && code.error == "AssertionError")
        #expect(
            code.signal == 9 && code.outputTruncated && code.wallMilliseconds == 12.3
                && code.candidateCPUMilliseconds == 1.5)
        #expect(column(code) == json)
        #expect(column(CodeEvidence(execution: "not run")) == #"{"execution":"not run"}"#)
    }

    @Test func numericAndMathEvidenceWriteTheStoredKeys() throws {
        let numeric = NumericEvidence(expected: "3", value: "3.0", compared: "within tolerance")
        #expect(column(numeric) == #"{"compared":"within tolerance","expected":"3","value":"3.0"}"#)
        #expect(NumericEvidence(evidence: try stored(column(numeric))) == numeric)
        let math = MathEvidence(expected: "\\frac{1}{2}", reason: "not decided: budget")
        #expect(MathEvidence(evidence: try stored(column(math))) == math)
        #expect(MathEvidence(evidence: [:]) == nil)
    }

    @Test func gradesReadTheirEvidenceOnlyThroughTheirKind() throws {
        let label = Grade(outcome: .fail, score: 0, evidence: LabelEvidence(expected: "pos", ambiguous: true))
        #expect(label.labelEvidence?.ambiguous == true)
        #expect(
            label.ocrEvidence == nil && label.codeEvidence == nil && label.toolCallMismatch == nil
                && label.toolCalls == nil)
        let code = Grade(
            outcome: .fail, score: 0, evidence: CodeEvidence(execution: "failed", assertion: "assert False"))
        #expect(code.codeEvidence?.assertion == "assert False")
        #expect(code.labelEvidence == nil)
    }

    /// An OCR result read from an old store pools as it did (the metrics read typed evidence).
    @Test func metricsFromStoredEvidenceAreUnchanged() throws {
        let evidence = try stored(#"{"cer":0.5,"char_edits":2,"ref_chars":4,"ref_words":2,"word_edits":1}"#)
        let result = ItemResult(
            runID: "r", suiteID: "o", caseID: "c", model: "m", epoch: 1, requestHash: "h", status: .graded,
            grade: Grade(outcome: .fail, score: 0, evidence: evidence))
        let metrics = try #require(OCRMetrics.compute([result]))
        #expect(
            metrics.characterEdits == 2 && metrics.referenceCharacters == 4 && metrics.wordEdits == 1
                && metrics.referenceWords == 2)
        #expect(metrics.meanItemCER == 0.5)
    }
}

/// The prompt routing reads off a stored result: the one the run stored, else (an older
/// store) the one its transcript gives.
@Suite struct RoutedPromptRecordTests {
    func result(prompt: String?, routed: RoutedPrompt?) -> ItemResult {
        ItemResult(
            runID: "r", suiteID: "s", caseID: "c", model: "m", epoch: 1, requestHash: "h", status: .graded,
            prompt: prompt, routedPrompt: routed)
    }

    @Test func anOlderResultIsReadFromItsTranscript() {
        let request = ChatRequest(
            model: "m",
            messages: [
                ChatMessage(role: .system, text: "Be brief."),
                ChatMessage(role: .user, parts: [.text("Which label?"), .imageURL("data:,x")]),
            ])
        let record = ItemRecord(result(prompt: request.transcript, routed: nil), kind: nil)
        #expect(record.prompt == request.routedPrompt)
        #expect(ItemRecord(result(prompt: nil, routed: nil), kind: nil).prompt == nil)
    }

    @Test func theStoredPromptWinsOverTheTranscript() {
        let transcript = "user: [image] as words"
        #expect(
            ItemRecord(result(prompt: transcript, routed: nil), kind: nil).prompt?.hasImage == true,
            "an older row: the transcript's marker")
        let typed = ItemRecord(result(prompt: transcript, routed: RoutedPrompt(text: "[image] as words")), kind: nil)
        #expect(typed.prompt?.hasImage == false, "the typed prompt: text, no image")
    }
}
