import AssayCore
import AssayEvalSets
import AssayGraders
import AssayTestSupport
import Foundation
import Testing

/// A broken agent suite says where and what, every problem at once: settings, classes,
/// function docs, and cases that name classes the suite does not declare.
@Suite struct AgentSuiteProblemsTests {
    @Test func everyProblemOfAnAgentSuiteIsReportedAtItsLine() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("s/tools/desk.py", "class Desk:\n    def ping(self):\n        return 'pong'\n")
        try dir.write(
            "s/tools/desk.json",
            """
            {"name": "ping", "description": "Pings.", "parameters": {"type": "dict", "properties": {}}}
            not a function doc

            """)
        try dir.write(
            "s/suite.yaml",
            """
            id: s
            kind: agent
            grader:
              name: agent-state
              max_steps: 0
              colour: blue
              classes:
                Desk: {module: tools/desk.py, functions: tools/desk.json}
                Ghost: {module: tools/ghost.py, functions: tools/ghost.json}
            """)
        try dir.write(
            "s/cases.jsonl",
            """
            {"id": "a", "input": {"turns": [[{"role": "user", "content": "Ping."}]], "classes": ["Desk"]}, "expected": {"ground_truth": [["ping()"]]}}
            {"id": "b", "input": {"turns": [[{"role": "user", "content": "Ping."}]], "classes": ["Nobody"]}, "expected": {"ground_truth": [["ping()"]]}}

            """)
        let suite = try SuiteLoader.load(dir.path("s"))
        do {
            _ = try AgentGrader(settings: suite.grader.settings, suite: suite, sandbox: Sandbox.unsandboxed())
            Issue.record("a broken agent suite was accepted")
        } catch {
            let messages = error.diagnostics.map(\.description)
            let yaml = dir.path("s/suite.yaml")
            #expect(messages.contains("\(yaml):5: 'max_steps' must be a whole number from 1 to 200"), "\(messages)")
            #expect(messages.contains { $0.hasPrefix("\(yaml):6: unknown grader setting 'colour'") }, "\(messages)")
            #expect(messages.contains { $0.contains("class 'Ghost': cannot read") }, "\(messages)")
            #expect(
                messages.contains(
                    "\(dir.path("s/tools/desk.json")):2: not a function doc: a JSON object with a 'name'"),
                "\(messages)")
            #expect(
                messages.contains(
                    "\(dir.path("s/cases.jsonl")):2: case 'b' involves class 'Nobody', which suite.yaml's grader.classes does not declare"
                ), "\(messages)")
        }
    }

    @Test func anAgentCaseWithoutTurnsOrWithTooFewGroundTruthsIsRefusedAtItsLine() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("s/suite.yaml", "id: s\nkind: agent\ngrader: agent-state\n")
        try dir.write(
            "s/cases.jsonl",
            """
            {"id": "a", "input": {"classes": ["Desk"]}, "expected": {"ground_truth": []}}
            {"id": "b", "input": {"turns": [[{"role": "user", "content": "x"}], [{"role": "user", "content": "y"}]], "classes": ["Desk"]}, "expected": {"ground_truth": [["ping()"]]}}

            """)
        let messages = SuiteLoader.validate(dir.path("s")).map(\.description)
        let cases = dir.path("s/cases.jsonl")
        #expect(messages.contains { $0.hasPrefix("\(cases):1: an agent case needs 'input.turns'") }, "\(messages)")
        #expect(
            messages.contains(
                "\(cases):2: 'expected.ground_truth' has 1 turns, 'input.turns' 2: one list of calls per turn"),
            "\(messages)")
    }
}
