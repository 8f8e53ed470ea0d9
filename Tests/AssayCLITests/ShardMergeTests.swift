import AssayCore
import AssayStore
import AssayTestServer
import AssayTestSupport
import Foundation
import Testing

/// A run split across a CI matrix (`--shard K/8`) and joined back (`assay merge`) is the run
/// made in one piece: the same summary.json but for the fields that time things.
@Suite struct ShardMergeTests {
    static let cases = 12

    func setUp(_ dir: TempDirectory) throws -> TestScript {
        let fixture = Fixtures.sentimentSuite(count: Self.cases)
        try dir.write("suite/suite.yaml", fixture.yaml)
        try dir.write("suite/cases.jsonl", fixture.cases)
        try dir.write(
            "catalog.yaml",
            Fixtures.catalog(baseURL: "http://127.0.0.1:1/v1", models: ["alpha", "beta"], input: "0.5", output: "2"))
        // alpha answers every case right, beta only the odd ones: scores differ per model.
        var script = TestScript(
            defaultReply: .init(text: "positive", ttftMs: 1, usage: .init(promptTokens: 12, completionTokens: 1)))
        for index in 1...Self.cases {
            script.rules.append(
                .init(
                    model: "alpha", promptEquals: Fixtures.sentimentPrompt(index),
                    reply: .init(
                        text: Fixtures.sentimentLabel(index), ttftMs: 1,
                        usage: .init(promptTokens: 12, completionTokens: 1))))
        }
        return script
    }

    func run(_ dir: TempDirectory, _ server: TestServer, store: String, _ extra: [String]) async throws -> CommandResult
    {
        try await runAssay(
            [
                "run", "--suite", dir.path("suite"), "--model", "alpha", "--model", "beta", "--epochs", "2",
                "--catalog", dir.path("catalog.yaml"),
                "--base-url", "test=\(server.baseURL)", "--store", dir.path(store), "--reports",
                dir.path("reports-\(store)"), "--no-cache",
            ] + extra)
    }

    /// summary.json without what measures time (latencies, rates, timestamps, waits).
    static func untimed(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object):
            var kept: [String: JSONValue] = [:]
            for (key, value) in object
            where
                !(key.hasSuffix("_ms") || key.hasSuffix("_seconds") || key.hasSuffix("per_second")
                || key.hasSuffix("_at") || key == "latency_ms")
            {
                kept[key] = untimed(value)
            }
            return .object(kept)
        case .array(let array): return .array(array.map(untimed))
        default: return value
        }
    }

    @Test func eightShardsMergedAreTheRunMadeWhole() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let script = try setUp(dir)
        try await TestServer.withTestServer(script: script) { server in
            let whole = try await run(dir, server, store: "whole.sqlite", ["--run-id", "sweep"])
            #expect(whole.status == 0, "beta's wrong answers are answers; the run is complete: \(whole)")
            var shardStores: [String] = []
            var sizes: [Int] = []
            for index in 1...8 {
                let store = "shard-\(index).sqlite"
                let shard = try await run(dir, server, store: store, ["--shard", "\(index)/8", "--run-id", "sweep"])
                #expect(shard.status == 0 || shard.status == 3, "\(shard)")
                shardStores.append(dir.path(store))
                sizes.append(try await Store(path: dir.path(store)).resultCount(run: "sweep"))
            }
            #expect(sizes.reduce(0, +) == Self.cases * 2 * 2, "every item in exactly one shard: \(sizes)")
            #expect(sizes.filter { $0 > 0 }.count >= 6, "the hash spreads the items: \(sizes)")

            let merge = try await runAssay(["merge"] + shardStores + ["--into", dir.path("merged.sqlite")])
            #expect(merge.status == 0, "\(merge)")
            #expect(merge.stdout.contains("48 results (0 found twice)"), "\(merge.stdout)")
            let report = try await runAssay([
                "report", "sweep", "--store", dir.path("merged.sqlite"), "--reports", dir.path("reports-merged"),
            ])
            #expect(report.status == 0, "\(report)")
            func summary(_ reports: String) throws -> JSONValue {
                try JSONDecoder().decode(
                    JSONValue.self,
                    from: Data(contentsOf: URL(fileURLWithPath: dir.path("\(reports)/sweep/summary.json"))))
            }
            let merged = Self.untimed(try summary("reports-merged"))
            let original = Self.untimed(try summary("reports-whole.sqlite"))
            #expect(merged == original, "summary.json of the merged shards is the whole run's but for timing")
            #expect(merged["models"]?.arrayValue?.map { $0["score"] } == [1, 0.5])
            let mergedAttempts = try await Store(path: dir.path("merged.sqlite")).attemptCount(run: "sweep")
            #expect(mergedAttempts == 48)
        }
    }

    @Test func shardsOfDifferentRunsOrAnsweredTwiceAreRefused() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let script = try setUp(dir)
        try await TestServer.withTestServer(script: script) { server in
            _ = try await run(dir, server, store: "a.sqlite", ["--shard", "1/2", "--run-id", "r"])
            _ = try await run(dir, server, store: "b.sqlite", ["--run-id", "r"])
            _ = try await run(
                dir, server, store: "c.sqlite", ["--shard", "2/2", "--run-id", "r", "--temperature", "0.7"])
            // The same items answered in both stores: which one wins must be said.
            let twice = try await runAssay([
                "merge", dir.path("a.sqlite"), dir.path("b.sqlite"), "--into", dir.path("ab.sqlite"),
            ])
            #expect(twice.status == 2 && twice.stderr.contains("give --prefer first or --prefer last"), "\(twice)")
            #expect(
                !FileManager.default.fileExists(atPath: dir.path("ab.sqlite")), "a refused merge leaves no store behind"
            )
            let preferred = try await runAssay([
                "merge", dir.path("a.sqlite"), dir.path("b.sqlite"), "--into", dir.path("ab.sqlite"), "--prefer",
                "last",
            ])
            #expect(preferred.status == 0, "\(preferred)")
            // Another temperature is another run.
            let other = try await runAssay([
                "merge", dir.path("a.sqlite"), dir.path("c.sqlite"), "--into", dir.path("ac.sqlite"),
            ])
            #expect(
                other.status == 2
                    && other.stderr.contains(
                        "\(dir.path("c.sqlite")): run r is not the run in \(dir.path("a.sqlite")): the settings differ"),
                "\(other)")
            // A shard of a stored run cannot be run again into the same store.
            let again = try await run(dir, server, store: "a.sqlite", ["--shard", "1/2", "--run-id", "r"])
            #expect(again.status == 2 && again.stderr.contains("run r is already in this store"), "\(again)")
        }
    }

    @Test func withoutARunIdShardsDeriveTheSameOne() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let script = try setUp(dir)
        try await TestServer.withTestServer(script: script) { server in
            _ = try await run(dir, server, store: "x.sqlite", ["--shard", "1/3"])
            _ = try await run(dir, server, store: "y.sqlite", ["--shard", "3/3"])
            let x = try #require(try await Store(path: dir.path("x.sqlite")).runs().first?.id)
            let y = try #require(try await Store(path: dir.path("y.sqlite")).runs().first?.id)
            #expect(x == y && x.hasPrefix("plan-"), "\(x) \(y)")
        }
    }
}
