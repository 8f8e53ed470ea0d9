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

    /// Lines are where a setting was written, not what it means: a spec stored with a run
    /// (without them) equals the one read from the file.
    @Test func linesAreNotStoredNorCompared() throws {
        let read = GraderSpec(name: .ocr, settings: ["cer_threshold": 0.1], settingLines: ["cer_threshold": 6], line: 5)
        let stored = try JSONDecoder().decode(GraderSpec.self, from: JSONEncoder().encode(read))
        #expect(stored.settingLines.isEmpty && stored.line == nil)
        #expect(stored == read && stored.hashValue == read.hashValue)
        #expect(stored != GraderSpec(name: .ocr, settings: ["cer_threshold": 0.2]))
    }
}
