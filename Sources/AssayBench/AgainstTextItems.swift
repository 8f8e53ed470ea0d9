import AssayConfig
import AssayCore
import AssayRunner
import AssayStore
import AssayTestServer
import Foundation

/// One kind of item against text items, end to end through the runner (request, stream,
/// grade, store) against the zero-delay test server in a process of its own: what the tool-call
/// and field-extraction benchmarks share. Three runs alternate, `rounds` times each; each keeps
/// its best rate and its least CPU time per item of this process:
/// - text items (a one-word label);
/// - text items of the kind's size: each case's line in the cases file as long as the kind's,
///   its request padded to the kind's request bytes (both measured on a few items of each
///   first), and answered with `sized.answer` (as many content chunks as the kind's answer has
///   events, as many bytes): what the kind's bytes alone cost (read, hashed, sent, parsed),
///   so that what its own machinery costs (tools on the wire, assembling calls, finding JSON,
///   grading, its evidence) is the difference between the last two;
/// - the kind's items.
struct AgainstTextItems {
    struct Figures {
        var rate: Double = 0
        /// This process's CPU time per item, microseconds.
        var cpu: Double = .infinity
    }

    var text = Figures()
    var sized = Figures()
    var kind = Figures()
    /// The bytes each sized text request was padded by.
    var padding = 0
    /// The bytes each sized text case's line was padded by (the request's padding included).
    var casePadding = 0
    /// The kind's items graded right in its last run.
    var kindPassed: Int = 0
    /// Where the server ran: "its own process" or "in process (...)".
    var server: String = ""

    /// What sized text items are answered with: `answer`, in `chunks` content chunks (words).
    struct SizedAnswer {
        var answer: String
        var chunks: Int { answer.split(separator: " ").count }
    }

    /// The sized text items are not the kind's size: the benchmark would compare unlike items.
    struct SizeMismatch: Error, CustomStringConvertible {
        var description: String
    }

    /// The marker in a sized text item's prompt: `script` answers such a request with the sized answer.
    static let sizedMarker = "[sized]"

    /// `script` answers the kind's requests, text requests ("positive") and sized ones
    /// (`sizedMarker` → `sized.answer`). `workspace(baseURL, cases)` writes the kind's suite.
    static func measure(
        items: Int, rounds: Int, script: TestScript, sized: SizedAnswer,
        workspace: (String, Int) throws -> RunnerBenchmarks.Workspace
    ) async throws -> AgainstTextItems {
        let padding = try await padding(script: script, workspace: workspace)
        let server = try await BenchServer.start(script: script)
        // The server is a process of its own: stopped whatever happens.
        do {
            let result = try await alternate(
                items: items, rounds: rounds, server: server, sized: sized, padding: padding, workspace: workspace)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    /// The three runs against `server`, `rounds` times.
    private static func alternate(
        items: Int, rounds: Int, server: BenchServer, sized: SizedAnswer, padding: (request: Int, caseFile: Int),
        workspace: (String, Int) throws -> RunnerBenchmarks.Workspace
    ) async throws -> AgainstTextItems {
        let text = try RunnerBenchmarks.Workspace(cases: items, baseURL: server.baseURL)
        let sizedText = try RunnerBenchmarks.Workspace(
            cases: items, baseURL: server.baseURL, sized: sizedInputs(padding), label: sized.answer)
        let kind = try workspace(server.baseURL, items)
        defer {
            text.remove()
            sizedText.remove()
            kind.remove()
        }
        // Warm up the connections and the code paths, then alternate the three.
        let warmUp = try RunnerBenchmarks.Workspace(cases: 500, baseURL: server.baseURL)
        _ = try await RunnerBenchmarks.run(warmUp.plan(concurrency: 64))
        warmUp.remove()
        var result = AgainstTextItems(padding: padding.request, casePadding: padding.caseFile, server: server.where_)
        for _ in 0..<max(1, rounds) {
            _ = try await run(text, items: items, into: &result.text)
            _ = try await run(sizedText, items: items, into: &result.sized)
            let (run, store) = try await run(kind, items: items, into: &result.kind)
            result.kindPassed = try await store.results(run: run).filter { $0.grade?.outcome == .pass }.count
        }
        return result
    }

    /// One run of `workspace`'s items, its figures kept where better.
    private static func run(_ workspace: RunnerBenchmarks.Workspace, items: Int, into figures: inout Figures)
        async throws -> (String, any RunStore)
    {
        let before = processCPUSeconds()
        let (run, store, seconds) = try await RunnerBenchmarks.run(workspace.plan(concurrency: 64))
        figures.cpu = min(figures.cpu, (processCPUSeconds() - before) / Double(items) * 1e6)
        figures.rate = max(figures.rate, Double(items) / seconds)
        return (run, store)
    }

    /// How many bytes longer the kind's request bodies are than text items' (measured on a few
    /// of each sent to a test server in this process), and its cases' lines in the cases file.
    static func padding(script: TestScript, workspace: (String, Int) throws -> RunnerBenchmarks.Workspace)
        async throws -> (request: Int, caseFile: Int)
    {
        let server = try await TestServer.start(script: script, keepRequests: true)
        let text = try RunnerBenchmarks.Workspace(cases: 16, baseURL: server.baseURL)
        let kind = try workspace(server.baseURL, 16)
        defer {
            text.remove()
            kind.remove()
        }
        func meanBody(_ requests: some Collection<TestServer.ReceivedRequest>) -> Double {
            let bodies = requests.filter { $0.path.hasSuffix("chat/completions") }.map(\.body.utf8.count)
            return Double(bodies.reduce(0, +)) / Double(max(1, bodies.count))
        }
        do {
            _ = try await RunnerBenchmarks.run(text.plan(concurrency: 4))
            let textBytes = meanBody(server.received)
            var before = server.received.count
            _ = try await RunnerBenchmarks.run(kind.plan(concurrency: 4))
            let kindBytes = meanBody(server.received.dropFirst(before))
            let caseFile = try meanLine(of: kind) - meanLine(of: text)
            let padding = (max(0, Int((kindBytes - textBytes).rounded())), max(0, Int(caseFile.rounded())))
            // The reference is only as good as its sizes: the sized items are checked to be the
            // kind's, in the cases file and on the wire, before anything is measured.
            let sized = try RunnerBenchmarks.Workspace(
                cases: 16, baseURL: server.baseURL, sized: sizedInputs(padding), label: "checked")
            defer { sized.remove() }
            before = server.received.count
            _ = try await RunnerBenchmarks.run(sized.plan(concurrency: 4))
            let sizedBytes = meanBody(server.received.dropFirst(before))
            let lineGap = try meanLine(of: sized) - meanLine(of: kind)
            await server.shutdown()
            guard abs(sizedBytes - kindBytes) <= 2, abs(lineGap) <= 2 else {
                throw SizeMismatch(
                    description:
                        "the text items of the kind's size are not its size: requests \(sizedBytes) bytes against \(kindBytes), case lines \(lineGap) bytes apart"
                )
            }
            return padding
        } catch {
            await server.shutdown()
            throw error
        }
    }

    /// Where a sized text item's padding goes: the request's after a space and the marker, in
    /// the case's input (`prompt`) as far as the case's line is to grow, in the suite's
    /// template (`template`) for the rest; what the line is to grow beyond that, in a field
    /// that is not sent (`rest`). Tools grow both (their functions are in each case); an
    /// extraction grows the request more (its schema is the suite's).
    static func sizedInputs(_ padding: (request: Int, caseFile: Int)) -> (
        template: String, prompt: String, rest: String
    ) {
        let fields = #", "pad": "", "rest": """#.utf8.count
        let request = max(0, padding.request - 1 - sizedMarker.utf8.count)
        let inCase = min(request, max(0, padding.caseFile - fields))
        return (
            " " + sizedMarker + String(repeating: "x", count: request - inCase), String(repeating: "x", count: inCase),
            String(repeating: "y", count: max(0, padding.caseFile - fields - inCase))
        )
    }

    /// The mean length of a line of the workspace's cases file, in bytes.
    static func meanLine(of workspace: RunnerBenchmarks.Workspace) throws -> Double {
        let data = try Data(contentsOf: URL(fileURLWithPath: workspace.directory + "/suite/cases.jsonl"))
        let lines = data.split(separator: UInt8(ascii: "\n"))
        return Double(lines.reduce(0) { $0 + $1.count }) / Double(max(1, lines.count))
    }

    /// This process's CPU time so far (user + system), in seconds.
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
