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

/// An extraction suite end to end against the test server: `response_format` on the wire as
/// far as each model's catalog entry takes it (the schema in the prompt beyond that), the
/// answers graded field by field, and the numbers in every report.
@Suite struct FieldsRunTests {
    static let suiteYAML = """
        id: mini-receipts
        kind: extraction
        grader:
          name: fields
          fields:
            merchant: string
            date: date
            total: amount
            items: {type: list, of: {name: string, amount: amount}, max_items: 10}
        response_format: json_schema
        prompt: "Read receipt {{n}} and reply with JSON."
        """
    static let exact =
        #"{"merchant": "Acme Coffee", "date": "2026-12-03", "total": "23.50", "items": [{"name": "Latte", "amount": "4.50"}, {"name": "Bagel", "amount": "19.00"}]}"#
    /// Each case's answer and the outcome it must get.
    static let answers: [(String, Grade.Outcome)] = [
        (exact, .pass),
        (
            #"{"items": [{"amount": 19, "name": "BAGEL"}, {"name": "latte", "amount": "$4.5"}], "total": "¥23.50", "date": "3 Dec 2026", "merchant": "ACME  Coffee"}"#,
            .pass
        ),
        ("```json\n\(exact)\n```", .pass),
        ("Here are the fields you asked for:\n\(exact)", .pass),
        (exact.replacingOccurrences(of: "2026-12-03", with: "2026-12-04"), .fail),
        (#"{"merchant": "Acme Coffee", "date": "#, .invalid),
    ]

    @Test func responseFormatGoesOnTheWireAndAnswersAreGradedFieldByField() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        _ = try dir.write("suite/suite.yaml", Self.suiteYAML)
        let expected = try #require(try JSONParser.parse(Array(Self.exact.utf8)))
        _ = try dir.write(
            "suite/cases.jsonl",
            Self.answers.indices.map {
                #"{"id": "r\#($0 + 1)", "input": {"n": "\#($0 + 1)"}, "expected": {"fields": \#(expected.compactJSON)}}"#
            }
            .joined(separator: "\n") + "\n")
        var script = TestScript(defaultReply: .init(text: "(unscripted)"))
        for (index, answer) in Self.answers.enumerated() {
            script.rules.append(.init(promptContains: "receipt \(index + 1) ", reply: .init(text: answer.0)))
        }
        try await TestServer.withTestServer(script: script) { server in
            _ = try dir.write(
                "catalog.yaml",
                """
                prices: {currency: USD, date: "2026-12-04", source: test}
                endpoints:
                  - {name: test, base_url: "\(server.baseURL)"}
                models:
                  - {id: schema-model, family: A, endpoint: test, capabilities: [text, json_schema], price: {input: 0.1, output: 0.4}}
                  - {id: object-model, family: B, endpoint: test, capabilities: [text, json_object], price: {input: 0.1, output: 0.4}}
                  - {id: plain-model, family: C, endpoint: test, capabilities: [text], price: {input: 0.1, output: 0.4}}
                """)
            let plan = Plan(
                suites: [dir.path("suite")], models: ["schema-model", "object-model", "plain-model"], concurrency: 3,
                settings: RunSettings(cache: .off), catalog: dir.path("catalog.yaml"), store: dir.path("assay.sqlite"),
                reports: dir.path("reports"))
            let session = try await RunSession.prepare(plan, environment: [:])
            let manifest = try await session.run()
            let results = try await session.store.results(run: manifest.id)
            #expect(results.count == 3 * Self.answers.count)
            for result in results {
                let index = try #require(Int(result.caseID.dropFirst())) - 1
                #expect(result.grade?.outcome == Self.answers[index].1, "\(result.model) \(result.caseID)")
            }
            // The schema goes in the system prompt: the prompt a routing rule matches is the case's for every model.
            #expect(
                results.allSatisfy {
                    $0.routedPrompt?.text.hasPrefix("Read receipt ") == true
                        && $0.routedPrompt?.text.contains("Schema") == false
                })
            let wrong = try #require(results.first { $0.caseID == "r5" && $0.model == "schema-model" }?.grade)
            #expect(wrong.fieldsEvidence?.fields.filter { !$0.correct }.map(\.path) == ["date"])
            let broken = try #require(results.first { $0.caseID == "r6" }?.grade?.fieldsEvidence)
            #expect(broken.jsonError?.hasPrefix("invalid JSON") == true)

            let sent = server.received.filter { $0.path.hasSuffix("chat/completions") }.map(\.body)
            func bodies(of model: String) -> [String] { sent.filter { $0.contains(#""model":"\#(model)""#) } }
            #expect(bodies(of: "schema-model").count == Self.answers.count)
            #expect(
                bodies(of: "schema-model").allSatisfy {
                    $0.contains(#""response_format":{"json_schema":{"name":"mini-receipts","schema":{"#)
                        && $0.contains(#""strict":true},"type":"json_schema"}"#) && !$0.contains("JSON Schema:")
                })
            #expect(
                bodies(of: "object-model").allSatisfy {
                    $0.contains(#""response_format":{"type":"json_object"}"#)
                        && $0.contains("valid against this JSON Schema")
                })
            #expect(
                bodies(of: "plain-model").allSatisfy {
                    !$0.contains("response_format") && $0.contains("valid against this JSON Schema")
                })

            let summary = try await RunSummary.load(run: manifest.id, from: session.store)
            let stats = try #require(summary.model("schema-model")?.suites.first)
            let metrics = try #require(stats.fields)
            #expect(stats.structuredOutput == .jsonSchema)
            #expect(summary.model("object-model")?.suites.first?.structuredOutput == .jsonObject)
            #expect(summary.model("plain-model")?.suites.first?.structuredOutput == .prompt)
            #expect(metrics.items == 6 && metrics.exact == 4 && metrics.jsonValid == 5 && metrics.withProse == 1)
            #expect(metrics.fields["date"]?.correct == 4 && metrics.fields["merchant"]?.correct == 5)
            // 5 answers read: 4 with 5 values right (2 items + 3 scalars), 1 with 4 right and
            // the date wrong; the broken one misses all 5.
            #expect(metrics.truePositives == 24 && metrics.falsePositives == 1 && metrics.falseNegatives == 6)

            let written = try await ReportFiles.write(run: manifest.id, from: session.store, under: dir.path("reports"))
            #expect(ReportSchema.validate(written.path("report.xml")) == [])
            let xml = try String(contentsOfFile: written.path("report.xml"), encoding: .utf8)
            #expect(
                xml.contains(
                    #"<fields askedWith="json_schema" items="6" exact="4" jsonValid="5" schemaValid="5" withProse="1""#),
                "\(xml.suffix(2000))")
            #expect(xml.contains(#"<field name="date" correct="4" items="6" tp="4" fp="1" fn="2"/>"#))
            #expect(xml.contains(#"<group by="model" name="schema-model" attempts="6" succeeded="6" availability="1""#))
            #expect(xml.contains(#"<group by="baseURL" name="test \#(server.baseURL)" endpoint="test""#))
            let markdown = try String(contentsOfFile: written.path("summary.md"), encoding: .utf8)
            #expect(
                markdown.contains("- mini-receipts / plain-model (schema in the prompt): 4 of 6 exact"), "\(markdown)")
            let html = try String(contentsOfFile: written.path("index.html"), encoding: .utf8)
            #expect(html.contains("Field extraction") && html.contains("mini-receipts: accuracy per field"))
            // A list field: its elements' precision and recall (10 of 12 expected items found, none extra).
            #expect(html.contains("83.3% (P 1.000, R 0.833)"), "\(html)")
            #expect(html.contains(#"<tr class="fail"><td>date</td><td>2026-12-03</td><td>2026-12-04</td>"#))
            let json = try JSONParser.parse(
                Array(try Data(contentsOf: URL(fileURLWithPath: written.path("summary.json")))))
            let block = json["models"]?.arrayValue?.first?["suites"]?.arrayValue?.first?["fields"]
            #expect(block?["asked_with"] == "json_schema" && block?["exact"] == 4)
        }
    }
}
