import AssayConfig
import AssayCore
import AssayRunner
import AssayStore
import Foundation

/// One kind of item against text items, end to end through the runner (request, stream,
/// grade, store) against the zero-delay test server in a process of its own: what the tool-call
/// and field-extraction benchmarks share. The two runs alternate, `rounds` times each; each
/// kind keeps its best rate and its least CPU time per item of this process.
struct AgainstTextItems {
    var textRate: Double
    var kindRate: Double
    /// This process's CPU time per item, microseconds.
    var textCPU: Double
    var kindCPU: Double
    /// The kind's items graded right in its last run.
    var kindPassed: Int
    /// Where the server ran: "its own process" or "in process (...)".
    var server: String

    /// `workspace` writes the kind's suite of `items` cases against the server's URL.
    static func measure(
        items: Int, rounds: Int, server: BenchServer, workspace: (String) throws -> RunnerBenchmarks.Workspace
    ) async throws -> AgainstTextItems {
        let text = try RunnerBenchmarks.Workspace(cases: items, baseURL: server.baseURL)
        let kind = try workspace(server.baseURL)
        defer {
            text.remove()
            kind.remove()
        }
        // Warm up the connections and the code paths, then alternate the two.
        let warmUp = try RunnerBenchmarks.Workspace(cases: 500, baseURL: server.baseURL)
        _ = try await RunnerBenchmarks.run(warmUp.plan(concurrency: 64))
        warmUp.remove()
        var result = AgainstTextItems(
            textRate: 0, kindRate: 0, textCPU: .infinity, kindCPU: .infinity, kindPassed: 0, server: server.where_)
        for _ in 0..<max(1, rounds) {
            let cpuBeforeText = processCPUSeconds()
            let textSeconds = try await RunnerBenchmarks.run(text.plan(concurrency: 64)).2
            result.textCPU = min(result.textCPU, (processCPUSeconds() - cpuBeforeText) / Double(items) * 1e6)
            result.textRate = max(result.textRate, Double(items) / textSeconds)
            let cpuBeforeKind = processCPUSeconds()
            let (run, store, seconds) = try await RunnerBenchmarks.run(kind.plan(concurrency: 64))
            result.kindCPU = min(result.kindCPU, (processCPUSeconds() - cpuBeforeKind) / Double(items) * 1e6)
            result.kindRate = max(result.kindRate, Double(items) / seconds)
            result.kindPassed = try await store.results(run: run).filter { $0.grade?.outcome == .pass }.count
        }
        return result
    }

    /// This process's CPU time so far (user + system), in seconds.
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
