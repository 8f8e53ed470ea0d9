import AssayCore
import Foundation

/// Attempts in words, the same in the terminal summary and summary.md.
public enum AttemptText {
    /// "v4-flash: 1002 attempts, availability 99.70% (3 failed: 429 2, 5xx 1); succeeded in p50 210 ms, p99 900 ms"
    public static func line(_ group: AttemptSummary.Group) -> String {
        let tally = group.tally
        var text = "\(group.name): \(tally.attempts) attempts, availability \(availability(tally))"
        let failed = tally.attempts - tally.succeeded
        if failed > 0 {
            let parts = [
                ("429", tally.rateLimited), ("5xx", tally.server), ("timeout", tally.timeouts),
                ("connection", tally.connection), ("other", tally.other),
            ]
            .filter { $0.1 > 0 }.map { "\($0.0) \($0.1)" }
            text += " (\(failed) failed: \(parts.joined(separator: ", ")))"
        }
        if let p50 = tally.latency.p50Ms, let p99 = tally.latency.p99Ms {
            text += "; succeeded in p50 \(Format.milliseconds(p50)) ms, p99 \(Format.milliseconds(p99)) ms"
        }
        return text
    }

    /// Two decimals: SLAs are written as 99.97% and 99.91%.
    public static func availability(_ tally: AttemptTally) -> String {
        tally.availability.map { String(format: "%.2f%%", $0 * 100) } ?? "-"
    }
}
