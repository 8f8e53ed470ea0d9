import AssayCore
import AssayStore
import Foundation

/// A small, fixed run in a fresh store: three models (one free, one without vision), a
/// classification suite, a math suite and an OCR suite, with right, wrong, ambiguous and
/// failed items; and, when asked, hostile answers. Everything is deterministic, for the
/// golden files.
enum ReportFixture {
    static let runID = "20261123-120000-golden"
    static let started = Date(timeIntervalSince1970: 1_795_435_200)

    static let hostileOutputs = [
        "<script>document.body.setAttribute('data-pwned','1')</script>",
        "]]><evil>&amp;</evil><![CDATA[",
        "controls: \u{0}\u{1}\u{8}\u{B}\u{C}\u{1B}\u{7F}\u{FFFE} end",
        "invalid UTF-8 decoded: \u{FFFD}\u{FFFD} and a lone \u{FFFD}",
        "<img src=x onerror=\"document.body.setAttribute('data-pwned','2')\">\"'&",
    ]

    static func manifest() -> RunManifest {
        let price = { (input: Double?, output: Double) in
            Price(inputPerMillion: input, outputPerMillion: output, date: "2026-11-23", source: "fixture")
        }
        let catalog = Catalog(
            endpoints: [Endpoint(name: "e", baseURLs: ["http://127.0.0.1:9/v1"])],
            models: [
                ModelSpec(
                    id: "alpha", family: "A", endpoint: "e", capabilities: [.text, .vision], contextWindow: 1000,
                    price: price(nil, 2)),
                ModelSpec(
                    id: "beta", family: "B", endpoint: "e", capabilities: [.text], contextWindow: 1000,
                    price: price(1, 4)),
                ModelSpec(
                    id: "local", family: "L", endpoint: "e", capabilities: [.text, .vision], contextWindow: 1000,
                    price: price(0, 0)),
            ])
        return RunManifest(
            id: runID, plan: "plans/fixture.yaml",
            suites: [
                SuiteRef(
                    id: "sentiment", path: "evalsets/sentiment", kind: .classification, grader: .label, cases: 6,
                    labels: ["neg", "pos"]),
                SuiteRef(id: "math", path: "evalsets/math", kind: .math, grader: .numeric, cases: 5),
                SuiteRef(id: "ocr", path: "evalsets/ocr", kind: .ocr, grader: .ocr, cases: 3),
            ],
            models: ["alpha", "beta", "local"], epochs: 1, concurrency: 4, catalog: catalog,
            gitCommit: "0123456789abcdef0123456789abcdef01234567",
            startedAt: started, endedAt: started.addingTimeInterval(61), status: .completed)
    }

    static func results(hostile: Bool) -> [ItemResult] {
        var results: [ItemResult] = []
        let models = [("alpha", 0.000002, 0), ("beta", 0.00001, 1), ("local", 0.0, 2)]
        for (model, cost, offset) in models {
            func item(
                _ suite: String, _ index: Int, outcome: Grade.Outcome?, expected: String, output: String,
                extracted: String?, evidence: [String: JSONValue] = [:], status: ItemResult.Status = .graded
            ) -> ItemResult {
                let latency = 100 + Double((index * 37 + offset * 11) % 90)
                return ItemResult(
                    runID: runID, suiteID: suite, caseID: "\(suite)-\(index)", model: model, epoch: 1,
                    requestHash: "\(model)-\(suite)-\(index)",
                    status: status, expected: expected, output: status == .graded ? output : nil,
                    finishReason: status == .graded ? "stop" : nil,
                    grade: outcome.map {
                        Grade(
                            outcome: $0, score: $0 == .pass ? 1 : 0, extracted: extracted, rule: "fixture rule",
                            evidence: evidence)
                    },
                    usage: status == .graded ? Usage(promptTokens: 20, completionTokens: 6) : nil,
                    cost: status == .graded ? Cost(amount: cost, basis: model == "alpha" ? .outputOnly : .full) : nil,
                    timing: status == .graded ? Timing(ttftMs: latency / 4, latencyMs: latency) : nil,
                    errorKind: status == .error ? .rateLimited : nil,
                    errorMessage: status == .error ? "rate_limited (HTTP 429): slow down" : nil,
                    attempts: 1, servedBy: "http://127.0.0.1:9/v1", recordedAt: started)
            }
            for index in 0..<6 {
                let truth = index % 2 == 0 ? "pos" : "neg"
                let right = (index + offset) % 3 != 0
                let predicted = right ? truth : (truth == "pos" ? "neg" : "pos")
                var output = "The sentiment is \(predicted)."
                if hostile, model == "alpha" { output = hostileOutputs[index % hostileOutputs.count] }
                if index == 5 && model == "beta" {
                    results.append(
                        item(
                            "sentiment", index, outcome: .fail, expected: truth, output: "pos or neg", extracted: nil,
                            evidence: ["expected": .string(truth), "ambiguous": true]))
                } else {
                    results.append(
                        item(
                            "sentiment", index, outcome: right ? .pass : .fail, expected: truth, output: output,
                            extracted: predicted, evidence: ["expected": .string(truth)]))
                }
            }
            for index in 0..<5 {
                if index == 4 && model == "beta" {
                    results.append(
                        item("math", index, outcome: nil, expected: "12", output: "", extracted: nil, status: .error))
                    continue
                }
                let right = index <= 2 + offset % 2
                results.append(
                    item(
                        "math", index, outcome: right ? .pass : .fail, expected: "\(index * 3)",
                        output: "Answer: \(right ? index * 3 : 99)", extracted: right ? "\(index * 3)" : "99"))
            }
            for index in 0..<3 {
                if model == "beta" {
                    results.append(
                        item(
                            "ocr", index, outcome: nil, expected: "text \(index)", output: "", extracted: nil,
                            status: .unsupported))
                    continue
                }
                let edits = index == 2 ? 4 : 0
                results.append(
                    item(
                        "ocr", index, outcome: edits == 0 ? .pass : .fail, expected: "Line \(index) of text",
                        output: "Line \(index) of text", extracted: nil,
                        evidence: [
                            "char_edits": .int(edits), "ref_chars": 14, "word_edits": .int(edits > 0 ? 1 : 0),
                            "ref_words": 4, "cer": .double(Double(edits) / 14),
                        ]))
            }
        }
        if hostile {
            // A 10 MB answer.
            var huge = results[0]
            huge.caseID = "sentiment-huge"
            huge.output = String(repeating: "<b>big</b> ", count: 1_000_000)
            results.append(huge)
        }
        return results
    }

    /// A store holding the fixture run.
    static func store(at path: String, hostile: Bool = false) async throws -> Store {
        let store = try Store(path: path)
        try await store.createRun(manifest())
        for result in results(hostile: hostile) { try await store.record(result) }
        try await store.finishRun(
            runID, status: .completed, endedAt: started.addingTimeInterval(61), traffic: [], worker: nil, load: nil)
        return store
    }
}
