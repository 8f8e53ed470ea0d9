import AssayConfig
import AssayCore
import AssayRunner
import AssayStore
import AssayTestServer
import Foundation

/// Items per second with 1, 2 and 4 workers sharing one run in PostgreSQL (each worker its
/// own session, connection pool and HTTP clients, as separate machines would have), as a
/// ratio to one worker with a SQLite store, all at the same concurrency per worker against a
/// test server answering in `latencyMs` (a vendor's latency is what more workers hide).
public enum ScaleOutBenchmark {
    public struct Figure: Sendable {
        public var workers: Int
        public var rate: Double
    }

    public struct Result: Sendable {
        public var items: Int
        public var concurrency: Int
        public var latencyMs: Double
        public var sqliteRate: Double
        public var postgres: [Figure]

        public var text: String {
            var out = String(
                format: "scale-out: %d items, concurrency %d per worker, server answering in %.0f ms\n", items,
                concurrency, latencyMs)
            out += String(format: "  SQLite, 1 worker       %8.0f items/s   (the reference)\n", sqliteRate)
            for figure in postgres {
                out += String(
                    format: "  PostgreSQL, %d worker%@  %8.0f items/s   ratio %.2f\n", figure.workers,
                    figure.workers == 1 ? " " : "s", figure.rate,
                    figure.rate / sqliteRate)
            }
            out +=
                "  (workers share this machine's cores with the server and the database: on separate machines they add more)\n"
            return out
        }
    }

    public static func measure(
        postgres url: String, items: Int = 4000, concurrency: Int = 16, latencyMs: Double = 50,
        workers: [Int] = [1, 2, 4]
    ) async throws -> Result {
        let server = try await TestServer.start(
            script: TestScript(defaultReply: .init(text: "positive", ttftMs: latencyMs)), keepRequests: false)
        let workspace = try RunnerBenchmarks.Workspace(cases: items, server: server)
        defer { workspace.remove() }
        let plan = workspace.plan(concurrency: concurrency)
        // Warm up the code paths and the server, then measure.
        _ = try await RunnerBenchmarks.run(
            RunnerBenchmarks.Workspace(cases: 200, server: server).plan(concurrency: concurrency))
        let (_, _, sqliteSeconds) = try await RunnerBenchmarks.run(plan)
        var figures: [Figure] = []
        for count in workers {
            var shared = plan
            shared.store = url
            let seconds = try await sharedRun(shared, workers: count).seconds
            figures.append(Figure(workers: count, rate: Double(items) / seconds))
        }
        await server.shutdown()
        return Result(
            items: items, concurrency: concurrency, latencyMs: latencyMs, sqliteRate: Double(items) / sqliteSeconds,
            postgres: figures)
    }

    /// Seconds from the first worker's start to the last one's end, `workers` sharing one run,
    /// and the run's manifest as stored at the end.
    static func sharedRun(_ plan: Plan, workers: Int) async throws -> (seconds: Double, manifest: RunManifest?) {
        let id = "scale-\(workers)-\(UUID().uuidString.prefix(8).lowercased())"
        let first = try await RunSession.prepare(plan, environment: [:])
        let clock = ContinuousClock()
        let start = clock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { _ = try await first.run(.start, id: id, gitCommit: nil) }
            var manifest: RunManifest?
            while manifest == nil {
                manifest = try await first.store.run(id)
                if manifest == nil { try await Task.sleep(for: .milliseconds(5)) }
            }
            for _ in 1..<max(1, workers) {
                guard let manifest else { break }
                let joiner = try await RunSession.prepare(plan, environment: [:])
                group.addTask {
                    _ = try await joiner.run(.join(manifest), gitCommit: nil)
                    await joiner.store.close()
                }
            }
            try await group.waitForAll()
        }
        let seconds = (clock.now - start).inSeconds
        let manifest = try await first.store.run(id)
        await first.store.close()
        return (seconds, manifest)
    }
}
