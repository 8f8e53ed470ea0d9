import AssayCore
import AssayStore
import AssayTestSupport
import Foundation
import Testing

/// Issue 34's check, through the CLI: suites of 1K to 16K generated twice are byte for byte the
/// same; a scripted server that answers right only below a prompt length gives an effective
/// context length equal to the longest length whose cases all passed; a model with a 4K window
/// is never sent a case past it (those are unsupported, with the reason).
@Suite struct LongContextEndToEndTests {
    static let lengths = ["1k", "2k", "4k", "8k", "16k"]

    @Test func theEffectiveLengthIsTheLongestLengthWhoseCasesAllPassed() async throws {
        let dir = try TempDirectory("assay-long-context")
        defer { dir.remove() }
        for out in ["a", "b"] {
            let generated = try await runAssay([
                "generate", "long-context", "--lengths", Self.lengths.joined(separator: ","), "--out", dir.path(out),
                "--seed", "11",
            ])
            #expect(generated.status == 0, "\(generated)")
        }
        for length in Self.lengths {
            let haystacks = try FileManager.default.contentsOfDirectory(
                atPath: dir.path("a/long-context-\(length)/haystacks"))
            #expect(
                haystacks.sorted()
                    == (try FileManager.default.contentsOfDirectory(
                        atPath: dir.path("b/long-context-\(length)/haystacks"))).sorted() && !haystacks.isEmpty)
            for file in ["suite.yaml", "cases.jsonl"] + haystacks.sorted().map({ "haystacks/" + $0 }) {
                let first = try Data(contentsOf: URL(fileURLWithPath: dir.path("a/long-context-\(length)/\(file)")))
                let second = try Data(contentsOf: URL(fileURLWithPath: dir.path("b/long-context-\(length)/\(file)")))
                #expect(first == second && !first.isEmpty, "\(length)/\(file) differs between two generations")
            }
        }

        // Right only for prompts of at most 6,000 estimated tokens: 1k, 2k and 4k pass, 8k fails.
        let server = try await ServeTest([
            "--suite", dir.path("a"), "--answer-below-tokens", "6000", "--ttft-ms", "0", "--chunk-delay-ms", "0",
        ])
        defer { server.stop() }
        try dir.write(
            "catalog.yaml",
            """
            prices: {currency: USD, date: "2026-12-05", source: test}
            endpoints:
              - {name: test, base_url: "\(server.baseURL)", api_key_env: null}
            models:
              - {id: wide, family: Test, endpoint: test, capabilities: [text], context_window: 131072, price: {input: 1.0, cached_input: 0.1, output: 2.0}}
              - {id: narrow, family: Test, endpoint: test, capabilities: [text], context_window: 4096, price: {input: 1.0, output: 2.0}}

            """)
        var arguments = [
            "run", "--model", "wide", "--model", "narrow", "--catalog", dir.path("catalog.yaml"), "--quiet",
            "--store", dir.path("s.sqlite"), "--reports", dir.path("reports"),
        ]
        for length in Self.lengths { arguments += ["--suite", dir.path("a/long-context-\(length)")] }
        let run = try await runAssay(arguments)
        #expect(run.status == 0 || run.status == 1, "\(run)")

        let store = try Store(path: dir.path("s.sqlite"))
        let manifest = try #require(try await store.runs().first)
        let results = try await store.results(run: manifest.id)
        #expect(results.count == 2 * Self.lengths.count * 28)

        // The longest length, walking up, at which every case of the wide model passed.
        var allPassed: String?
        for length in Self.lengths {
            let at = results.filter { $0.model == "wide" && $0.tags.contains("length:\(length)") }
            #expect(at.count == 28)
            guard at.allSatisfy({ $0.grade?.outcome == .pass }) else { break }
            allPassed = length
        }
        #expect(allPassed == "4k")

        // The narrow model: nothing past its window was sent.
        for result in results where result.model == "narrow" {
            let length = try #require(ContextLength.of(tags: result.tags))
            if length.tokens >= 4096 {
                #expect(result.status == .unsupported, "\(result.caseID) at \(length) was sent to a 4K model")
                #expect(result.errorMessage?.contains("context window of 4096") == true, "\(result.errorMessage ?? "")")
                #expect(result.usage == nil && result.attempts == 0)
            } else {
                #expect(result.status == .graded, "\(result.caseID) at \(length): \(result.errorMessage ?? "")")
            }
        }

        let json = try JSONParser.parse(
            Array(try Data(contentsOf: URL(fileURLWithPath: dir.path("reports/\(manifest.id)/summary.json")))))
        let models = json["models"]?.arrayValue ?? []
        let wide = try #require(models.first { $0["model"]?.stringValue == "wide" })
        let narrow = try #require(models.first { $0["model"]?.stringValue == "narrow" })
        #expect(wide["long_context"]?["effective_length"]?.stringValue == allPassed)
        #expect(narrow["long_context"]?["effective_length"]?.stringValue == "2k")
        let narrowLengths = narrow["long_context"]?["by_length"]?.arrayValue ?? []
        let eight = try #require(narrowLengths.first { $0["length"]?.stringValue == "8k" })
        #expect(eight["unsupported"]?.intValue == 28 && eight["asked"]?.intValue == 0)

        let html = try String(contentsOfFile: dir.path("reports/\(manifest.id)/index.html"), encoding: .utf8)
        #expect(html.contains("Long context") && html.contains("not sent"))
        let markdown = try String(contentsOfFile: dir.path("reports/\(manifest.id)/summary.md"), encoding: .utf8)
        #expect(markdown.contains("wide: effective context 4k"), "\(markdown)")
        let xml = try String(contentsOfFile: dir.path("reports/\(manifest.id)/report.xml"), encoding: .utf8)
        #expect(xml.contains(#"<longContext effectiveLength="4k""#))
        let xmllint = Process()
        xmllint.executableURL = URL(fileURLWithPath: "/usr/bin/xmllint")
        xmllint.arguments = [
            "--noout", "--schema", PackagePaths.root + "/schemas/assay-report-1.xsd",
            dir.path("reports/\(manifest.id)/report.xml"),
        ]
        try xmllint.run()
        xmllint.waitUntilExit()
        #expect(xmllint.terminationStatus == 0, "report.xml is valid against the schema")
    }

    /// By characters instead: Chinese prompts carry more tokens a character, so at 8k the
    /// English cases fail and the Chinese ones pass; the effective length is still the
    /// longest length whose cases all passed.
    @Test func aThresholdInCharactersGivesTheLongestLengthWhoseCasesAllPassed() async throws {
        let dir = try TempDirectory("assay-long-context-chars")
        defer { dir.remove() }
        let lengths = ["1k", "4k", "8k"]
        let generated = try await runAssay([
            "generate", "long-context", "--lengths", lengths.joined(separator: ","), "--out", dir.path("lc"),
        ])
        #expect(generated.status == 0, "\(generated)")
        let server = try await ServeTest([
            "--suite", dir.path("lc"), "--answer-below-chars", "30000", "--ttft-ms", "0", "--chunk-delay-ms", "0",
        ])
        defer { server.stop() }
        try dir.write("catalog.yaml", Fixtures.catalog(baseURL: server.baseURL, models: ["alpha"]))
        var arguments = [
            "run", "--model", "alpha", "--catalog", dir.path("catalog.yaml"), "--quiet", "--store",
            dir.path("s.sqlite"), "--reports", dir.path("reports"),
        ]
        for length in lengths { arguments += ["--suite", dir.path("lc/long-context-\(length)")] }
        let run = try await runAssay(arguments)
        #expect(run.status == 0 || run.status == 1, "\(run)")
        let store = try Store(path: dir.path("s.sqlite"))
        let manifest = try #require(try await store.runs().first)
        let results = try await store.results(run: manifest.id)
        var allPassed: String?
        for length in lengths {
            guard results.filter({ $0.tags.contains("length:\(length)") }).allSatisfy({ $0.grade?.outcome == .pass })
            else { break }
            allPassed = length
        }
        let eight = results.filter { $0.tags.contains("length:8k") }
        #expect(eight.contains { $0.grade?.outcome == .pass } && eight.contains { $0.grade?.outcome == .fail })
        let json = try JSONParser.parse(
            Array(try Data(contentsOf: URL(fileURLWithPath: dir.path("reports/\(manifest.id)/summary.json")))))
        let alpha = try #require(json["models"]?.arrayValue?.first)
        #expect(allPassed == "4k")
        #expect(alpha["long_context"]?["effective_length"]?.stringValue == allPassed)
    }

    /// Cases that share a haystack wait for the first of them to be answered, so that a
    /// vendor's prompt cache holds the haystack when the others arrive, even with many in
    /// flight: with a 400 ms answer, the other three four-keys cases go out after the first's.
    @Test func casesSharingAHaystackGoAfterTheFirstIsAnswered() async throws {
        let dir = try TempDirectory("assay-long-context-warm")
        defer { dir.remove() }
        let generated = try await runAssay([
            "generate", "long-context", "--lengths", "1k", "--languages", "en", "--tasks", "niah-multikey", "--out",
            dir.path("lc"),
        ])
        #expect(generated.status == 0, "\(generated)")
        let server = try await ServeTest(["--suite", dir.path("lc"), "--ttft-ms", "400", "--chunk-delay-ms", "0"])
        defer { server.stop() }
        try dir.write("catalog.yaml", Fixtures.catalog(baseURL: server.baseURL, models: ["alpha"]))
        let run = try await runAssay([
            "run", "--model", "alpha", "--catalog", dir.path("catalog.yaml"), "--quiet", "--concurrency", "8",
            "--suite", dir.path("lc/long-context-1k"), "--store", dir.path("s.sqlite"), "--reports",
            dir.path("reports"),
        ])
        #expect(run.status == 0, "\(run)")
        let store = try Store(path: dir.path("s.sqlite"))
        let manifest = try #require(try await store.runs().first)
        let sent = try await store.attempts(run: manifest.id, after: 0, limit: 100).attempts.map {
            $0.attempt.sentAt.timeIntervalSince1970
        }.sorted()
        #expect(sent.count == 4)
        #expect(sent.count == 4 && sent[1] - sent[0] >= 0.35, "sent at \(sent.map { $0 - sent[0] })")
    }
}
