import AssayCore
import AssayEvalSets
import AssayGraders
import AssayTestSupport
import Foundation
import Testing

/// Real HumanEval tasks (Tests/Fixtures/humaneval-excerpt.jsonl), imported as a user imports
/// them and graded as HumanEval's own harness grades them: each task's canonical solution
/// passes, and a body that returns None fails. Tasks 32, 33, 38 and 50 test with helpers
/// their prompt defines (`poly`, `encode_cyclic`, `encode_shift`), which the tests must see.
@Suite struct HumanEvalHarnessTests {
    static func importedSuite() throws -> (Suite, TempDirectory) {
        let dir = try TempDirectory()
        try HumanEvalImport.run(
            PackagePaths.root + "/Tests/Fixtures/humaneval-excerpt.jsonl", to: dir.path("humaneval"))
        return (try SuiteLoader.load(dir.path("humaneval")), dir)
    }

    func gradeAll(_ suite: Suite, answer: @escaping @Sendable (Case) -> String) async throws -> [(String, Grade)] {
        let grader = try Graders.make(for: suite, context: GraderContext(sandbox: try await SandboxTests.sandbox.value))
        return await withTaskGroup(of: (String, Grade).self) { group in
            for item in suite.cases {
                group.addTask { (item.id, await grader.grade(item, answer: answer(item))) }
            }
            var grades: [(String, Grade)] = []
            for await grade in group { grades.append(grade) }
            return grades.sorted { $0.0 < $1.0 }
        }
    }

    @Test func canonicalSolutionsPassIncludingThoseWhoseTestsUsePromptHelpers() async throws {
        let (suite, dir) = try Self.importedSuite()
        defer { dir.remove() }
        #expect(suite.cases.count == 9)
        #expect(suite.grader.settings["include_prompt"] == true)
        let grades = try await gradeAll(suite) { "```python\n\($0.expected["reference"]?.stringValue ?? "")\n```" }
        #expect(grades.count == 9)
        for (id, grade) in grades {
            #expect(grade.outcome == .pass, "\(id): \(grade.evidence)")
        }
    }

    @Test func aBodyThatReturnsNoneFailsEveryTask() async throws {
        let (suite, dir) = try Self.importedSuite()
        defer { dir.remove() }
        let grades = try await gradeAll(suite) { item in
            "```python\n\(item.input["prompt"]?.stringValue ?? "")    return None\n```"
        }
        #expect(grades.count == 9)
        for (id, grade) in grades {
            #expect(grade.outcome == .fail, "\(id): \(grade.evidence)")
        }
    }

    @Test func anAnswerWithoutThePromptsHelpersStillSeesThem() async throws {
        // HumanEval/38 tests call encode_cyclic, which only the prompt defines; a model that
        // answers with decode_cyclic alone is graded as HumanEval grades prompt + completion.
        let (suite, dir) = try Self.importedSuite()
        defer { dir.remove() }
        let item = try #require(suite.cases.first { $0.id == "HumanEval/38" })
        let grader = try Graders.make(for: suite, context: GraderContext(sandbox: try await SandboxTests.sandbox.value))
        let alone = "```python\ndef decode_cyclic(s: str):\n    return encode_cyclic(encode_cyclic(s))\n```"
        let grade = await grader.grade(item, answer: alone)
        #expect(grade.outcome == .pass, "\(grade.evidence)")
        // ... and cannot pass by redefining the helper the tests rely on.
        let cheat =
            "```python\ndef encode_cyclic(s: str):\n    return s\n\ndef decode_cyclic(s: str):\n    return s\n```"
        let cheated = await grader.grade(item, answer: cheat)
        #expect(cheated.outcome == .fail, "\(cheated.evidence)")
    }
}
