import AssayCore
import SystemPackage

/// Character and word error rates of a transcription against the expected text.
///
/// CER = (substitutions + deletions + insertions) / reference characters, by Levenshtein
/// distance over Unicode scalars after `TranscriptText.normalize`; whitespace is ignored
/// for CER by default (`keep_whitespace: true` keeps it, collapsed to single spaces), case is
/// folded by default (`case_sensitive: true` keeps it). WER is the same over words
/// (whitespace-separated, each CJK character a word). An empty reference never divides by
/// zero: its CER is 0 for an empty answer and 1 otherwise.
///
/// The item passes when its CER is at most `cer_threshold` (0.05). Its evidence keeps the
/// edit and reference counts, so a suite's CER is pooled: the sum of edits over the sum of
/// reference lengths (a mean of per-item CERs weighs a two-character label like a page).
public struct OCRGrader: Grader {
    let threshold: Double
    let caseSensitive: Bool
    let keepWhitespace: Bool

    static let settingKeys = ["cer_threshold", "case_sensitive", "keep_whitespace"]

    public init(settings: [String: JSONValue], suite: Suite) throws(InputError) {
        let file = FilePath(suite.directory).appending("suite.yaml").string
        var problems: [Diagnostic] = []
        threshold = settings["cer_threshold"]?.doubleValue ?? 0.05
        caseSensitive = settings["case_sensitive"]?.boolValue ?? false
        keepWhitespace = settings["keep_whitespace"]?.boolValue ?? false
        if !(0...1).contains(threshold) {
            problems.append(
                suite.grader.diagnostic(
                    "cer_threshold", file: file, "grader setting 'cer_threshold' must be from 0 to 1"))
        }
        for key in ["case_sensitive", "keep_whitespace"] where settings[key] != nil && settings[key]?.boolValue == nil {
            problems.append(suite.grader.diagnostic(key, file: file, "grader setting '\(key)' must be true or false"))
        }
        problems += suite.unknownGraderSettings(settings, grader: "ocr", allowed: Self.settingKeys)
        for item in suite.cases where (item.expected["text"]?.stringValue ?? item.expected.stringValue) == nil {
            problems.append(
                Diagnostic(
                    file: FilePath(suite.directory).appending("cases.jsonl").string, line: item.line,
                    "case '\(item.id)': the ocr grader needs 'expected.text'"))
        }
        if !problems.isEmpty { throw InputError(problems) }
    }

    public struct Rates: Sendable, Hashable {
        public var characterEdits: Int
        public var referenceCharacters: Int
        public var wordEdits: Int
        public var referenceWords: Int

        public var cer: Double { Self.rate(characterEdits, referenceCharacters) }
        public var wer: Double { Self.rate(wordEdits, referenceWords) }

        static func rate(_ edits: Int, _ length: Int) -> Double {
            length > 0 ? Double(edits) / Double(length) : (edits > 0 ? 1 : 0)
        }
    }

    public func rates(reference: String, hypothesis: String) -> Rates {
        let ref = TranscriptText.normalize(reference, caseSensitive: caseSensitive)
        let hyp = TranscriptText.normalize(TranscriptText.unfenced(hypothesis), caseSensitive: caseSensitive)
        let refCharacters = TranscriptText.characters(ref, keepWhitespace: keepWhitespace)
        let hypCharacters = TranscriptText.characters(hyp, keepWhitespace: keepWhitespace)
        let refWords = TranscriptText.words(ref)
        let hypWords = TranscriptText.words(hyp)
        return Rates(
            characterEdits: EditDistance.between(refCharacters, hypCharacters),
            referenceCharacters: refCharacters.count,
            wordEdits: EditDistance.between(refWords, hypWords), referenceWords: refWords.count)
    }

    public func grade(_ item: Case, answer: String) async -> Grade {
        let reference = item.expected["text"]?.stringValue ?? item.expected.stringValue ?? ""
        let rates = rates(reference: reference, hypothesis: answer)
        let pass = rates.cer <= threshold
        let evidence = OCREvidence(
            characterEdits: rates.characterEdits, referenceCharacters: rates.referenceCharacters,
            wordEdits: rates.wordEdits,
            referenceWords: rates.referenceWords, cer: rates.cer, wer: rates.wer, threshold: threshold)
        return Grade(
            outcome: pass ? .pass : .fail, score: pass ? 1 : 0, extracted: String(answer.prefix(200)),
            rule:
                "CER \(String(Int((rates.cer * 1000).rounded())))‰ against a threshold of \(String(Int((threshold * 1000).rounded())))‰",
            evidence: evidence)
    }
}
