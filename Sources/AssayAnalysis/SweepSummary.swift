import AssayCore
import Foundation

/// A sweep's levels, per model: what each level achieved (throughput, latency, TTFT, ITL,
/// output tokens per second, errors, availability), whether it met the SLA and why not, and
/// the knee: the last level, counting up from the first, before the first that missed it.
public struct SweepSummary: Sendable {
    public struct Level: Sendable {
        public init(
            level: Double, runID: String, requests: Int, errors: Int = 0, availability: Double? = 1,
            throughput: Double? = nil, achievedRate: Double? = nil, latency: LatencyStats,
            ttft: LatencyStats = .empty, interToken: LatencyStats = .empty, outputTokensPerSecond: Double? = nil
        ) {
            self.level = level
            self.runID = runID
            self.requests = requests
            self.errors = errors
            self.availability = availability
            self.throughput = throughput
            self.achievedRate = achievedRate
            self.latency = latency
            self.ttft = ttft
            self.interToken = interToken
            self.outputTokensPerSecond = outputTokensPerSecond
            self.misses = []
        }

        public var level: Double
        /// The run that measured the level (its own report has every detail).
        public var runID: String
        public var requests: Int
        public var errors: Int
        /// Attempts (retries included) that got a whole answer; nil with no attempt stored.
        public var availability: Double?
        /// Requests completed per second over the level's span.
        public var throughput: Double?
        /// An open loop's start rate, as held (rate sweeps).
        public var achievedRate: Double?
        public var latency: LatencyStats
        public var ttft: LatencyStats
        public var interToken: LatencyStats
        /// Output tokens per second over the level's span, all requests together.
        public var outputTokensPerSecond: Double?
        /// Why the level missed the SLA (empty: it met it).
        public var misses: [String]

        public var meetsSLA: Bool { misses.isEmpty }
    }

    public struct Model: Sendable {
        public var model: String
        public var levels: [Level]
        /// The index in `levels` of the knee; nil when even the first level missed the SLA.
        public var knee: Int?

        /// The knee is the highest level swept: the sweep did not reach the model's limit.
        public var kneeNotReached: Bool { knee == levels.count - 1 }
    }

    public var sweep: Sweep
    /// The SLA the levels were judged by: the sweep's, or `SweepSLA.standard` when it states none.
    public var sla: SweepSLA
    public var models: [Model]

    /// `runs`: each level's run summary, in the sweep's order.
    public init(sweep: Sweep, runs: [(level: Double, summary: RunSummary)]) {
        self.sweep = sweep
        sla = sweep.sla.isEmpty ? .standard : sweep.sla
        var names: [String] = []
        for run in runs {
            for model in run.summary.models where !names.contains(model.model) { names.append(model.model) }
        }
        let sla = self.sla
        models = names.map { name in
            let levels = runs.compactMap { run in
                run.summary.model(name).map { Self.level(run.level, model: $0, summary: run.summary) }
            }
            return Self.judge(name, levels, sla: sla)
        }
    }

    /// The levels judged by `sla` (each one's misses) and the knee among them.
    public static func judge(_ model: String, _ levels: [Level], sla: SweepSLA) -> Model {
        var levels = levels
        let first = levels.first?.latency.p99Ms
        for index in levels.indices {
            levels[index].misses = misses(levels[index], sla: sla, firstP99: first)
        }
        let firstMiss = levels.firstIndex { !$0.meetsSLA } ?? levels.count
        return Model(model: model, levels: levels, knee: firstMiss > 0 ? firstMiss - 1 : nil)
    }

    private static func level(_ level: Double, model: ModelSummary, summary: RunSummary) -> Level {
        let run = summary.run
        let span = run.endedAt.map { $0.timeIntervalSince(run.startedAt) } ?? 0
        let requests = model.overall.n
        let completed = model.latency.count
        let tokens = model.spend.completionTokens
        let attempts = summary.attempts.model(model.model)
        let availability =
            attempts?.availability ?? (requests > 0 ? Double(requests - model.overall.errors) / Double(requests) : nil)
        return Level(
            level: level, runID: run.id, requests: requests, errors: model.overall.errors, availability: availability,
            throughput: span > 0 ? Double(completed) / span : nil, achievedRate: run.load?.achievedPerSecond,
            latency: model.latency, ttft: model.ttft, interToken: model.streaming.interToken,
            outputTokensPerSecond: span > 0 && tokens > 0 ? Double(tokens) / span : nil)
    }

    /// Each limit of `sla` the level breaks, in words.
    static func misses(_ level: Level, sla: SweepSLA, firstP99: Double?) -> [String] {
        var misses: [String] = []
        func check(_ name: String, _ value: Double?, max limit: Double?) {
            guard let limit else { return }
            guard let value else {
                misses.append("\(name) not measured")
                return
            }
            if value > limit {
                misses.append("\(name) \(Format.milliseconds(value)) ms > \(Format.milliseconds(limit)) ms")
            }
        }
        check("p50", level.latency.p50Ms, max: sla.maxP50Ms)
        check("p99", level.latency.p99Ms, max: sla.maxP99Ms)
        check("TTFT p99", level.ttft.p99Ms, max: sla.maxTTFTP99Ms)
        check("ITL p99", level.interToken.p99Ms, max: sla.maxITLP99Ms)
        if let factor = sla.relativeP99, let first = firstP99 {
            // At least 50 ms of slack: a few milliseconds of jitter on a fast endpoint is not a knee.
            check("p99", level.latency.p99Ms, max: max(first * factor, first + SweepSLA.relativeSlackMs))
        }
        if let floor = sla.minAvailability {
            let availability = level.availability ?? 0
            if availability < floor {
                misses.append("availability \(Format.percent(availability)) < \(Format.percent(floor))")
            }
        }
        if let ceiling = sla.maxErrorRate, level.requests > 0 {
            let rate = Double(level.errors) / Double(level.requests)
            if rate > ceiling { misses.append("errors \(Format.percent(rate)) > \(Format.percent(ceiling))") }
        }
        return misses
    }
}
