import AssayCore
import AssayEvalSets
import AssayGraders
import AssayTestSupport
import Foundation
import Testing

/// A grader's complaint about one of its settings points at that setting's line in
/// suite.yaml, as every other problem in the file does.
@Suite struct GraderSettingLinesTests {
    static func problems(grader yaml: String, cases: String) throws -> [String] {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write(
            "suite/suite.yaml",
            """
            id: s
            kind: ocr
            prompt: "Read it."
            grader:
            \(yaml)
            """)
        try dir.write("suite/cases.jsonl", cases + "\n")
        let suite = try SuiteLoader.load(dir.path("suite"))
        do {
            _ = try Graders.make(for: suite, context: GraderContext())
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    @Test func eachBadSettingIsReportedAtItsLine() throws {
        let problems = try Self.problems(
            grader: """
                  name: ocr
                  case_sensitive: maybe
                  cer_threshold: 2
                  colour: blue
                """, cases: #"{"id": "a", "input": {"text": "x"}, "expected": {"text": "x"}}"#)
        #expect(
            problems.contains { $0.hasSuffix("suite.yaml:6: grader setting 'case_sensitive' must be true or false") },
            "\(problems)")
        #expect(
            problems.contains { $0.hasSuffix("suite.yaml:7: grader setting 'cer_threshold' must be from 0 to 1") },
            "\(problems)")
        #expect(
            problems.contains { $0.contains("suite.yaml:8: the ocr grader takes no setting 'colour'") }, "\(problems)")
    }
}
