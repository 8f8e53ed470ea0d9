import AssayCore
@testable import AssayGraders
import Testing

@Suite struct OCRGraderTests {
    func grader(_ settings: [String: JSONValue] = [:]) throws -> OCRGrader {
        let suite = Suite(
            id: "o", title: "o", kind: .ocr, grader: GraderSpec(name: .ocr, settings: settings),
            prompt: PromptTemplate(template: "Read it."), cases: [], directory: "evalsets/o")
        return try OCRGrader(settings: settings, suite: suite)
    }

    @Test func characterErrorsAreLevenshteinOverScalars() throws {
        let rates = try grader().rates(reference: "abcdef", hypothesis: "abXdefg")
        #expect(rates.characterEdits == 2)  // one substitution, one insertion
        #expect(rates.referenceCharacters == 6)
        #expect(abs(rates.cer - 2.0 / 6.0) < 1e-12)
    }

    @Test func whitespaceIsIgnoredForCERUnlessKept() throws {
        // jiwer keeps spaces ("ab cd" vs "abcd" is 0.2); Assay drops them by default.
        #expect(try grader().rates(reference: "ab cd", hypothesis: "abcd").cer == 0)
        #expect(try grader(["keep_whitespace": true]).rates(reference: "ab cd", hypothesis: "abcd").characterEdits == 1)
    }

    @Test func fullWidthAndCJKPunctuationMapToASCII() throws {
        let rates = try grader().rates(reference: "你好，世界。「测试」", hypothesis: "你好,世界.\"测试\"")
        #expect(rates.characterEdits == 0)
        #expect(try grader().rates(reference: "ＡＢＣ１２３", hypothesis: "ABC123").characterEdits == 0)
    }

    @Test func caseIsFoldedUnlessTheSuiteSaysOtherwise() throws {
        #expect(try grader().rates(reference: "Total", hypothesis: "TOTAL").characterEdits == 0)
        #expect(try grader(["case_sensitive": true]).rates(reference: "Total", hypothesis: "TOTAL").characterEdits == 4)
    }

    @Test func wordsSplitOnSpacesAndEveryCJKCharacter() throws {
        let rates = try grader().rates(reference: "Milk 2 3.50\n牛奶 2", hypothesis: "Milk 2 3.60\n牛乳 2")
        #expect(rates.referenceWords == 6)  // Milk, 2, 3.50, 牛, 奶, 2
        #expect(rates.wordEdits == 2)
    }

    @Test func anEmptyReferenceNeverDividesByZero() throws {
        #expect(try grader().rates(reference: "", hypothesis: "").cer == 0)
        #expect(try grader().rates(reference: "", hypothesis: "noise").cer == 1)
        #expect(try grader().rates(reference: "  ", hypothesis: "").wer == 0)
    }

    @Test func theThresholdDecidesAndTheEvidenceKeepsCounts() async throws {
        let item = Case(id: "i", input: ["image": "x.png"], expected: ["text": "INV-2026-0042 total 12.50"], line: 1)
        let suite = Suite(
            id: "o", title: "o", kind: .ocr, grader: GraderSpec(name: .ocr, settings: ["cer_threshold": 0.1]),
            prompt: PromptTemplate(template: "Read it."), cases: [item], directory: "evalsets/o")
        let grader = try Graders.make(for: suite)
        let close = await grader.grade(item, answer: "```\nINV-2026-0042 total 12.60\n```")
        #expect(close.outcome == .pass, "one edit in 23 characters (spaces ignored), fence dropped")
        #expect(close.evidence["char_edits"] == 1)
        #expect(close.evidence["ref_chars"] == 23)
        let far = await grader.grade(item, answer: "INV total")
        #expect(far.outcome == .fail)
    }
}
