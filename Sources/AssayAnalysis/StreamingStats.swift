import AssayCore

/// How a model streams, beyond its first token: the time between tokens, the time per output
/// token, latency by how long the answer was, and latency by where it was measured from and
/// which base URL served it.
///
/// Definitions (as NVIDIA's GenAI-Perf and llmperf use them, per request, then distributed
/// over requests):
/// - inter-token latency (ITL): the mean gap between streamed answer chunks, from the first
///   chunk to the last over the chunks less one;
/// - time per output token (TPOT): the time from the first answer token to the last over the
///   completion tokens less one (tokens as the server counts them, so a server that flushes
///   several tokens per chunk is not made to look slow);
/// - latency per output token: the whole latency over the completion tokens, the figure a
///   "1.4 s for 500 tokens" claim is made of.
///
/// Fresh streamed answers only: a replayed one measures nothing now.
public struct StreamingStats: Sendable {
    /// Answers by length in completion tokens: short up to 100, medium up to 500, long beyond
    /// (the lengths the seeds' claims are made at).
    public enum OutputLength: String, Sendable, CaseIterable, Comparable {
        case short, medium, long

        public init(tokens: Int) {
            self = tokens <= 100 ? .short : tokens <= 500 ? .medium : .long
        }

        /// "≤100", "101-500", ">500" tokens.
        public var range: String {
            switch self {
            case .short: "≤100"
            case .medium: "101-500"
            case .long: ">500"
            }
        }

        public static func < (lhs: Self, rhs: Self) -> Bool {
            allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
        }
    }

    public var interToken: LatencyStats
    public var timePerOutputToken: LatencyStats
    public var latencyPerOutputToken: LatencyStats
    /// The longest stall between two chunks of an answer, over answers.
    public var maxStall: LatencyStats
    /// End-to-end latency by the answer's length; lengths no answer had are absent.
    public var latencyByLength: [OutputLength: LatencyStats]
    /// End-to-end latency by the client's region (`--client-region`); absent when no result
    /// carries one.
    public var latencyByRegion: [String: LatencyStats]
    /// End-to-end latency by the base URL that served the answer.
    public var latencyByBaseURL: [String: LatencyStats]

    public static let empty = StreamingStats(
        interToken: .empty, timePerOutputToken: .empty, latencyPerOutputToken: .empty, maxStall: .empty,
        latencyByLength: [:], latencyByRegion: [:], latencyByBaseURL: [:])

    /// Whether any answer was streamed in more than one chunk.
    public var measured: Bool { interToken.count > 0 || timePerOutputToken.count > 0 }

    struct Builder {
        var interToken = LatencyRecorder()
        var timePerOutputToken = LatencyRecorder()
        var latencyPerOutputToken = LatencyRecorder()
        var maxStall = LatencyRecorder()
        var byLength: [OutputLength: LatencyRecorder] = [:]
        var byRegion: [String: LatencyRecorder] = [:]
        var byBaseURL: [String: LatencyRecorder] = [:]

        /// A fresh, graded answer's timing.
        mutating func add(_ timing: Timing, of result: ItemResult) {
            if let itl = timing.interTokenMs { interToken.record(milliseconds: itl) }
            if let stall = timing.maxStallMs { maxStall.record(milliseconds: stall) }
            let tokens = result.usage?.completionTokens
            if let tpot = timing.timePerOutputTokenMs(completionTokens: tokens) {
                timePerOutputToken.record(milliseconds: tpot)
            }
            if let tokens, tokens > 0 {
                latencyPerOutputToken.record(milliseconds: timing.latencyMs / Double(tokens))
                byLength[OutputLength(tokens: tokens), default: LatencyRecorder()].record(
                    milliseconds: timing.latencyMs)
            }
            if let region = result.clientRegion {
                byRegion[region, default: LatencyRecorder()].record(milliseconds: timing.latencyMs)
            }
            if let server = result.servedBy {
                byBaseURL[server, default: LatencyRecorder()].record(milliseconds: timing.latencyMs)
            }
        }

        var stats: StreamingStats {
            StreamingStats(
                interToken: interToken.stats, timePerOutputToken: timePerOutputToken.stats,
                latencyPerOutputToken: latencyPerOutputToken.stats, maxStall: maxStall.stats,
                latencyByLength: byLength.mapValues(\.stats), latencyByRegion: byRegion.mapValues(\.stats),
                latencyByBaseURL: byBaseURL.mapValues(\.stats))
        }
    }
}
