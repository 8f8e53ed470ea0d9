import Foundation

/// Answers replayed from the response cache, in words: a re-run served from the cache is not
/// a new measurement, and every report says so where its numbers are read.
public enum ReplayText {
    /// "18 of 24 answers replayed from cache (...)"; nil when every answer was asked now.
    public static func line(_ summary: RunSummary) -> String? {
        let replayed = summary.models.reduce(0) { $0 + $1.spend.cached }
        guard replayed > 0 else { return nil }
        let answered = summary.models.reduce(0) { $0 + $1.overall.n - $1.overall.errors }
        let models = summary.models.filter { $0.spend.cached > 0 }.map { "\($0.model) \($0.spend.cached)" }.joined(
            separator: ", ")
        let asked = summary.models.compactMap(\.spend.replayedAsked).reduce(nil as ClosedRange<Date>?) { range, next in
            range.map { min($0.lowerBound, next.lowerBound)...max($0.upperBound, next.upperBound) } ?? next
        }
        let when = asked.map { ", " + firstAsked($0) } ?? ""
        return
            "\(replayed) of \(answered) answers replayed from cache (\(models)\(when)): their answers, grades and costs are those of the "
            + "request that first asked them, and no latency, TTFT or availability figure counts them; --no-cache or --max-cache-age asks again"
    }

    /// "first asked 2026-12-04 09:30 UTC", or "first asked between ... and ...".
    public static func firstAsked(_ range: ClosedRange<Date>) -> String {
        let first = day(range.lowerBound), last = day(range.upperBound)
        return first == last ? "first asked \(first)" : "first asked between \(first) and \(last)"
    }

    /// `2026-12-04 09:30 UTC`.
    static func day(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return formatter.string(from: date)
    }
}
