import AssayCore
import AssayEvalSets
import AssayTestSupport
import Foundation
import Testing

@Suite struct HumanEvalImportTests {
    /// Two original tasks in the HumanEval format.
    static let source =
        [
            JSONValue.object([
                "task_id": "Mini/0",
                "prompt": "def double(x: int) -> int:\n    \"\"\"Return twice x.\"\"\"\n",
                "canonical_solution": "    return 2 * x\n",
                "test": "def check(candidate):\n    assert candidate(2) == 4\n    assert candidate(-1) == -2\n",
                "entry_point": "double",
            ]),
            JSONValue.object([
                "task_id": "Mini/1",
                "prompt": "def first(xs: list):\n    \"\"\"The first element, or None for an empty list.\"\"\"\n",
                "canonical_solution": "    return xs[0] if xs else None\n",
                "test":
                    "METADATA = {}\n\ndef check(candidate):\n    assert candidate([]) is None\n    assert candidate([3, 4]) == 3\n",
                "entry_point": "first",
            ]),
        ].map(\.compactJSON).joined(separator: "\n") + "\n"

    @Test func aHumanEvalFileBecomesAValidCodeSuite() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let file = try dir.write("mini.jsonl", Self.source)
        let count = try HumanEvalImport.run(file, to: dir.path("suites/mini-he"))
        #expect(count == 2)
        let suite = try SuiteLoader.load(dir.path("suites/mini-he"))
        #expect(suite.id == "mini-he")
        #expect(suite.kind == .code)
        #expect(suite.grader.name == .code)
        #expect(suite.cases.map(\.id) == ["Mini/0", "Mini/1"])
        #expect(suite.cases[0].input["entry_point"] == "double")
        #expect(suite.cases[0].expected["reference"]?.stringValue?.hasSuffix("    return 2 * x\n") == true)
        let rendered = suite.prompt.render(suite.cases[1].input).user
        #expect(rendered.contains("def first(xs: list):"))
        #expect(!rendered.contains("xs[0] if xs"), "the canonical solution is never shown")
    }

    @Test func badLinesAreReportedAndNothingIsWritten() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let file = try dir.write(
            "bad.jsonl",
            #"{"task_id": "A/0", "prompt": "def f():\n", "canonical_solution": "  pass\n", "test": "def check(c): pass", "entry_point": "f"}"#
                + "\nnot json\n"
                + #"{"task_id": "A/1", "prompt": "def g():\n", "test": "def check(c): pass", "entry_point": "g"}"#
                + "\n"
                + #"{"task_id": "A/0", "prompt": "x", "canonical_solution": "y", "test": "def check(c): pass", "entry_point": "f"}"#
                + "\n"
                + #"{"task_id": "A/2", "prompt": "x", "canonical_solution": "y", "test": "assert True", "entry_point": 3}"#
                + "\n")
        let error = #expect(throws: InputError.self) { try HumanEvalImport.run(file, to: dir.path("out")) }
        let text = error?.description ?? ""
        #expect(text.contains("bad.jsonl:2: not a JSON object"))
        #expect(text.contains("bad.jsonl:3: missing required field 'canonical_solution'"))
        #expect(text.contains("bad.jsonl:4: duplicate task_id 'A/0' (first on line 1)"))
        #expect(text.contains("bad.jsonl:5: 'entry_point' must be text"))
        #expect(!dir.exists("out"))
    }

    @Test func anExistingSuiteIsReplacedOnlyWithForce() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let file = try dir.write("mini.jsonl", Self.source)
        try HumanEvalImport.run(file, to: dir.path("s"))
        let error = #expect(throws: InputError.self) { try HumanEvalImport.run(file, to: dir.path("s")) }
        #expect(error?.description.contains("pass --force") == true)
        #expect(try HumanEvalImport.run(file, to: dir.path("s"), id: "renamed", force: true) == 2)
        #expect(try SuiteLoader.load(dir.path("s")).id == "renamed")
    }
}
