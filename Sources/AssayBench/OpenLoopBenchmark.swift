import AssayConfig
import AssayCore
import AssayReports
import AssayRunner
import AssayStore
import AssayTestServer
import Foundation

/// How well an open-loop load (`assay run --rate`) holds its rate: for each target rate and
/// arrival process, a run of `seconds x rate` requests against the test server answering in
/// `latencyMs`, with the rate the server saw (the slope of its arrival times against their
/// order, least squares) as a ratio to the target, and the lag behind the schedule that Assay
/// measured itself. Target (issue 17): within 2%. The reference is the schedule's own rate
/// (the same slope over the due times): for constant arrivals, the target; for Poisson ones,
/// which wander from the target by about 1/sqrt(n) by nature, the rate of the gaps drawn.
public enum OpenLoopBenchmark {
    public struct Measurement: Sendable {
        public var rate: Double
        public var arrivals: LoadProfile.Arrivals
        public var requests: Int
        /// The rate of the schedule itself (the gaps drawn, for Poisson arrivals).
        public var scheduledRate: Double
        public var serverRate: Double
        public var report: LoadReport?

        public var ratio: Double { serverRate / scheduledRate }
        public var met: Bool { abs(ratio - 1) <= 0.02 }
    }

    public static func measure(rate: Double, arrivals: LoadProfile.Arrivals, seconds: Double, latencyMs: Double)
        async throws -> Measurement
    {
        let server = try await TestServer.start(
            script: TestScript(defaultReply: TestScript.Reply(text: "positive", ttftMs: latencyMs)))
        let requests = max(2, Int((rate * seconds).rounded()))
        let workspace = try RunnerBenchmarks.Workspace(cases: min(requests, 1000), server: server)
        defer { workspace.remove() }
        var plan = workspace.plan(concurrency: Plan.loadConcurrency)
        plan.settings.load = LoadProfile(perSecond: rate, arrivals: arrivals, requests: requests)
        plan.settings.cache = .off
        let (runID, store, _) = try await RunnerBenchmarks.run(plan)
        let report = try await store.run(runID)?.load
        let arrived = server.received.filter { $0.path.hasSuffix("chat/completions") }.map(\.receivedAt).sorted()
        let times = arrived.first.map { first in arrived.map { ($0 - first).inSeconds } } ?? []
        await server.shutdown()
        var schedule = LoadSchedule(plan.settings.load ?? LoadProfile(perSecond: rate))
        let due = (0..<requests).map { _ in schedule.next() }
        return Measurement(
            rate: rate, arrivals: arrivals, requests: requests, scheduledRate: ArrivalRate.perSecond(due),
            serverRate: ArrivalRate.perSecond(times), report: report)
    }

    public static func text(_ measurements: [Measurement], latencyMs: Double) -> String {
        var out =
            "open loop: the server answering in \(Int(latencyMs)) ms; the rate the server saw against the schedule's (target: within 2%)\n"
        var rows = [
            ["rate", "arrivals", "requests", "scheduled", "server saw", "ratio", "lag p99", "peak in flight", "target"]
        ]
        for m in measurements {
            rows.append([
                String(format: "%.0f/s", m.rate), m.arrivals.description, String(m.requests),
                String(format: "%.2f/s", m.scheduledRate),
                String(format: "%.2f/s", m.serverRate), String(format: "%.4f", m.ratio),
                m.report.map { String(format: "%.1f ms", $0.lagP99Ms) } ?? "-",
                m.report.map { String($0.peakInFlight) } ?? "-",
                m.met ? "met" : "NOT MET",
            ])
        }
        return out + TextTable.render(rows, rightAligned: [0, 2, 3, 4, 5, 6, 7])
    }
}
