import AssayConfig
import AssayCore
import AssayEvalSets
import AssayRunner
import AssayStore
import AssayTestServer
import Foundation
import SystemPackage

/// Peak memory and stored bytes against prompt length (issue 34): the same run (the four-keys
/// and single-needle cases of `assay generate long-context`, in English, asked `epochs` times
/// each, 64 in flight against the zero-delay test server) at a short length, the reference,
/// and at longer ones, each in a process of its own.
public enum LongContextBenchmark {
    public struct Measurement: Sendable, Codable {
        public var length: Int
        public var items: Int
        public var peakRSSMegabytes: Double
        /// The prompt text the store keeps (rows and `prompts`), in MB.
        public var storeMegabytes: Double
        /// The prompt text the run sent (transcripts and routed prompts, as read back), in MB:
        /// what the store would hold with every prompt stored whole.
        public var promptMegabytes: Double
        public var seconds: Double
    }

    /// One length, in this process; the test server runs in a process of its own (`assay
    /// serve-test`, beside this binary), so that the peak RSS is Assay's alone (an in-process
    /// server's parse of each 512 KB body counted too).
    public static func measure(length: ContextLength, epochs: Int, concurrency: Int = 64) async throws -> Measurement {
        let server = try ServerProcess.start()
        defer { server.stop() }
        let directory = FilePath(NSTemporaryDirectory()).appending("assay-bench-lc-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(atPath: directory.string) }
        // Written by `assay generate` in a process of its own, as a user would: the peak RSS
        // is the run's, not the generator's (which holds every haystack it writes).
        let suite = try generate(length: length, to: directory.appending("suites"))
        let workspace = try RunnerBenchmarks.Workspace(cases: 1, baseURL: server.baseURL)
        defer { workspace.remove() }
        try workspace.writeCatalog(
            endpoint: ["name": "bench", "base_url": .string(server.baseURL)],
            models: [["id": "bench", "family": "Bench", "endpoint": "bench", "context_window": 1_000_000]])
        var plan = workspace.plan(concurrency: concurrency, epochs: epochs)
        plan.suites = [suite]
        let (run, store, seconds) = try await RunnerBenchmarks.run(plan)
        let promptBytes = try await store.withResults(run: run) { cursor in
            var bytes = 0
            var items = 0
            while let result = try cursor.next() {
                bytes += (result.prompt?.utf8.count ?? 0) + (result.routedPrompt?.text.utf8.count ?? 0)
                items += 1
            }
            return (bytes, items)
        }
        let stored = try await (store as? Store)?.storedPromptBytes() ?? (rows: 0, pieces: 0)
        let storeBytes = stored.rows + stored.pieces
        await store.close()
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Measurement(
            length: length.tokens, items: promptBytes.1, peakRSSMegabytes: Double(usage.ru_maxrss) / 1024,
            storeMegabytes: Double(storeBytes) / 1_048_576, promptMegabytes: Double(promptBytes.0) / 1_048_576,
            seconds: seconds)
    }

    /// `assay generate long-context` (beside this binary) for one length's single-needle and
    /// four-keys cases in English, seed 1; the suite's directory.
    static func generate(length: ContextLength, to directory: FilePath) throws -> String {
        let process = Process()
        process.executableURL = ServerProcess.assay
        process.arguments = [
            "generate", "long-context", "--lengths", length.description, "--languages", "en", "--seed", "1",
            "--tasks", "\(LongContextTask.singleNeedle.rawValue),\(LongContextTask.multiKey.rawValue)",
            "--out", directory.string,
        ]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw InputError("assay generate long-context --lengths \(length) failed (\(process.terminationStatus))")
        }
        return directory.appending(LongContextGenerator.suiteID(length)).string
    }

    public static func text(_ measurements: [Measurement]) -> String {
        var out =
            "long context: peak RSS and prompt text stored, for a whole run (request, grade, store), by prompt length\n"
        for m in measurements {
            out += String(
                format:
                    "  %6@ %5d items  peak RSS %7.1f MB  prompt text stored %7.2f MB of %8.2f MB sent  (%.0f items/s)\n",
                ContextLength(tokens: m.length).description, m.items, m.peakRSSMegabytes, m.storeMegabytes,
                m.promptMegabytes, Double(m.items) / m.seconds)
        }
        if let first = measurements.first {
            for m in measurements.dropFirst() {
                out += String(
                    format:
                        "  %@ against %@: peak RSS %.2fx for %.0fx the prompt length; prompt text stored %.2fx the reference's for %.0fx the prompt bytes sent\n",
                    ContextLength(tokens: m.length).description, ContextLength(tokens: first.length).description,
                    m.peakRSSMegabytes / first.peakRSSMegabytes, Double(m.length) / Double(first.length),
                    m.storeMegabytes / first.storeMegabytes, m.promptMegabytes / max(first.promptMegabytes, 1e-9))
            }
        }
        return out
    }
}

/// `assay serve-test --port 0` in a process of its own, answering every request "I do not know.".
struct ServerProcess {
    let process: Process
    let baseURL: String

    /// The `assay` binary beside this one.
    static var assay: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("assay")
    }

    static func start() throws -> ServerProcess {
        let executable = assay
        let process = Process()
        process.executableURL = executable
        process.arguments = ["serve-test", "--port", "0", "--ttft-ms", "0", "--chunk-delay-ms", "0"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        // The first line names the port: "serving http://127.0.0.1:PORT/v1 (...)".
        var line = Data()
        while let byte = try pipe.fileHandleForReading.read(upToCount: 1), let first = byte.first, first != 10 {
            line.append(first)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let url = text.split(separator: " ").dropFirst().first, url.hasPrefix("http") else {
            process.terminate()
            throw InputError("assay serve-test did not say where it serves: '\(text)' (is \(executable.path) built?)")
        }
        return ServerProcess(process: process, baseURL: String(url))
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }
}
