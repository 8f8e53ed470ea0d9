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

/// The shipped tool-use suite against the test server, which answers with calls streamed in
/// fragments: the request carries the case's tools and conversation, the calls are assembled
/// and graded, and the grades are the same streamed and not.
@Suite struct ToolUseRunTests {
    static let suite = PackagePaths.root + "/evalsets/tool-use"

    /// The calls a case accepts, each parameter at its first acceptable value (omittable ones left out).
    /// With `extra`, each call also carries a parameter no function declares.
    static func rightCalls(_ item: Case, extra: Bool = false) -> [TestScript.ScriptedToolCall] {
        (item.expected["calls"]?.arrayValue ?? []).compactMap { call in
            guard case .object(let fields) = call, let (name, parameters) = fields.first,
                case .object(let values) = parameters
            else { return nil }
            var arguments = firstAcceptable(values)
            if extra { arguments["qzx_unknown"] = 1 }
            return .init(name: name, arguments: JSONValue.object(arguments).compactJSON)
        }
    }

    /// Each parameter at its first acceptable value; a dict's keys likewise (BFCL's form
    /// nests the lists of acceptable values inside an acceptable dict).
    static func firstAcceptable(_ values: [String: JSONValue]) -> [String: JSONValue] {
        var arguments: [String: JSONValue] = [:]
        for (key, acceptable) in values {
            guard let value = acceptable.arrayValue?.first(where: { $0 != "" }) else { continue }
            if case .object(let inner) = value {
                arguments[key] = .object(firstAcceptable(inner))
            } else {
                arguments[key] = value
            }
        }
        return arguments
    }

    @Test(arguments: [true, false]) func callsAreSentAssembledAndGraded(stream: Bool) async throws {
        let suite = try SuiteLoader.load(Self.suite)
        #expect(suite.cases.count >= 40)
        var script = TestScript(defaultReply: .init(text: "(unscripted)"))
        var wanted: [String: Grade.Outcome] = [:]
        for (index, item) in suite.cases.enumerated() {
            let prompt = try #require(item.input["messages"]?.arrayValue?.last?["content"]?.stringValue)
            let noCall = item.expected["no_call"] == true
            let reply: TestScript.Reply
            if index % 4 == 3 {
                // Every fourth answer adds a parameter no function declares (or calls where none is wanted).
                let first = try #require(item.input["tools"]?.arrayValue?.first?["function"]?["name"]?.stringValue)
                let calls =
                    noCall ? [.init(name: first, arguments: #"{"qzx_unknown":1}"#)] : Self.rightCalls(item, extra: true)
                reply = .init(text: "", finishReason: "tool_calls", toolCalls: calls)
                wanted[item.id] = .fail
            } else if noCall {
                reply = .init(text: "No function fits; here is my answer in words.")
                wanted[item.id] = .pass
            } else {
                reply = .init(text: "", chunkDelayMs: 1, finishReason: "tool_calls", toolCalls: Self.rightCalls(item))
                wanted[item.id] = .pass
            }
            script.rules.append(.init(promptEquals: prompt, reply: reply))
        }
        let dir = try TempDirectory()
        defer { dir.remove() }
        try await TestServer.withTestServer(script: script) { server in
            try dir.write(
                "catalog.yaml",
                """
                prices: {currency: USD, date: "2026-12-04", source: test}
                endpoints:
                  - {name: test, base_url: "\(server.baseURL)"}
                models:
                  - {id: caller, family: Qwen, endpoint: test, capabilities: [text], price: {input: 0.1, output: 0.4}}
                """)
            let plan = Plan(
                suites: [Self.suite], models: ["caller"], concurrency: 4,
                settings: RunSettings(stream: stream, cache: .off),
                catalog: dir.path("catalog.yaml"), store: dir.path("assay.sqlite"), reports: dir.path("reports"))
            let session = try await RunSession.prepare(plan, environment: [:])
            let manifest = try await session.run()
            let results = try await session.store.results(run: manifest.id)
            #expect(results.count == suite.cases.count)
            var wrong: [String] = []
            for result in results {
                let grade = result.grade
                if grade?.outcome != wanted[result.caseID] {
                    wrong.append(
                        "\(result.caseID): \(grade.map { "\($0.outcome) \(ToolCallMismatch(evidence: $0.evidence)?.description ?? "")" } ?? "no grade")"
                    )
                }
                if let grade, grade.outcome == .fail {
                    let kind = ToolCallMismatch(evidence: grade.evidence)?.kind
                    #expect(
                        kind == .unexpectedParameter || kind == .unwantedCall,
                        "\(result.caseID): \(String(describing: kind))")
                    #expect(
                        ToolCall.calls(in: grade.evidence)?.first?.argumentsText.contains(#""qzx_unknown":1"#) == true)
                }
            }
            #expect(wrong.isEmpty, "\(wrong)")
            let bodies = server.received.filter { $0.path.hasSuffix("chat/completions") }.map(\.body)
            #expect(bodies.count == suite.cases.count)
            #expect(bodies.allSatisfy { $0.contains(#""tools":[{"function":"#) && $0.contains(#""role":"system""#) })
            #expect(
                bodies.contains { $0.contains(#""tool_choice":{"function":{"name":"get_weather"},"type":"function"}"#) }
            )
            #expect(bodies.contains { $0.contains(#""role":"assistant""#) }, "the history goes along")
            // The report's numbers: every answer graded, the wrong ones under their first mismatch.
            let summary = try await RunSummary.load(run: manifest.id, from: session.store)
            let metrics = try #require(summary.model("caller")?.suites.first?.tools)
            let failing = wanted.values.filter { $0 == .fail }.count
            #expect(metrics.items == suite.cases.count && metrics.passed == suite.cases.count - failing)
            #expect(
                (metrics.mismatches[.unexpectedParameter] ?? 0) + (metrics.mismatches[.unwantedCall] ?? 0) == failing,
                "\(metrics.mismatches)")
            #expect(metrics.calls > suite.cases.count / 2)
            if stream { #expect(metrics.firstCall.count > 0) } else { #expect(metrics.firstCall.count == 0) }
            // The same numbers in report.xml (checked against its XSD as it is written) and summary.md.
            let written = try await ReportFiles.write(run: manifest.id, from: session.store, under: dir.path("reports"))
            #expect(ReportSchema.validate(written.path("report.xml")) == [])
            let xml = try String(contentsOfFile: written.path("report.xml"), encoding: .utf8)
            #expect(
                xml.contains(
                    #"<tools items="\#(metrics.items)" passed="\#(metrics.passed)" calls="\#(metrics.calls)""#),
                "\(xml.suffix(3000))")
            #expect(
                xml.contains(
                    #"<mismatch kind="unexpected_parameter" count="\#(metrics.mismatches[.unexpectedParameter] ?? 0)"/>"#
                ))
            #expect(xml.contains("<firstCall ") == stream)
            let markdown = try String(contentsOfFile: written.path("summary.md"), encoding: .utf8)
            #expect(
                markdown.contains("- tool-use / caller: \(metrics.passed) of \(metrics.items) right"), "\(markdown)")
        }
    }
}
