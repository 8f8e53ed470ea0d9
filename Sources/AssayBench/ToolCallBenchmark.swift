import AssayConfig
import AssayCore
import AssayRunner
import AssayStore
import AssayTestServer
import Foundation
import SystemPackage

/// Tool-call items against text items, end to end (request, stream, grade, store) through
/// the runner, against the zero-delay test server: a run of tool-call items must grade and
/// store no slower than a run of as many text items (issue 31).
///
/// The server runs in a process of its own (`assay serve-test`, beside this binary) when it
/// can: in this process its work (parsing a tools request three times the size of a text one,
/// writing four more events) would be charged to Assay. Two figures per kind: items per
/// second (wall; the server still shares the machine's cores), and this process's CPU time per
/// item (user + system, `getrusage`): what grading and storing a tool call costs Assay itself.
public enum ToolCallBenchmark {
    public struct Result: Sendable {
        public var items: Int
        /// Items per second, each kind's best of `rounds` runs (the runs alternate).
        public var textRate: Double
        public var toolsRate: Double
        /// Text items padded to a tool-call item's request bytes and answered in as many
        /// chunks as its call's events (`AgainstTextItems`).
        public var sizedRate: Double
        /// This process's CPU time per item, microseconds, each kind's least of `rounds` runs.
        public var textCPU: Double
        public var toolsCPU: Double
        public var sizedCPU: Double
        public var padding: Int
        /// The bytes each sized text case's line in the cases file was padded by.
        public var casePadding: Int
        public var toolsPassed: Int
        /// Where the server ran: "its own process" or "in process (...)".
        public var server: String

        public var text: String {
            var out =
                "tool calls: request + stream + grade + store, concurrency 64, zero-delay test server (\(server)), \(items) items each\n"
            out += String(
                format:
                    "  text items (exact-label, one content chunk)                  %8.0f items/s  %7.1f µs CPU per item\n",
                textRate, textCPU)
            out += String(
                format:
                    "  text items of a call's size (+%d bytes a case, +%d a request, %d chunks) %8.0f items/s  %7.1f µs CPU per item\n",
                casePadding, padding, ToolCallBenchmark.sized.chunks, sizedRate, sizedCPU)
            out += String(
                format:
                    "  tool-call items (tools grader, a call in 4 events)           %8.0f items/s  %7.1f µs CPU per item  (%d of %d graded right)\n",
                toolsRate, toolsCPU, toolsPassed, items)
            out += String(
                format:
                    "  against text items of the same size: items/s %.2f, CPU per item %.2f (target: at least 1.0, tool calls no slower than text)\n",
                toolsRate / sizedRate, sizedCPU / toolsCPU)
            out += String(
                format:
                    "  against one-word text items: items/s %.2f, CPU per item %.2f (a call's bytes included: what they cost any item)\n",
                toolsRate / textRate, textCPU / toolsCPU)
            return out
        }
    }

    /// What text items of a call's size are answered with: four words, about the call's bytes.
    static let sized = AgainstTextItems.SizedAnswer(answer: "lookup_order with order_id A-7")

    static let script: TestScript = {
        let call = TestScript.ScriptedToolCall(name: "lookup_order", arguments: #"{"order_id":"A-7"}"#)
        return TestScript(
            rules: [
                .init(
                    bodyContains: #""tools":"#, reply: .init(text: "", finishReason: "tool_calls", toolCalls: [call])),
                .init(bodyContains: AgainstTextItems.sizedMarker, reply: .init(text: sized.answer)),
            ],
            defaultReply: .init(text: "positive"))
    }()

    public static func measure(items: Int = 10_000, rounds: Int = 2) async throws -> Result {
        let measured = try await AgainstTextItems.measure(items: items, rounds: rounds, script: script, sized: sized) {
            try Workspace(cases: $1, baseURL: $0).base
        }
        return Result(
            items: items, textRate: measured.text.rate, toolsRate: measured.kind.rate, sizedRate: measured.sized.rate,
            textCPU: measured.text.cpu, toolsCPU: measured.kind.cpu, sizedCPU: measured.sized.cpu,
            padding: measured.padding, casePadding: measured.casePadding, toolsPassed: measured.kindPassed,
            server: measured.server)
    }

    /// A tools suite of `cases` cases, each offering two functions and wanting one call.
    struct Workspace {
        let base: RunnerBenchmarks.Workspace

        init(cases: Int, baseURL: String) throws {
            base = try RunnerBenchmarks.Workspace(cases: 0, baseURL: baseURL)
            let suite = FilePath(base.directory).appending("suite")
            try base.write(
                "suite/suite.yaml",
                ["id": "bench-tools", "kind": "tools", "grader": "tools", "generation": ["max_tokens": 64]])
            let tools =
                #"[{"type":"function","function":{"name":"lookup_order","parameters":{"type":"object","properties":{"order_id":{"type":"string"}},"required":["order_id"]}}},{"type":"function","function":{"name":"cancel_order","parameters":{"type":"object","properties":{"order_id":{"type":"string"}},"required":["order_id"]}}}]"#
            var lines = ""
            lines.reserveCapacity(cases * 480)
            for index in 0..<cases {
                lines +=
                    #"{"id": "t\#(index)", "input": {"messages": [{"role": "user", "content": "Item \#(index): where is order A-7?"}], "tools": \#(tools)}, "expected": {"calls": [{"lookup_order": {"order_id": ["A-7", "a7"]}}]}}"#
                    + "\n"
            }
            try Data(lines.utf8).write(to: URL(fileURLWithPath: suite.appending("cases.jsonl").string))
        }

        func plan(concurrency: Int) -> Plan { base.plan(concurrency: concurrency) }
        func remove() { base.remove() }
    }
}
