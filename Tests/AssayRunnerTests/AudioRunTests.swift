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

/// Sound clips from a suite to a model that hears, and nowhere else: the shipped
/// transcription suite against the test server.
@Suite struct AudioRunTests {
    static let suite = PackagePaths.root + "/evalsets/audio-transcription"

    @Test func clipsGoAsInputAudioToModelsThatHearAndTranscriptsAreScoredByCER() async throws {
        let suite = try SuiteLoader.load(Self.suite)
        let clips = try CaseAudio.load(suite)
        #expect(suite.cases.count == 8 && clips.count == 8 && clips.values.allSatisfy { $0.format == "wav" })
        // Each clip is known to the server by a slice of its base64, well past the WAV header.
        var script = TestScript(defaultReply: .init(text: "(no audio)"))
        for (index, item) in suite.cases.enumerated() {
            let path = try #require(CaseAudio.paths(of: item).first)
            let base64 = try #require(clips[path]?.base64)
            let slice = String(base64.dropFirst(4000).prefix(48))
            let truth = item.expected["text"]?.stringValue ?? ""
            // Every fourth transcript is wrong.
            script.rules.append(
                .init(bodyContains: slice, reply: .init(text: index % 4 == 3 ? "something else entirely" : truth)))
        }
        let dir = try TempDirectory()
        defer { dir.remove() }
        try await TestServer.withTestServer(script: script) { server in
            try dir.write(
                "catalog.yaml",
                """
                prices: {currency: USD, date: "2026-11-26", source: test}
                endpoints:
                  - {name: test, base_url: "\(server.baseURL)"}
                models:
                  - {id: omni, family: Qwen, endpoint: test, capabilities: [text, audio], price: {input: 0.1, output: 0.4}}
                  - {id: texty, family: Qwen, endpoint: test, capabilities: [text], price: {input: 0.1, output: 0.4}}
                """)
            let plan = Plan(
                suites: [Self.suite], models: ["omni", "texty"], concurrency: 4, settings: RunSettings(cache: .off),
                catalog: dir.path("catalog.yaml"),
                store: dir.path("assay.sqlite"), reports: dir.path("reports"))
            let session = try await RunSession.prepare(plan, environment: [:])
            let manifest = try await session.run()
            let results = try await session.store.results(run: manifest.id)
            // Filtered outside #expect: Swift 6.3 gave the closure after an #expect holding a
            // closure of the same shape the #expect's body ("texty" for "omni").
            let deaf = results.filter { $0.model == "texty" }
            let heard = results.filter { $0.model == "omni" }
            #expect(
                deaf.count == 8 && deaf.allSatisfy { $0.status == .unsupported }, "no clip to a model that cannot hear")
            #expect(
                heard.count == 8 && heard.allSatisfy { $0.status == .graded }, "\(heard.map { $0.errorMessage ?? "-" })"
            )
            #expect(
                heard.filter { $0.grade?.outcome == .pass }.count == 6,
                "\(heard.map { $0.grade?.outcome.rawValue ?? "-" })")
            #expect(
                heard.allSatisfy { $0.prompt?.contains("[audio]") == true },
                "the stored prompt names the clip, not its bytes")
            let bodies = server.received.filter { $0.path.hasSuffix("chat/completions") }.map(\.body)
            #expect(
                bodies.count == 8
                    && bodies.allSatisfy { $0.contains(#""type":"input_audio""#) && $0.contains(#""format":"wav""#) })
            let summary = try await RunSummary.load(run: manifest.id, from: session.store)
            let metrics = try #require(summary.model("omni")?.suites.first?.ocr)
            #expect(
                metrics.items == 8 && (metrics.cer ?? 0) > 0 && (metrics.cer ?? 1) < 0.5,
                "two wrong of eight: \(metrics)")
        }
    }

    @Test func aClipOutsideTheSuiteOrNotSoundIsRefusedWhereItIsNamed() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("secret.wav", "RIFF....WAVE")
        try dir.write("suite/notes.wav", "just text, not audio")
        try dir.write(
            "suite/suite.yaml",
            """
            id: hear
            kind: transcription
            grader: ocr
            prompt: "Transcribe."
            requires: [audio]
            """)
        try dir.write(
            "suite/cases.jsonl",
            """
            {"id": "a", "input": {"audio": "notes.wav"}, "expected": {"text": "x"}}
            {"id": "b", "input": {"audio": "../secret.wav"}, "expected": {"text": "x"}}

            """)
        let outside = SuiteCheck.problems(at: dir.path("suite")).map(\.description).joined(separator: "\n")
        #expect(
            outside.contains("cases.jsonl:2:") && outside.contains("leads out of the suite directory"), "\(outside)")
        try dir.write(
            "suite/cases.jsonl", #"{"id": "a", "input": {"audio": "notes.wav"}, "expected": {"text": "x"}}"# + "\n")
        let notSound = SuiteCheck.problems(at: dir.path("suite")).map(\.description).joined(separator: "\n")
        #expect(notSound.contains("cases.jsonl:1:") && notSound.contains("not a WAV or MP3 file"), "\(notSound)")
    }
}
