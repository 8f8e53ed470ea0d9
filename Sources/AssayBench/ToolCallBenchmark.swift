import AssayCore
import AssayRunner
import AssayStore
import AssayTestServer
import Foundation
import SystemPackage

/// Tool-call items against text items, end to end (request, stream, grade, store) through
/// the runner on the zero-delay test server: a run of tool-call items must grade and store
/// no slower than a run of as many text items (issue 31).
public enum ToolCallBenchmark {
    public struct Result: Sendable {
        public var items: Int
        /// Items per second, each kind's best of `rounds` runs (the runs alternate).
        public var textRate: Double
        public var toolsRate: Double
        public var toolsPassed: Int

        public var text: String {
            var out = "tool calls: request + stream + grade + store, concurrency 64, zero-delay test server, \(items) items each\n"
            out += String(format: "  text items (exact-label, one content chunk)            %8.0f items/s\n", textRate)
            out += String(format: "  tool-call items (tools grader, a call in 3 fragments)  %8.0f items/s  (%d of %d graded right)\n", toolsRate, toolsPassed, items)
            out += String(format: "  ratio %.2f (target: at least 1.0, no slower than text)\n", toolsRate / textRate)
            return out
        }
    }

    public static func measure(items: Int = 10_000, rounds: Int = 2) async throws -> Result {
        let call = TestScript.ScriptedToolCall(name: "lookup_order", arguments: #"{"order_id":"A-7"}"#)
        let script = TestScript(
            rules: [.init(bodyContains: #""tools":"#, reply: .init(text: "", finishReason: "tool_calls", toolCalls: [call]))],
            defaultReply: .init(text: "positive"))
        let server = try await TestServer.start(script: script, keepRequests: false)
        let text = try RunnerBenchmarks.Workspace(cases: items, server: server)
        let tools = try Workspace(cases: items, server: server)
        defer {
            text.remove()
            tools.remove()
        }
        // Warm up the connections and the code paths, then alternate the two.
        _ = try await RunnerBenchmarks.run(RunnerBenchmarks.Workspace(cases: 500, server: server).plan(concurrency: 64))
        var textSeconds = Double.infinity
        var toolsSeconds = Double.infinity
        var passed = 0
        for _ in 0..<max(1, rounds) {
            textSeconds = min(textSeconds, try await RunnerBenchmarks.run(text.plan(concurrency: 64)).2)
            let (run, store, seconds) = try await RunnerBenchmarks.run(tools.plan(concurrency: 64))
            toolsSeconds = min(toolsSeconds, seconds)
            passed = try await store.results(run: run).filter { $0.grade?.outcome == .pass }.count
        }
        await server.shutdown()
        return Result(items: items, textRate: Double(items) / textSeconds, toolsRate: Double(items) / toolsSeconds, toolsPassed: passed)
    }

    /// A tools suite of `cases` cases, each offering two functions and wanting one call.
    struct Workspace {
        let base: RunnerBenchmarks.Workspace

        init(cases: Int, server: TestServer) throws {
            base = try RunnerBenchmarks.Workspace(cases: 0, server: server)
            let suite = FilePath(base.directory).appending("suite")
            let yaml = """
                id: bench-tools
                kind: tools
                grader: tools
                generation: {max_tokens: 64}
                """
            try Data(yaml.utf8).write(to: URL(fileURLWithPath: suite.appending("suite.yaml").string))
            let tools = #"[{"type":"function","function":{"name":"lookup_order","parameters":{"type":"object","properties":{"order_id":{"type":"string"}},"required":["order_id"]}}},{"type":"function","function":{"name":"cancel_order","parameters":{"type":"object","properties":{"order_id":{"type":"string"}},"required":["order_id"]}}}]"#
            var lines = ""
            lines.reserveCapacity(cases * 480)
            for index in 0..<cases {
                lines += #"{"id": "t\#(index)", "input": {"messages": [{"role": "user", "content": "Item \#(index): where is order A-7?"}], "tools": \#(tools)}, "expected": {"calls": [{"lookup_order": {"order_id": ["A-7", "a7"]}}]}}"# + "\n"
            }
            try Data(lines.utf8).write(to: URL(fileURLWithPath: suite.appending("cases.jsonl").string))
        }

        func plan(concurrency: Int) -> Plan { base.plan(concurrency: concurrency) }
        func remove() { base.remove() }
    }
}
