import AssayAnalysis
import AssayConfig
import AssayCore
import AssayRunner
import AssayStore
import AssayTestServer
import AssayTestSupport
import Foundation
import Testing

/// A worker of a shared run that fails on its own (here: its plan lacks items of the run)
/// stops with its error, gives its items back and is recorded as failed, while the run goes
/// on with the others and ends completed: one worker's failure is not the run's.
@Suite(.enabled(if: TestPostgres.url != nil, "needs the PostgreSQL that scripts/test starts"))
struct WorkerFailureTests {
    @Test func oneWorkersFailureIsItsOwnNotTheRuns() async throws {
        let url = try #require(TestPostgres.url)
        let dir = try TempDirectory()
        defer { dir.remove() }
        let cases = 60
        let script = TestScript(
            defaultReply: .init(text: "positive", ttftMs: 40, usage: .init(promptTokens: 10, completionTokens: 1)))
        try await TestServer.withTestServer(script: script) { server in
            try dir.write(
                "catalog.yaml", Fixtures.catalog(baseURL: server.baseURL, models: ["good", "bad"], output: "2.0"))
            let fixture = Fixtures.sentimentSuite(count: cases)
            try dir.write("suite/suite.yaml", fixture.yaml)
            try dir.write("suite/cases.jsonl", fixture.cases)
            var plan = Plan(
                suites: [dir.path("suite")], models: ["good", "bad"], concurrency: 4, catalog: dir.path("catalog.yaml"),
                store: url,
                reports: dir.path("reports"))
            // Every item asked (the shared store's cache holds earlier runs' answers).
            plan.settings.cache = .off
            let runID = TestPostgres.uniqueRunID("failing-worker")
            let creator = try await RunSession.prepare(plan, environment: [:])
            let created = Task { try await creator.run(.start, id: runID, gitCommit: nil) }
            var manifest: RunManifest?
            while manifest == nil {
                manifest = try await creator.store.run(runID)
                if manifest == nil { try await Task.sleep(for: .milliseconds(5)) }
            }
            // The creator at work (an answer stored, so it holds claimed items under a live
            // lease) before the faulty worker joins: a worker that failed while nobody else held
            // an item would rightly leave the run `interrupted`, and on a loaded machine the
            // faulty one could otherwise claim first.
            while try await creator.store.resultCount(run: runID) == 0 {
                try await Task.sleep(for: .milliseconds(5))
            }
            // A worker whose plan lacks the model "bad": the first item of it that it claims stops it.
            var partial = plan
            partial.models = ["good"]
            let faulty = try await RunSession.prepare(partial, environment: [:])
            let worker = Worker()
            await #expect(throws: StoreError.self) {
                _ = try await faulty.run(.join(try #require(manifest)), worker: worker)
            }
            let statusAfterFailure = try await creator.store.run(runID)?.status
            #expect(statusAfterFailure == .running, "while the others work, the run is theirs, not failed")
            let ended = try await created.value
            #expect(ended.status == .completed, "the run went on without the failed worker")
            #expect(
                try await creator.store.resultCount(run: runID) == cases * 2,
                "its claimed items went back to the others")
            let failed = try #require(ended.workers?.first { $0.worker == worker.id })
            #expect(failed.failure?.contains("which this worker's plan does not") == true, "\(failed)")
            #expect(ended.workers?.contains { $0.worker != worker.id && $0.failure == nil } == true)
            #expect(TrafficText.workerLines(ended).contains { $0.contains("stopped on its own failure") })
            await faulty.store.close()
            await creator.store.close()
        }
    }
}
