import AssayConfig
import AssayCore
import Crypto
import Foundation

/// Run ids sort by time and read well in paths: `20261123-161500-3fa2`.
public enum RunID {
    public static func make(at date: Date = Date()) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        let suffix = String(UInt16.random(in: 0...UInt16.max), radix: 16)
        return formatter.string(from: date) + "-" + String(repeating: "0", count: 4 - suffix.count) + suffix
    }
}

extension RunID {
    /// The id shards of one run share when `--run-id` is not given: `plan-` and the first 12
    /// hex digits of SHA-256 over what makes the run the same run (suites, models, epochs,
    /// settings but the shard, and the commit), so that the matrix's jobs agree on it without
    /// talking to each other, and a changed plan or commit gets another.
    public static func derived(plan: Plan, gitCommit: String?) -> String {
        var settings = plan.settings
        settings.shard = nil
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let identity = (try? encoder.encode(settings)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        let text =
            ([
                plan.suites.joined(separator: "\n"), plan.models.joined(separator: "\n"), String(plan.epochs), identity,
                gitCommit ?? "no commit",
            ])
            .joined(separator: "\u{0}")
        let digest = SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
        return "plan-" + digest.prefix(12)
    }
}
