import AssayCore
@testable import AssayGraders
import Testing

@Suite struct LabelGraderTests {
    static let labels: JSONValue = ["正面": ["积极", "好评", "positive"], "负面": ["消极", "差评", "negative"]]

    func grader(cases: [Case] = [], labels: JSONValue = labels) throws -> LabelGrader {
        let suite = Suite(
            id: "zh", title: "zh", kind: .classification,
            grader: GraderSpec(name: .label, settings: ["labels": labels]),
            prompt: PromptTemplate(template: "{{text}}"), cases: cases, directory: "evalsets/zh")
        return try LabelGrader(settings: suite.grader.settings, suite: suite)
    }

    func grade(_ answer: String, expected: String = "正面") async throws -> Grade {
        let item = Case(id: "a", input: ["text": "x"], expected: ["label": .string(expected)], line: 1)
        return try await grader(cases: [item]).grade(item, answer: answer)
    }

    @Test(arguments: [
        "正面", "正面。", "「正面」", "**正面**", "情感：正面", "积极", "好评！",
        "Positive", "POSITIVE", "ＰＯＳＩＴＩＶＥ", "\"positive\"", "The sentiment is positive.", "正面 (positive)",
    ])
    func theLabelOrASynonymIsFound(answer: String) async throws {
        let grade = try await grade(answer)
        #expect(grade.outcome == .pass, "\(answer)")
        #expect(grade.extracted == "正面")
    }

    @Test func traditionalCharactersFoldToSimplified() async throws {
        #expect(try await grade("負面", expected: "负面").outcome == .pass)
        #expect(try await grade("這是負面評價，消極", expected: "负面").extracted == "负面")
    }

    @Test func twoLabelsAreAmbiguousNoneIsInvalid() async throws {
        let both = try await grade("可能是正面，也可能是负面")
        #expect(both.outcome == .fail)
        #expect(both.evidence["ambiguous"] == true)
        #expect(both.evidence["mentioned"] == ["正面", "负面"])
        #expect(both.extracted == nil)
        let mixed = try await grade("positive, or rather negative")
        #expect(mixed.rule == "2 labels named: ambiguous")
        let none = try await grade("我不确定")
        #expect(none.outcome == .invalid)
        #expect(none.rule == "no declared label named")
    }

    /// Escalation by confidence (seed 001): an answer that is more than a label is off the
    /// labels, graded as usual but marked, so that a router can send it on.
    @Test func anAnswerThatIsMoreThanALabelIsOffTheLabels() async throws {
        for bare in ["正面", "正面。", "「正面」", "**正面**", "Positive", " positive!\n", "正面 (positive)", "积极"] {
            let grade = try await grade(bare)
            #expect(grade.outcome == .pass && grade.evidence["off_label"] == nil, "\(bare): a label alone")
        }
        for hedged in ["The sentiment is positive.", "情感：正面", "probably positive", "正面吧", "positive, I think"] {
            let grade = try await grade(hedged)
            #expect(grade.outcome == .pass, "\(hedged): still graded right")
            #expect(grade.evidence["off_label"] == true, "\(hedged): more than a label")
        }
        #expect(try await grade("我不确定").evidence["off_label"] == true, "no label at all")
        #expect(
            try await grade("正面，负面").evidence["off_label"] == nil, "two labels alone: ambiguous, not off the labels")
        #expect(try await grade("正面，负面").evidence["ambiguous"] == true)
    }

    @Test func latinLabelsMustStandAsWords() async throws {
        #expect(try await grade("nonpositive").outcome == .invalid)
        #expect(try await grade("positively").outcome == .invalid)
        #expect(try await grade("positive!").outcome == .pass)
    }

    @Test func aLongerMentionClaimsItsSpan() async throws {
        // "billing" inside "billing-support" must not also count; "技术支持" is one mention.
        let labels: JSONValue = ["support": ["技术支持", "技术"], "billing": ["账单"], "sales": []]
        let item = Case(id: "a", input: ["text": "x"], expected: ["label": "support"], line: 1)
        let grader = try grader(cases: [item], labels: labels)
        #expect(grader.mentions(in: "类别：技术支持").map(\.label) == ["support"])
        #expect(await grader.grade(item, answer: "support").outcome == .pass)
        #expect(await grader.grade(item, answer: "账单").outcome == .fail)
    }

    @Test func undeclaredExpectationsAndClashingSynonymsAreReported() {
        let bad = Case(id: "b", input: ["text": "x"], expected: ["label": "neutral"], line: 4)
        let error = #expect(throws: InputError.self) {
            try grader(cases: [bad], labels: ["正面": ["好"], "负面": ["好"]])
        }
        let text = error?.description ?? ""
        #expect(text.contains("'好' names both"))
        #expect(text.contains("evalsets/zh/cases.jsonl:4: case 'b': 'neutral' is not a declared label"))
    }
}
