import AssayCore
import AssayEvalSets
import AssayGraders
import AssayTestSupport
import Testing

/// The shipped code suite through the real grader and sandbox: every reference solution
/// passes and every plausible wrong solution fails.
@Suite struct CodeEdgeCasesSuiteTests {
    @Test func referencesPassAndWrongSolutionsFail() async throws {
        let suite = try SuiteLoader.load(PackagePaths.root + "/evalsets/code-edge-cases")
        #expect(suite.cases.count >= 40)
        let grader = try Graders.make(for: suite, context: GraderContext(sandbox: try await Sandbox.bubblewrap()))
        let verdicts = await withTaskGroup(of: (String, Grade, Grade).self) { group in
            for item in suite.cases {
                group.addTask {
                    let reference = item.expected["reference"]?.stringValue ?? ""
                    let wrong = item.expected["wrong"]?.stringValue ?? ""
                    async let right = grader.grade(item, answer: "```python\n\(reference)\n```")
                    async let bad = grader.grade(item, answer: "```python\n\(wrong)\n```")
                    return (item.id, await right, await bad)
                }
            }
            var all: [(String, Grade, Grade)] = []
            for await verdict in group { all.append(verdict) }
            return all
        }
        #expect(verdicts.count == suite.cases.count)
        for (id, right, wrong) in verdicts {
            #expect(right.outcome == .pass, "\(id): the reference must pass: \(right.evidence)")
            #expect(wrong.outcome == .fail, "\(id): the wrong solution must fail")
        }
        for item in suite.cases {
            let prompt = item.input["prompt"]?.stringValue ?? ""
            let reference = item.expected["reference"]?.stringValue ?? "?"
            #expect(!prompt.contains(reference), "\(item.id): the reference stays out of the prompt")
        }
    }
}
