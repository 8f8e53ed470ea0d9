import AssayCore
import AssayGraders
import Testing

@Suite struct ExactLabelGraderTests {
    func suite(_ cases: [Case], settings: [String: JSONValue] = [:]) -> Suite {
        Suite(
            id: "s", title: "s", kind: .classification, grader: GraderSpec(name: .exactLabel, settings: settings),
            prompt: PromptTemplate(template: "{{x}}"), cases: cases, directory: "evalsets/s")
    }

    let positive = Case(id: "a", input: ["x": "1"], expected: ["label": "Positive"], line: 1)

    func grade(_ answer: String, _ item: Case? = nil) async throws -> Grade {
        let item = item ?? positive
        let grader = try Graders.make(for: suite([item]))
        return await grader.grade(item, answer: answer)
    }

    @Test func trimmedCaseFoldedAnswersPass() async throws {
        for answer in ["Positive", "positive", "  POSITIVE\n", "\tpositive "] {
            let grade = try await grade(answer)
            #expect(grade.outcome == .pass, "\(answer.debugDescription)")
            #expect(grade.score == 1)
            #expect(grade.extracted == "positive")
        }
    }

    @Test func anythingElseFails() async throws {
        for answer in ["positive.", "It is positive", "negative", "pos itive"] {
            let grade = try await grade(answer)
            #expect(grade.outcome == .fail, "\(answer.debugDescription)")
            #expect(grade.score == 0)
            #expect(grade.evidence["expected"] == "Positive")
        }
    }

    @Test func anEmptyAnswerIsInvalid() async throws {
        #expect(try await grade("").outcome == .invalid)
        #expect(try await grade(" \n\t ").outcome == .invalid)
    }

    @Test func theExpectedLabelMayBeTextOrAnAnswer() async throws {
        let text = Case(id: "b", input: ["x": "1"], expected: "正面", line: 2)
        #expect(try await grade(" 正面 ", text).outcome == .pass)
        let answer = Case(id: "c", input: ["x": "1"], expected: ["answer": "Billing"], line: 3)
        #expect(try await grade("billing", answer).outcome == .pass)
    }

    @Test func settingsAndMissingLabelsAreRejectedWithTheirLines() {
        let unlabelled = Case(id: "d", input: ["x": "1"], expected: ["tests": "assert True"], line: 7)
        let error = #expect(throws: InputError.self) {
            try Graders.make(for: suite([positive, unlabelled], settings: ["labels": ["a"]]))
        }
        let text = error?.description ?? ""
        #expect(text.contains("evalsets/s/suite.yaml: the exact-label grader takes no setting 'labels'"))
        #expect(text.contains("evalsets/s/cases.jsonl:7: case 'd': the exact-label grader needs 'expected.label'"))
    }
}
