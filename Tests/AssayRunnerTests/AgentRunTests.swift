import AssayAnalysis
import AssayConfig
import AssayCore
import AssayEvalSets
import AssayReports
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
    static func replay(_ suite: String) async throws -> [String: Trajectory] {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let out = dir.path("replay.jsonl")
        let replayed = try await runProcess(
            PackagePaths.root + "/scripts/agent-replay", [suite, out], in: PackagePaths.root)
        #expect(replayed.status == 0, "\(replayed.stderr)")
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

    /// What a run's reports say: the page, report.xml (and what its schema finds wrong with
    /// it), summary.json and summary.md.
    struct Reports {
        var html: String
        var xml: String
        var xmlProblems: [String]
        var json: String
        var markdown: String
    }

    static func run(
        _ suitePath: String, script: TestScript, stream: Bool = true, concurrency: Int = 4
    ) async throws -> (results: [ItemResult], summary: RunSummary, bodies: [String]) {
        let (results, summary, bodies, _) = try await runWithReports(
            suitePath, script: script, stream: stream, concurrency: concurrency)
        return (results, summary, bodies)
    }

    static func runWithReports(
        _ suitePath: String, script: TestScript, stream: Bool = true, concurrency: Int = 4
    ) async throws -> (results: [ItemResult], summary: RunSummary, bodies: [String], reports: Reports) {
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
            let written = try await ReportFiles.write(run: manifest.id, from: session.store, under: dir.path("reports"))
            let reports = Reports(
                html: try String(contentsOfFile: written.path("index.html"), encoding: .utf8),
                xml: try String(contentsOfFile: written.path("report.xml"), encoding: .utf8),
                xmlProblems: ReportSchema.validate(written.path("report.xml")).map { "\($0)" },
                json: try String(contentsOfFile: written.path("summary.json"), encoding: .utf8),
                markdown: try String(contentsOfFile: written.path("summary.md"), encoding: .utf8))
            return (results, summary, bodies, reports)
        }
    }

    @Test(arguments: [true, false]) func theSupportDeskGroundTruthReplayedAsAnAgentPassesEveryTask(stream: Bool)
        async throws
    {
        let suite = try SuiteLoader.load(Self.supportDesk)
        #expect(suite.cases.count >= 20)
        let trajectories = try await Self.replay(Self.supportDesk)
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
        var trajectories = try await Self.replay(Self.supportDesk)
        // Each task loses the last call of its last turn.
        for (id, var trajectory) in trajectories {
            let last = trajectory.turns.count - 1
            trajectory.turns[last].removeLast()
            trajectories[id] = trajectory
        }
        let (results, summary, _, reports) = try await Self.runWithReports(
            Self.supportDesk, script: try Self.script(suite, trajectories))
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
        // A last turn of one call left with none "gave up"; the others miss a state change or a result.
        #expect(
            agents.stops.keys.allSatisfy { ["missing result", "wrong state", "gave up"].contains($0) }
                && agents.stops.values.reduce(0, +) == suite.cases.count, "\(agents.stops)")
        // Every report says it: the page (its section, each task step by step), report.xml (valid
        // against its schema), summary.json and summary.md.
        #expect(reports.xmlProblems.isEmpty, "\(reports.xmlProblems)")
        #expect(
            reports.xml.contains(#"<agents tasks="\#(suite.cases.count)" solved="0""#), "\(reports.xml.suffix(2000))")
        let json = try JSONParser.parse(reports.json.utf8)
        let block = json["models"]?.arrayValue?.first?["suites"]?.arrayValue?.first?["agents"]
        #expect(
            block?["tasks"]?.intValue == suite.cases.count && block?["solved"]?.intValue == 0,
            "\(reports.json.prefix(3000))")
        #expect(reports.markdown.contains("- support-desk / agent: 0 of \(suite.cases.count) tasks solved"))
        #expect(reports.html.contains("id=\"agents-section\""))
        #expect(reports.html.contains("<h4>steps ("))
        #expect(reports.html.contains("<code>lookup_order("), "the calls made, step by step")
    }
}

/// Tools and agents that misbehave: a call that never returns is cut off by the host's alarm
/// and comes back to the agent as an error, the tools' state intact; a tools process that dies
/// fails its turn as `tools_stopped`; an agent that keeps calling is stopped at `max_steps`;
/// calls whose arguments are not JSON end the turn unrun. The run goes on through all of it.
@Suite struct AgentToolLimitsTests {
    /// The suite in Tests/Fixtures/agent-limits (one class, `Spinner`, with a call that loops,
    /// one that kills its process, one that floods, and one that notes a text: its state),
    /// copied with a case per prompt.
    static func writeSuite(in dir: TempDirectory, prompts: [String]) throws -> String {
        let fixture = PackagePaths.root + "/Tests/Fixtures/agent-limits"
        for file in ["suite.yaml", "tools/spinner.py", "tools/spinner.json"] {
            try dir.write("loops/" + file, try String(contentsOfFile: fixture + "/" + file, encoding: .utf8))
        }
        let cases = prompts.enumerated().map { index, prompt in
            #"{"id": "case-\#(index)", "input": {"turns": [[{"role": "user", "content": "\#(prompt)"}]], "classes": ["Spinner"], "initial_config": {"Spinner": {"notes": []}}}, "expected": {"ground_truth": [["note(text='n')"]]}}"#
        }
        try dir.write("loops/cases.jsonl", cases.joined(separator: "\n") + "\n")
        return dir.path("loops")
    }

    static func calls(_ name: String, _ arguments: String = "{}") -> TestScript.Reply {
        .init(text: "", finishReason: "tool_calls", toolCalls: [.init(name: name, arguments: arguments)])
    }

    @Test func misbehavingToolsAndAgentsAreCutOffAndTheRunGoesOn() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let prompts = [
            "Spin, then note.", "Crash, then note.", "Note forever.", "Note with broken arguments.",
            "Flood, then note.",
            "Call a tool there is not.", "Note with a wrong parameter.", "Flood twice, then note.",
        ]
        let path = try Self.writeSuite(in: dir, prompts: prompts)
        var script = TestScript(defaultReply: .init(text: "Done."))
        script.rules = [
            .init(promptEquals: prompts[0], step: 1, reply: Self.calls("spin")),
            .init(promptEquals: prompts[0], step: 2, reply: Self.calls("note", #"{"text": "n"}"#)),
            .init(promptEquals: prompts[1], step: 1, reply: Self.calls("crash")),
            .init(promptEquals: prompts[1], step: 2, reply: Self.calls("note", #"{"text": "n"}"#)),
            .init(promptEquals: prompts[2], reply: Self.calls("note", #"{"text": "n"}"#)),
            .init(promptEquals: prompts[3], step: 1, reply: Self.calls("note", #"{"text": "n""#)),
            .init(promptEquals: prompts[4], step: 1, reply: Self.calls("flood")),
            .init(promptEquals: prompts[4], step: 2, reply: Self.calls("note", #"{"text": "n"}"#)),
            .init(promptEquals: prompts[5], step: 1, reply: Self.calls("unlisted", #"{"text": "n"}"#)),
            .init(promptEquals: prompts[6], step: 1, reply: Self.calls("note", #"{"words": "n"}"#)),
            .init(promptEquals: prompts[7], step: 1, reply: Self.calls("flood")),
            .init(promptEquals: prompts[7], step: 2, reply: Self.calls("flood")),
            .init(promptEquals: prompts[7], step: 3, reply: Self.calls("note", #"{"text": "n"}"#)),
        ]
        let (results, _, bodies) = try await AgentRunTests.run(path, script: script, concurrency: 2)
        #expect(results.count == prompts.count)
        let byCase = Dictionary(uniqueKeysWithValues: results.map { ($0.caseID, $0) })
        func evidence(_ index: Int) throws -> AgentEvidence {
            try #require(
                byCase["case-\(index)"]?.grade?.agentEvidence, "\(byCase["case-\(index)"]?.errorMessage ?? "")")
        }
        // A call that loops forever: cut off at call_seconds, its error the call's result; the task passes.
        let spun = try evidence(0)
        #expect(byCase["case-0"]?.grade?.outcome == .pass, "\(byCase["case-0"]?.grade?.rule ?? "")")
        #expect(spun.turns.first?.steps.first?.results.first?.contains("ran past 1 s") == true)
        #expect(bodies.contains { $0.contains("ran past 1 s and was stopped") })
        // A tools process that dies: the next call says so, and the turn fails as tools_stopped.
        let crashed = try evidence(1)
        #expect(crashed.turns.first?.verdict?.kind == .toolsStopped, "\(crashed.turns)")
        #expect(crashed.turns.first?.steps.dropFirst().first?.results.first?.contains("Error during execution") == true)
        // An agent that keeps calling: stopped after the answer past max_steps (3), the turn unjudged.
        let forever = try evidence(2)
        #expect(forever.stop == .stepLimit && forever.steps == 4 && forever.turns.first?.verdict == nil)
        #expect(AgentMetrics.stop(of: forever) == "step limit")
        // Arguments that are not JSON: the turn ends unrun, so no call was made.
        let broken = try evidence(3)
        #expect(broken.turns.first?.verdict?.kind == .noCall, "\(broken.turns)")
        #expect(broken.turns.first?.steps.first?.results == ["not run: the arguments are not JSON"])
        #expect(AgentMetrics.stop(of: broken) == "bad arguments")
        // A flood: the result cut at 64 KiB, the task goes on and passes.
        let flooded = try evidence(4)
        #expect(byCase["case-4"]?.grade?.outcome == .pass, "\(flooded.turns)")
        #expect(flooded.turns.first?.steps.first?.results.first?.count == 65536)
        // Where they stopped: a function the task lacks, a parameter the function refuses.
        let wrongTool = try evidence(5)
        let wrongParameter = try evidence(6)
        #expect(AgentMetrics.stop(of: wrongTool) == "wrong tool", "\(wrongTool.turns)")
        #expect(AgentMetrics.stop(of: wrongParameter) == "bad arguments", "\(wrongParameter.turns)")
        #expect(AgentMetrics.stop(of: crashed) == "tools stopped")
        // Exactly max_steps answers with calls, then an answer: within the limit, as in BFCL.
        let atTheLimit = try evidence(7)
        #expect(byCase["case-7"]?.grade?.outcome == .pass && atTheLimit.steps == 4, "\(atTheLimit.turns)")
    }
}

/// `assay serve-test --script` scripts an agent's conversation as a file: a rule's `step` is
/// the Nth answer after the last user message.
@Suite struct ScriptedStepsTests {
    @Test func aScriptFileScriptsEachStepAfterTheUserMessage() async throws {
        let script = try JSONDecoder().decode(
            TestScript.self,
            from: Data(
                #"""
                {"rules": [
                  {"prompt_equals": "Do it.", "step": 1, "reply": {"text": "", "finish_reason": "tool_calls", "tool_calls": [{"name": "f", "arguments": "{}"}]}},
                  {"prompt_equals": "Do it.", "step": 2, "reply": {"text": "Done."}}
                ], "default": {"text": "(unscripted)"}}
                """#.utf8))
        #expect(script.rules.map(\.step) == [1, 2])
        #expect(script.reply(model: "m", prompt: "Do it.", step: 1).toolCalls.first?.name == "f")
        #expect(script.reply(model: "m", prompt: "Do it.", step: 2).text == "Done.")
        #expect(script.reply(model: "m", prompt: "Do it.", step: 3).text == "(unscripted)")
    }
}
