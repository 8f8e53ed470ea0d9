import AssayCore
import AssayEvalSets
import AssayTestSupport
import Foundation
import Testing

/// `assay import bfcl`'s library half on a small folder in BFCL's layout: one suite per
/// category found, BFCL's ids, the category as tag, possible answers as `expected.calls`.
@Suite struct BFCLImportTests {
    static func data(_ dir: TempDirectory, simple: String, answers: String) throws -> String {
        try dir.write("data/BFCL_v4_simple_python.json", simple)
        try dir.write("data/possible_answer/BFCL_v4_simple_python.json", answers)
        try dir.write(
            "data/BFCL_v4_irrelevance.json",
            #"{"id": "irrelevance_0", "question": [[{"role": "user", "content": "Tell me a joke."}]], "function": [{"name": "math.factorial", "parameters": {"type": "dict", "properties": {"number": {"type": "integer"}}, "required": ["number"]}}]}"#
                + "\n")
        return dir.path("data")
    }

    static let simple =
        #"{"id": "simple_python_1", "question": [[{"role": "user", "content": "5!"}]], "function": [{"name": "math.factorial", "parameters": {"type": "dict", "properties": {"number": {"type": "integer"}, "scale": {"type": "float"}}, "required": ["number"]}}]}"#
        + "\n"

    @Test func eachCategoryBecomesASuiteWithBFCLsIdsAndTags() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let data = try Self.data(
            dir, simple: Self.simple,
            answers:
                #"{"id": "simple_python_1", "ground_truth": [{"math.factorial": {"number": [5], "scale": [1.0, ""]}}]}"#
                + "\n")
        let written = try BFCLImport.run(data, to: dir.path("out"))
        #expect(written == 2)
        let simple = try SuiteLoader.load(dir.path("out/bfcl-simple-python"))
        #expect(simple.kind == .tools && simple.grader.name == .tools)
        let item = try #require(simple.cases.first)
        #expect(item.id == "simple_python_1" && item.tags == ["simple_python"])
        #expect(item.expected["calls"]?.arrayValue?.first?["math.factorial"]?["number"] == [5])
        #expect(item.input["messages"]?.arrayValue?.first?["content"] == "5!")
        let irrelevance = try SuiteLoader.load(dir.path("out/bfcl-irrelevance"))
        #expect(irrelevance.cases.first?.expected == ["no_call": true])
    }

    @Test func aCaseWithoutItsPossibleAnswerIsRefusedAtItsLine() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let data = try Self.data(
            dir, simple: Self.simple, answers: #"{"id": "simple_python_9", "ground_truth": []}"# + "\n")
        #expect {
            try BFCLImport.run(data, to: dir.path("out"))
        } throws: { error in
            "\(error)".contains("BFCL_v4_simple_python.json:1:") && "\(error)".contains("no possible answer")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.path("out/bfcl-simple-python/suite.yaml")))
    }
}
