import AssayCore
import Foundation

/// The long-context lines every text report prints (the terminal, summary.md): per model, its
/// effective context length, its score and reported prompt tokens at each length, and what its
/// prompt cache saved.
public enum LongContextText {
    /// How the effective length is defined, said once above the lines.
    public static var definition: String {
        "effective context = the longest length, walking up from the shortest, scoring at least the model's own shortest-length score less \(Int(LongContextStats.margin * 100)) points and at least \(Int(LongContextStats.floor * 100))%; prompt tokens as the server reported them, the estimate (CJK 1.5 characters a token, others 4) against them"
    }

    public static func lines(_ summary: RunSummary) -> [String] {
        summary.models.filter { !$0.longContext.isEmpty }.flatMap { model -> [String] in
            let stats = model.longContext
            var lines = [
                "\(model.model): effective context \(stats.effectiveLength.map(\.description) ?? "none") (\(stats.lengths.map { length in lengthText(length, stats.byLength[length] ?? .init()) }.joined(separator: "; ")))"
            ]
            let depths = stats.byDepth.keys.sorted().compactMap { depth -> String? in
                guard let score = stats.byDepth[depth]?.score else { return nil }
                return "\(depth)% \(Format.percent(score))"
            }
            if !depths.isEmpty { lines.append("\(model.model): by needle depth: " + depths.joined(separator: ", ")) }
            if let share = stats.cachedShare {
                var cache =
                    "\(model.model): prompt cache served \(Format.percent(share)) of \(stats.promptTokens) prompt tokens"
                if let without = stats.costWithoutCache {
                    cache += String(format: "; cost $%.4f with the cache, $%.4f without", stats.cost, without)
                }
                lines.append(cache)
            }
            return lines
        }
    }

    static func lengthText(_ length: ContextLength, _ bucket: LongContextStats.Bucket) -> String {
        var text = "\(length) "
        if let score = bucket.score {
            text += "\(Format.percent(score)) (\(bucket.passed)/\(bucket.asked)"
            if let tokens = bucket.meanPromptTokens { text += ", \(Int(tokens.rounded())) prompt tokens" }
            if let ratio = bucket.estimateRatio { text += String(format: ", estimate x%.2f", ratio) }
            if let ttft = bucket.ttft.p50Ms { text += String(format: ", TTFT p50 %.0f ms", ttft) }
            text += ")"
        } else {
            text += "not asked"
        }
        if bucket.unsupported > 0 { text += ", \(bucket.unsupported) not sent (past the window)" }
        return text
    }
}
