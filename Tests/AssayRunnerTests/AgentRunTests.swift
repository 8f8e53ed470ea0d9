import AssayAnalysis
import AssayConfig
import AssayCore
import AssayEvalSets
import AssayRunner
import AssayRuns
import AssayStore
import AssayTestServer
import AssayTestSupport
import Foundation
import Testing

/// The agent loop against the test server, which answers the Nth request after each user
/// message with the Nth step of a scripted trajectory: calls streamed in fragments, executed
/// in the sandbox, their results sent back, graded by the state they leave.
@Suite struct AgentRunTests {
    static let supportDesk = PackagePaths.root + "/evalsets/support-desk"

    /// One call of a trajectory, as `scripts/agent-replay` and `scripts/bfcl-multi-turn-reference` write it.
    struct Call: Decodable, Sendable {
        var name: String
        var arguments: String
    }

    /// A trajectory: per turn, per step, the calls.
    struct Trajectory: Decodable, Sendable {
        var id: String
        var turns: [[[Call]]]
    }

    /// The ground truth of the suite at `suite` as trajectories (`scripts/agent-replay`).
    static func replay(_ suite: String) throws -> [String: Trajectory] {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let out = dir.path("replay.jsonl")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: PackagePaths.root + "/scripts/agent-replay")
        process.arguments = [suite, out]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let text = try String(contentsOfFile: out, encoding: .utf8)
        var trajectories: [String: Trajectory] = [:]
        for line in text.split(separator: "\n") {
            let trajectory = try JSONDecoder().decode(Trajectory.self, from: Data(line.utf8))
            trajectories[trajectory.id] = trajectory
        }
        return trajectories
    }

    /// Rules answering each turn's user message, step by step, with the trajectory's calls, and
    /// then with a text answer.
    static func script(_ suite: Suite, _ trajectories: [String: Trajectory]) throws -> TestScript {
        var script = TestScript(defaultReply: .init(text: "(unscripted)"))
        for item in suite.cases {
            let task = try AgentTask(item)
            let trajectory = try #require(trajectories[item.id])
            for (turn, messages) in task.turns.enumerated() {
                let prompt = try #require(messages.last?.text)
                let steps = trajectory.turns[turn]
                for (index, step) in steps.enumerated() {
                    script.rules.append(
                        .init(
                            promptEquals: prompt, step: index + 1,
                            reply: .init(
                                text: "", chunkDelayMs: 0, finishReason: "tool_calls",
                                toolCalls: step.map { .init(name: $0.name, arguments: $0.arguments) })))
                }
                script.rules.append(.init(promptEquals: prompt, step: steps.count + 1, reply: .init(text: "Done.")))
            }
        }
        return script
    }

    static func run(
        _ suitePath: String, script: TestScript, stream: Bool = true, concurrency: Int = 4
    ) async throws -> (results: [ItemResult], summary: RunSummary, bodies: [String]) {
        let dir = try TempDirectory()
        defer { dir.remove() }
        return try await TestServer.withTestServer(script: script) { server in
            try dir.write(
                "catalog.yaml",
                """
                prices: {currency: USD, date: "2026-12-04", source: test}
                endpoints:
                  - {name: test, base_url: "\(server.baseURL)"}
                models:
                  - {id: agent, family: Qwen, endpoint: test, capabilities: [text], price: {input: 0.1, output: 0.4}}
                """)
            let plan = Plan(
                suites: [suitePath], models: ["agent"], concurrency: concurrency,
                settings: RunSettings(stream: stream, cache: .off),
                catalog: dir.path("catalog.yaml"), store: dir.path("assay.sqlite"), reports: dir.path("reports"))
            let session = try await RunSession.prepare(plan, environment: [:])
            let manifest = try await session.run()
            let results = try await session.store.results(run: manifest.id)
            let summary = try await RunSummary.load(run: manifest.id, from: session.store)
            let bodies = server.received.filter { $0.path.hasSuffix("chat/completions") }.map(\.body)
            return (results, summary, bodies)
        }
    }

    @Test(arguments: [true, false]) func theSupportDeskGroundTruthReplayedAsAnAgentPassesEveryTask(stream: Bool)
        async throws
    {
        let suite = try SuiteLoader.load(Self.supportDesk)
        #expect(suite.cases.count >= 20)
        let trajectories = try Self.replay(Self.supportDesk)
        let (results, _, bodies) = try await Self.run(
            Self.supportDesk, script: try Self.script(suite, trajectories), stream: stream)
        #expect(results.count == suite.cases.count)
        var failed: [String] = []
        for result in results {
            let evidence = try #require(
                result.grade?.agentEvidence, "\(result.caseID): \(result.status) \(result.errorMessage ?? "")")
            let trajectory = try #require(trajectories[result.caseID])
            if result.grade?.outcome != .pass { failed.append("\(result.caseID): \(result.grade?.rule ?? "")") }
            #expect(evidence.stop == .finished)
            #expect(evidence.turns.count == trajectory.turns.count)
            // One request per call (each step one call) and one for each turn's answer: each an attempt.
            let calls = trajectory.turns.reduce(0) { $0 + $1.count }
            #expect(evidence.steps == calls + trajectory.turns.count)
            #expect(result.attempts == evidence.steps)
            #expect(evidence.turns.allSatisfy { $0.steps.allSatisfy { $0.calls.count == $0.results.count } })
            #expect(result.cost?.amount ?? 0 > 0)
        }
        #expect(failed.isEmpty, "\(failed)")
        #expect(bodies.allSatisfy { $0.contains(#""tools":[{"function":"#) })
        #expect(bodies.contains { $0.contains(#""role":"tool""#) && $0.contains(#""tool_call_id":"#) })
        #expect(bodies.contains { $0.contains(#""tool_calls":[{"function":{"arguments":"#) })
    }

    @Test func aTurnWhoseLastCallIsDroppedFailsThatTurnAndTheTaskStopsThere() async throws {
        let suite = try SuiteLoader.load(Self.supportDesk)
        var trajectories = try Self.replay(Self.supportDesk)
        // Each task loses the last call of its last turn.
        for (id, var trajectory) in trajectories {
            let last = trajectory.turns.count - 1
            trajectory.turns[last].removeLast()
            trajectories[id] = trajectory
        }
        let (results, summary, _) = try await Self.run(Self.supportDesk, script: try Self.script(suite, trajectories))
        for result in results {
            let evidence = try #require(result.grade?.agentEvidence)
            #expect(result.grade?.outcome == .fail, "\(result.caseID)")
            let failure = try #require(evidence.firstFailure)
            #expect(failure.turn == evidence.turnCount - 1, "\(result.caseID): \(String(describing: failure.verdict))")
            #expect(evidence.turnsPassed == evidence.turnCount - 1)
            #expect(evidence.stop == .failedTurn)
        }
        let agents = try #require(summary.model("agent")?.suites.first?.agents)
        #expect(agents.tasks == suite.cases.count)
        #expect(agents.solved == 0)
        #expect(agents.turnsPassed == results.reduce(0) { $0 + ($1.grade?.agentEvidence?.turnsPassed ?? 0) })
    }
}

/// Tools that misbehave: a call that never returns is cut off by the host's alarm and comes
/// back to the agent as an error, the tools' state intact; the run goes on.
@Suite struct AgentToolLimitsTests {
    @Test func aCallThatLoopsForeverIsCutOffAndTheRunGoesOn() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write(
            "loops/tools/spinner.py",
            """
            class Spinner:
                def __init__(self):
                    self.notes = []

                def _load_scenario(self, scenario, long_context=False):
                    self.notes = list(scenario.get("notes", []))

                def spin(self):
                    while True:
                        pass

                def note(self, text):
                    self.notes.append(text)
                    return {"notes": len(self.notes)}

            """)
        try dir.write(
            "loops/tools/spinner.json",
            """
            {"name": "spin", "description": "Spins.", "parameters": {"type": "dict", "properties": {}, "required": []}}
            {"name": "note", "description": "Notes a text.", "parameters": {"type": "dict", "properties": {"text": {"type": "string"}}, "required": ["text"]}}

            """)
        try dir.write(
            "loops/suite.yaml",
            """
            id: loops
            kind: agent
            grader:
              name: agent-state
              call_seconds: 1
              max_steps: 3
              classes:
                Spinner: {module: tools/spinner.py, functions: tools/spinner.json}
            """)
        let cases = (1...2).map { index in
            #"{"id": "loop-\#(index)", "input": {"turns": [[{"role": "user", "content": "Spin, then note \#(index)."}]], "classes": ["Spinner"], "initial_config": {"Spinner": {"notes": []}}}, "expected": {"ground_truth": [["note(text='n\#(index)')"]]}}"#
        }
        try dir.write("loops/cases.jsonl", cases.joined(separator: "\n") + "\n")
        var script = TestScript(defaultReply: .init(text: "Done."))
        for index in 1...2 {
            let prompt = "Spin, then note \(index)."
            script.rules.append(
                .init(
                    promptEquals: prompt, step: 1,
                    reply: .init(
                        text: "", finishReason: "tool_calls", toolCalls: [.init(name: "spin", arguments: "{}")])))
            script.rules.append(
                .init(
                    promptEquals: prompt, step: 2,
                    reply: .init(
                        text: "", finishReason: "tool_calls",
                        toolCalls: [.init(name: "note", arguments: #"{"text": "n\#(index)"}"#)])))
        }
        let (results, _, bodies) = try await AgentRunTests.run(dir.path("loops"), script: script, concurrency: 2)
        #expect(results.count == 2)
        for result in results {
            let evidence = try #require(result.grade?.agentEvidence, "\(result.errorMessage ?? "")")
            #expect(result.grade?.outcome == .pass, "\(result.caseID): \(result.grade?.rule ?? "")")
            let spun = try #require(evidence.turns.first?.steps.first?.results.first)
            #expect(spun.contains("ran past 1 s"), "\(spun)")
        }
        // The cut-off call's error went back to the agent as the call's result.
        #expect(bodies.contains { $0.contains("ran past 1 s and was stopped") })
    }
}
