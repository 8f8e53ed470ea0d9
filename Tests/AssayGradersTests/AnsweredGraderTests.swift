import AssayCore
import AssayGraders
import Testing

@Suite struct AnsweredGraderTests {
    func suite(settings: [String: JSONValue] = [:]) -> Suite {
        Suite(
            id: "prod", title: "prod", kind: .chat, grader: GraderSpec(name: .answered, settings: settings),
            prompt: PromptTemplate(template: ""), cases: [item], directory: "evalsets/prod")
    }

    let item = Case(
        id: "a", input: ["messages": [["role": "user", "content": "hi"]]], expected: ["label": "greeting"], line: 1)

    @Test func anyAnswerPassesWithoutBeingJudged() async throws {
        let grader = try Graders.make(for: suite())
        for answer in ["Hello!", "greeting", "I cannot help with that.", String(repeating: "long ", count: 100)] {
            let grade = await grader.grade(item, answer: answer)
            #expect(grade.outcome == .pass && grade.score == 1, "\(answer)")
            #expect(grade.rule == "answered: recorded, not judged")
            #expect(grade.extracted.map { answer.hasPrefix($0) && $0.count <= 200 } == true)
        }
    }

    @Test func anEmptyAnswerIsInvalid() async throws {
        let grader = try Graders.make(for: suite())
        for answer in ["", " \n\t "] {
            let grade = await grader.grade(item, answer: answer)
            #expect(grade.outcome == .invalid && grade.score == 0)
        }
    }

    @Test func itTakesNoSettings() throws {
        let error = #expect(throws: InputError.self) { try Graders.make(for: suite(settings: ["threshold": 1])) }
        #expect(error?.description.contains("the answered grader takes no setting 'threshold'") == true)
    }
}
