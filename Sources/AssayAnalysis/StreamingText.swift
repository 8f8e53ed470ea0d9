import AssayCore

/// How each model streamed, in words: the same in the terminal summary and summary.md.
public enum StreamingText {
    /// "v4-flash: ITL p50 25.0 ms, p99 27.1 ms; TPOT p50 25.0 ms, p99 27.0 ms; 26.3 ms per
    /// output token (p50); longest stall p99 40.2 ms; latency by length: short p50 300 ms,
    /// p99 420 ms (12); by region: eu-west p99 510 ms (6), us-east p99 800 ms (6)"
    public static func line(_ model: ModelSummary) -> String? {
        let streaming = model.streaming
        guard streaming.measured || streaming.latencyPerOutputToken.count > 0 else { return nil }
        func ms(_ value: Double?) -> String { value.map { "\(Format.milliseconds($0)) ms" } ?? "-" }
        var parts: [String] = []
        if streaming.interToken.count > 0 {
            parts.append("ITL p50 \(ms(streaming.interToken.p50Ms)), p99 \(ms(streaming.interToken.p99Ms))")
        }
        if streaming.timePerOutputToken.count > 0 {
            parts.append(
                "TPOT p50 \(ms(streaming.timePerOutputToken.p50Ms)), p99 \(ms(streaming.timePerOutputToken.p99Ms))")
        }
        if streaming.latencyPerOutputToken.count > 0 {
            parts.append("\(ms(streaming.latencyPerOutputToken.p50Ms)) per output token (p50)")
        }
        if streaming.maxStall.count > 0 { parts.append("longest stall p99 \(ms(streaming.maxStall.p99Ms))") }
        let lengths = StreamingStats.OutputLength.allCases.compactMap { length in
            streaming.latencyByLength[length].map {
                "\(length.rawValue) p50 \(ms($0.p50Ms)), p99 \(ms($0.p99Ms)) (\($0.count))"
            }
        }
        if !lengths.isEmpty { parts.append("latency by length: " + lengths.joined(separator: "; ")) }
        if !streaming.latencyByRegion.isEmpty {
            parts.append("by region: " + split(streaming.latencyByRegion, ms))
        }
        if streaming.latencyByBaseURL.count > 1 {
            parts.append("by base URL: " + split(streaming.latencyByBaseURL, ms))
        }
        return "\(model.model): " + parts.joined(separator: "; ")
    }

    private static func split(_ stats: [String: LatencyStats], _ ms: (Double?) -> String) -> String {
        stats.sorted { $0.key < $1.key }.map { "\($0.key) p99 \(ms($0.value.p99Ms)) (\($0.value.count))" }
            .joined(separator: ", ")
    }

    public static func lines(_ summary: RunSummary) -> [String] {
        summary.models.compactMap(line)
    }
}
