import AssayAnalysis
import AssayConfig
import AssayCore
import AssayProviders
import AssayRunner
import AssayRuns
import AssayStore
import AssayTestServer
import Foundation
import SystemPackage

/// The runner's benchmarks: throughput against `wrk` on the same server, timing truth
/// against a scripted server, and peak memory by number of items. Each prints its figures
/// next to their reference and target.
public enum RunnerBenchmarks {
    /// A temporary workspace: a suite of `cases` exact-label cases and a catalog for `server`.
    struct Workspace {
        let directory: String

        /// `limits`: the endpoint's `limits:` in the catalog (`["requests_per_minute": 6000]`).
        init(cases: Int, server: TestServer, models: [String] = ["bench"], limits: JSONValue? = nil) throws {
            try self.init(cases: cases, baseURL: server.baseURL, models: models, limits: limits)
        }

        /// `sized`: every prompt ends with `template`, then the case's `prompt` (in its input),
        /// and every case carries `rest` too, kept but not sent; `label` is every case's expected
        /// label (text items the size of another kind's: `AgainstTextItems`).
        init(
            cases: Int, baseURL: String, models: [String] = ["bench"], limits: JSONValue? = nil,
            sized: (template: String, prompt: String, rest: String)? = nil, label: String = "positive"
        ) throws {
            directory = FilePath(NSTemporaryDirectory()).appending("assay-bench-\(UUID().uuidString.prefix(8))").string
            try FileManager.default.createDirectory(
                atPath: FilePath(directory).appending("suite").string, withIntermediateDirectories: true)
            try write(
                "suite/suite.yaml",
                [
                    "id": "bench", "kind": "classification", "grader": "exact-label",
                    "prompt": .string("Item {{n}}: answer positive." + (sized.map { $0.template + "{{pad}}" } ?? "")),
                    "generation": ["max_tokens": 8],
                ])
            let expected = JSONValue.string(label).compactJSON
            let padding =
                sized.map {
                    #", "pad": \#(JSONValue.string($0.prompt).compactJSON), "rest": \#(JSONValue.string($0.rest).compactJSON)"#
                } ?? ""
            var lines = ""
            lines.reserveCapacity(cases * (70 + expected.utf8.count + padding.utf8.count))
            for index in 0..<cases {
                lines +=
                    #"{"id": "b\#(index)", "input": {"n": \#(index)\#(padding)}, "expected": {"label": \#(expected)}}"#
                    + "\n"
            }
            try Data(lines.utf8).write(
                to: URL(fileURLWithPath: FilePath(directory).appending("suite/cases.jsonl").string))
            var endpoint: [String: JSONValue] = ["name": "bench", "base_url": .string(baseURL)]
            if let limits { endpoint["limits"] = limits }
            try writeCatalog(
                endpoint: .object(endpoint),
                models: models.map { ["id": .string($0), "family": "Bench", "endpoint": "bench"] })
        }

        /// A file of the workspace as JSON, which every YAML reader reads: built from values,
        /// not from YAML text.
        func write(_ relative: String, _ value: JSONValue) throws {
            try Data(value.prettyJSON.utf8).write(
                to: URL(fileURLWithPath: FilePath(directory).appending(relative).string))
        }

        /// catalog.yaml with one endpoint and these models, each priced at $0.5 per million
        /// output tokens and no input price (`capabilities` as each model says, else text).
        func writeCatalog(endpoint: JSONValue, models: [[String: JSONValue]]) throws {
            try write(
                "catalog.yaml",
                [
                    "prices": ["currency": "USD", "date": "2026-11-23", "source": "benchmark"],
                    "endpoints": [endpoint],
                    "models": .array(
                        models.map { model in
                            .object(model.merging(["price": ["input": nil, "output": 0.5]]) { own, _ in own })
                        }),
                ])
        }

        func plan(concurrency: Int, epochs: Int = 1, models: [String] = ["bench"], rampUp: Double? = nil) -> Plan {
            var settings = RunSettings(cache: .off, rampUp: rampUp)
            settings.timeouts = RequestTimeouts(connect: 10, firstToken: 60, idle: 60, total: 120)
            return Plan(
                suites: [FilePath(directory).appending("suite").string], models: models, epochs: epochs,
                concurrency: concurrency, settings: settings,
                catalog: FilePath(directory).appending("catalog.yaml").string,
                store: FilePath(directory).appending("bench.sqlite").string,
                reports: FilePath(directory).appending("reports").string)
        }

        func remove() { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// Runs `plan` to its end; returns the run's id, its store and the seconds the run took
    /// (from the first request to the last stored result; loading the suite is not counted).
    static func run(_ plan: Plan) async throws -> (String, any RunStore, Double) {
        let session = try await RunSession.prepare(plan, environment: [:])
        let clock = ContinuousClock()
        let start = clock.now
        let manifest = try await session.run(gitCommit: nil)
        let seconds = (clock.now - start).inSeconds
        return (manifest.id, session.store, seconds)
    }

    // MARK: throughput

    public struct Throughput: Sendable {
        public var items: Int
        public var assayRate: Double
        /// The provider alone (HTTP, SSE, decoding; no grading, no store), for where the time goes.
        public var providerRate: Double
        public var wrkRate: Double?
        public var wrkNote: String?

        public var text: String {
            var out = "throughput: request + grade + store, concurrency 64, zero-delay test server\n"
            out += String(format: "  Assay   %9.0f items/s   (%d items)\n", assayRate, items)
            out += String(
                format: "    of which the HTTP client alone: %.0f requests/s (no grading, no store)\n", providerRate)
            if let wrkRate {
                out += String(
                    format: "  wrk     %9.0f requests/s (same server, same request, 64 connections)\n", wrkRate)
                out += String(format: "  ratio   %9.2f          (target: at least 0.5)\n", assayRate / wrkRate)
            } else {
                out += "  wrk     not measured: \(wrkNote ?? "?")\n"
            }
            return out
        }
    }

    public static func throughput(items: Int = 20_000, concurrency: Int = 64, wrkSeconds: Int = 5) async throws
        -> Throughput
    {
        let server = try await TestServer.start(
            script: TestScript(defaultReply: .init(text: "positive")), keepRequests: false)
        let workspace = try Workspace(cases: items, server: server)
        defer {
            workspace.remove()
        }
        // Warm up the connections and the code paths, then measure.
        _ = try await run(Workspace(cases: 500, server: server).plan(concurrency: concurrency))
        let (_, _, seconds) = try await run(workspace.plan(concurrency: concurrency))
        let providerRate = try await providerOnly(
            server: server, requests: min(items, 20_000), concurrency: concurrency)
        let body = ChatWireFormat.body(
            ChatRequest(
                model: "bench", messages: [ChatMessage(role: .user, text: "Item 1: answer positive.")], maxTokens: 8)
        ).compactJSON
        let wrk =
            wrkSeconds > 0
            ? try await Wrk.run(
                url: server.baseURL + "/chat/completions", body: body, connections: concurrency, seconds: wrkSeconds)
            : (rate: nil, note: "skipped (--wrk-seconds 0)")
        await server.shutdown()
        return Throughput(
            items: items, assayRate: Double(items) / seconds, providerRate: providerRate, wrkRate: wrk.rate,
            wrkNote: wrk.note)
    }

    /// Requests per second through the provider alone, `concurrency` at a time.
    static func providerOnly(server: TestServer, requests: Int, concurrency: Int) async throws -> Double {
        let endpoint = Endpoint(name: "bench", baseURLs: [server.baseURL])
        let clients = try await EndpointClients.make(
            endpoints: [(endpoint, ["bench"])], environment: [:], connectionsPerHost: concurrency)
        guard let provider = clients.providers["bench"] else { return 0 }
        let request = ChatRequest(
            model: "bench", messages: [ChatMessage(role: .user, text: "Item 1: answer positive.")], maxTokens: 8)
        let clock = ContinuousClock()
        let start = clock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<requests {
                if index >= concurrency { try await group.next() }
                group.addTask { _ = try await provider.complete(request) }
            }
            try await group.waitForAll()
        }
        let seconds = (clock.now - start).inSeconds
        await clients.shutdown()
        return Double(requests) / seconds
    }

    // MARK: timing truth

    public struct TimingTruth: Sendable {
        /// One way of sending the requests, and what Assay measured.
        public struct Shape: Sendable {
            public var name: String
            public var ttft: LatencyStats
            public var latency: LatencyStats
        }

        public var requests: Int
        public var concurrency: Int
        public var shapes: [Shape]

        public var text: String {
            func error(_ value: Double?, _ truth: Double) -> String {
                guard let value else { return "   -" }
                return String(format: "%+7.2f ms", value - truth)
            }
            func line(_ label: String, _ stats: LatencyStats, _ truth: Double) -> String {
                let p50 = String(format: "%7.2f", stats.p50Ms ?? 0)
                let p99 = String(format: "%7.2f", stats.p99Ms ?? 0)
                return
                    "    \(label) p50 \(p50) ms (error \(error(stats.p50Ms, truth)))   p99 \(p99) ms (error \(error(stats.p99Ms, truth)))\n"
            }
            var out =
                "timing truth: server scripted to TTFT 200 ms and total 1000 ms, \(requests) requests, \(concurrency) in flight\n"
            for shape in shapes {
                out += "  \(shape.name)\n" + line("TTFT    ", shape.ttft, 200) + line("latency ", shape.latency, 1000)
            }
            return out + "  target: every error within 2 ms\n"
        }
    }

    /// Measures `concurrency * rounds` requests twice: all `concurrency` started at once (the
    /// worst case: every round a burst the server and the client must queue), and with the
    /// first round spread over one request's duration (`--ramp-up 1`), the steady stream of
    /// a long run at the same concurrency.
    public static func timingTruth(concurrency: Int = 256, rounds: Int = 2) async throws -> TimingTruth {
        var shapes: [TimingTruth.Shape] = []
        for (name, ramp) in [
            ("all \(concurrency) at once, in step:", nil), ("ramped up over 1 s (--ramp-up 1), then steady:", 1.0),
        ] as [(String, Double?)] {
            let measured = try await timing(concurrency: concurrency, rounds: rounds, rampUp: ramp)
            shapes.append(TimingTruth.Shape(name: name, ttft: measured.ttft, latency: measured.latency))
        }
        return TimingTruth(requests: concurrency * rounds, concurrency: concurrency, shapes: shapes)
    }

    static func timing(concurrency: Int, rounds: Int, rampUp: Double?) async throws -> (
        ttft: LatencyStats, latency: LatencyStats
    ) {
        // Nine words: the first at 200 ms, then one every 100 ms: the last at 1000 ms.
        let reply = TestScript.Reply(
            text: "one two three four five six seven eight nine", ttftMs: 200, chunkDelayMs: 100)
        let server = try await TestServer.start(script: TestScript(defaultReply: reply), keepRequests: false)
        let workspace = try Workspace(cases: concurrency * rounds, server: server)
        defer { workspace.remove() }
        let (runID, store, _) = try await run(workspace.plan(concurrency: concurrency, rampUp: rampUp))
        await server.shutdown()
        let summary = try await RunSummary.load(run: runID, from: store)
        let model = summary.models.first
        return (model?.ttft ?? .empty, model?.latency ?? .empty)
    }

    // MARK: memory

    public struct Memory: Sendable, Codable {
        public var items: Int
        public var peakRSSMegabytes: Double
        public var seconds: Double
    }

    /// One size, in this process: `items` work items (1,000 cases x epochs) against a
    /// zero-delay server; the peak RSS of the whole process.
    public static func memory(items: Int) async throws -> Memory {
        let server = try await TestServer.start(
            script: TestScript(defaultReply: .init(text: "positive")), keepRequests: false)
        let cases = min(items, 1000)
        let workspace = try Workspace(cases: cases, server: server)
        defer { workspace.remove() }
        let (_, _, seconds) = try await run(workspace.plan(concurrency: 64, epochs: max(1, items / cases)))
        await server.shutdown()
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Memory(items: items, peakRSSMegabytes: Double(usage.ru_maxrss) / 1024, seconds: seconds)
    }

    public static func memoryText(_ measurements: [Memory]) -> String {
        var out = "memory: peak RSS of a whole run (request, grade, store), by number of items\n"
        for m in measurements {
            out += String(
                format: "  %8d items  peak RSS %6.1f MB  (%.0f items/s)\n", m.items, m.peakRSSMegabytes,
                Double(m.items) / m.seconds)
        }
        if let first = measurements.first, let last = measurements.last, measurements.count > 1 {
            out += String(
                format: "  growth %.2fx for %.0fx the items (target: flat)\n",
                last.peakRSSMegabytes / first.peakRSSMegabytes, Double(last.items) / Double(first.items))
        }
        return out
    }
}

/// `wrk` (Debian) against a URL with a POST body, from a Lua script it is given.
enum Wrk {
    static func run(url: String, body: String, connections: Int, seconds: Int) async throws -> (
        rate: Double?, note: String?
    ) {
        guard let wrk = ["/usr/bin/wrk", "/usr/local/bin/wrk"].first(where: FileManager.default.isExecutableFile) else {
            return (nil, "wrk is not installed (apt-get install wrk)")
        }
        let directory = FilePath(NSTemporaryDirectory()).appending("assay-wrk-\(UUID().uuidString.prefix(8))").string
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var literal = ""
        JSONValue.writeString(body, to: &literal)
        let script = """
            wrk.method = "POST"
            wrk.body = \(literal)
            wrk.headers["Content-Type"] = "application/json"
            wrk.headers["Accept"] = "text/event-stream"
            """
        let scriptPath = FilePath(directory).appending("post.lua").string
        try Data(script.utf8).write(to: URL(fileURLWithPath: scriptPath))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: wrk)
        process.arguments = ["-t", "2", "-c", String(connections), "-d", "\(seconds)s", "-s", scriptPath, url]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output: String = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                continuation.resume(returning: String(decoding: data, as: UTF8.self))
            }
        }
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("Requests/sec:") }),
            let rate = Double(line.dropFirst("Requests/sec:".count).trimmingCharacters(in: .whitespaces))
        else {
            return (nil, "wrk printed no rate: \(output.suffix(300))")
        }
        if output.contains("Non-2xx") { return (rate, "wrk saw errors: \(output.suffix(300))") }
        return (rate, nil)
    }
}
