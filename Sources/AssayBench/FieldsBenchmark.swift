import AssayCore
import AssayEvalSets
import AssayGraders
import AssayTestServer
import Foundation
import SystemPackage

/// Field-extraction items against label items, end to end (request with its
/// `response_format`, stream, find the JSON, grade each field, store the evidence) through
/// the runner against the zero-delay test server: 10,000 extraction items must grade and
/// store no slower than 10,000 label items (issue 32).
public enum FieldsBenchmark {
    public struct Result: Sendable {
        public var items: Int
        public var labelRate: Double
        public var fieldsRate: Double
        /// Label items padded to an extraction item's request bytes and answered with its answer's
        /// bytes (`AgainstTextItems`).
        public var sizedRate: Double
        public var labelCPU: Double
        public var fieldsCPU: Double
        public var sizedCPU: Double
        public var padding: Int
        /// The bytes each sized text case's line in the cases file was padded by.
        public var casePadding: Int
        public var fieldsPassed: Int
        public var server: String
        /// Grading alone (no request, no store), microseconds of CPU per item: the label
        /// grader's, then the fields grader's, on the same answers the run gets.
        public var labelGrade: Double
        public var fieldsGrade: Double

        public var text: String {
            var out =
                "field extraction: request + stream + grade + store, concurrency 64, zero-delay test server (\(server)), \(items) items each\n"
            out += String(
                format:
                    "  label items (exact-label, one content chunk)                   %8.0f items/s  %7.1f µs CPU per item\n",
                labelRate, labelCPU)
            out += String(
                format:
                    "  label items of an extraction's size (+%d bytes a case, +%d a request)  %8.0f items/s  %7.1f µs CPU per item\n",
                casePadding, padding, sizedRate, sizedCPU)
            out += String(
                format:
                    "  extraction items (fields grader, 5 fields, a 2-item list)      %8.0f items/s  %7.1f µs CPU per item  (%d of %d graded right)\n",
                fieldsRate, fieldsCPU, fieldsPassed, items)
            out += String(
                format:
                    "  against label items of the same size: items/s %.2f, CPU per item %.2f (target: at least 1.0, extraction no slower than labels)\n",
                fieldsRate / sizedRate, sizedCPU / fieldsCPU)
            out += String(
                format:
                    "  against one-word label items: items/s %.2f, CPU per item %.2f (an extraction's bytes included: what they cost any item)\n",
                fieldsRate / labelRate, labelCPU / fieldsCPU)
            out += String(
                format:
                    "  of which grading alone: label %.1f µs, fields %.1f µs per item (the rest is the request, the stream and the store)\n",
                labelGrade, fieldsGrade)
            return out
        }
    }

    /// The answer every extraction request gets: a receipt's fields, as a model writes them.
    /// Compact (no whitespace), so that the test server streams it in one chunk as it does the
    /// label: what differs is the request, the grading and what is stored, not the stream.
    static let answer =
        #"{"merchant":"Acme","date":"2026-12-03","currency":"USD","total":"23.50","items":[{"name":"Latte","amount":"4.50"},{"name":"Bagel","amount":"19.00"}]}"#

    static let script = TestScript(
        rules: [
            .init(bodyContains: #""response_format":"#, reply: .init(text: answer)),
            .init(bodyContains: AgainstTextItems.sizedMarker, reply: .init(text: answer)),
        ],
        defaultReply: .init(text: "positive"))

    public static func measure(items: Int = 10_000, rounds: Int = 2) async throws -> Result {
        let measured = try await AgainstTextItems.measure(
            items: items, rounds: rounds, script: script, sized: AgainstTextItems.SizedAnswer(answer: answer)
        ) { try workspace(cases: $1, baseURL: $0) }
        let grading = try await gradingAlone(items: items)
        return Result(
            items: items, labelRate: measured.text.rate, fieldsRate: measured.kind.rate, sizedRate: measured.sized.rate,
            labelCPU: measured.text.cpu, fieldsCPU: measured.kind.cpu, sizedCPU: measured.sized.cpu,
            padding: measured.padding, casePadding: measured.casePadding, fieldsPassed: measured.kindPassed,
            server: measured.server,
            labelGrade: grading.label, fieldsGrade: grading.fields)
    }

    /// Each grader on `items` answers in this process, the best of three passes: CPU
    /// microseconds per item.
    static func gradingAlone(items: Int) async throws -> (label: Double, fields: Double) {
        let workspace = try Self.workspace(cases: items, baseURL: "http://127.0.0.1:9/v1")
        let text = try RunnerBenchmarks.Workspace(cases: items, baseURL: "http://127.0.0.1:9/v1")
        defer {
            workspace.remove()
            text.remove()
        }
        func perItem(_ suitePath: String, answer: String) async throws -> Double {
            let suite = try SuiteLoader.load(suitePath)
            let grader = try Graders.make(for: suite)
            var best = Double.infinity
            for _ in 0..<3 {
                let before = AgainstTextItems.processCPUSeconds()
                for item in suite.cases { _ = await grader.grade(item, answer: answer) }
                best = min(best, (AgainstTextItems.processCPUSeconds() - before) / Double(suite.cases.count) * 1e6)
            }
            return best
        }
        return (
            try await perItem(FilePath(text.directory).appending("suite").string, answer: "positive"),
            try await perItem(FilePath(workspace.directory).appending("suite").string, answer: answer)
        )
    }

    /// An extraction suite of `cases` receipts (the answer's fields, in another writing), asked
    /// of a model whose catalog entry takes `json_schema`.
    static func workspace(cases: Int, baseURL: String) throws -> RunnerBenchmarks.Workspace {
        let workspace = try RunnerBenchmarks.Workspace(cases: 0, baseURL: baseURL)
        let directory = FilePath(workspace.directory)
        let string: JSONValue = "string", amount: JSONValue = "amount"
        try workspace.write(
            "suite/suite.yaml",
            [
                "id": "bench-fields", "kind": "extraction",
                "grader": [
                    "name": "fields",
                    "fields": [
                        "merchant": string, "date": "date", "currency": ["type": "enum", "values": ["CNY", "USD"]],
                        "total": amount, "items": ["type": "list", "of": ["name": string, "amount": amount]],
                    ],
                ],
                "response_format": "json_schema", "prompt": "Receipt {{n}}: reply with its fields.",
                "generation": ["max_tokens": 128],
            ])
        let expected =
            #"{"merchant": "ACME", "date": "3 Dec 2026", "currency": "USD", "total": "$23.50", "items": [{"name": "Bagel", "amount": "19"}, {"name": "Latte", "amount": "4.5"}]}"#
        var lines = ""
        lines.reserveCapacity(cases * 240)
        for index in 0..<cases {
            lines += #"{"id": "f\#(index)", "input": {"n": \#(index)}, "expected": {"fields": \#(expected)}}"# + "\n"
        }
        try Data(lines.utf8).write(to: URL(fileURLWithPath: directory.appending("suite/cases.jsonl").string))
        try workspace.writeCatalog(
            endpoint: ["name": "bench", "base_url": .string(baseURL)],
            models: [["id": "bench", "family": "Bench", "endpoint": "bench", "capabilities": ["text", "json_schema"]]])
        return workspace
    }
}
