import AssayCore
import Foundation

/// An open-loop load in words, the same in the terminal summary and summary.md.
public enum LoadText {
    /// "open loop at 50.0/s (constant), 200 of 200 requests: achieved 50.0/s (-0.01%); lag p50 0.2 ms, p99 1.1 ms,
    /// max 2.0 ms; 0 started late; peak 12 in flight"
    public static func line(_ load: LoadReport) -> String {
        let profile = load.profile
        var text =
            String(format: "open loop at %.1f/s", profile.perSecond)
            + " (\(profile.arrivals)), \(load.started) of \(load.scheduled) requests"
        if let achieved = load.achievedPerSecond, let error = load.rateError {
            text += String(format: ": achieved %.2f/s", achieved)
            // A burst's, ramp's or replay's own first-to-last rate, which the achieved one is held to.
            if let scheduled = load.scheduledPerSecond {
                text += String(format: " against the schedule's %.2f/s", scheduled)
            }
            text += String(format: " (%+.2f%%)", error * 100)
        }
        text +=
            "; lag p50 \(Format.milliseconds(load.lagP50Ms)) ms, p99 \(Format.milliseconds(load.lagP99Ms)) ms, max \(Format.milliseconds(load.lagMaxMs)) ms"
        text += "; \(load.late) started late (backlog); peak \(load.peakInFlight) in flight"
        return text
    }

    /// "v4-flash under that load: latency p50 210 ms, p95 400 ms, p99 900 ms; TTFT p99 120 ms"
    public static func latency(_ model: ModelSummary) -> String {
        func ms(_ value: Double?) -> String { value.map { "\(Format.milliseconds($0)) ms" } ?? "-" }
        var text =
            "\(model.model) under that load: latency p50 \(ms(model.latency.p50Ms)), p95 \(ms(model.latency.p95Ms)), p99 \(ms(model.latency.p99Ms))"
        if model.ttft.count > 0 { text += "; TTFT p50 \(ms(model.ttft.p50Ms)), p99 \(ms(model.ttft.p99Ms))" }
        return text
    }

    /// The load's lines for a summary: the load, then each model's latency under it.
    public static func lines(_ summary: RunSummary) -> [String] {
        guard let load = summary.run.load else { return [] }
        return [line(load)] + summary.models.filter { $0.latency.count > 0 }.map(latency)
    }
}
