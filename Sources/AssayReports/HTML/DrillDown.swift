import AssayAnalysis
import AssayCore
import Foundation

/// The items an HTML report shows, chosen as results stream past: per model and suite,
/// up to `perGroup` wrong or failed items and `perGroup` right ones, so that a report of a
/// million items stays a page of a few thousand rows. Outputs are cut to a few thousand
/// characters when chosen, so memory stays flat whatever the models wrote.
struct DrillDown: Sendable {
    struct Item: Sendable {
        var model: String
        var suite: String
        var caseID: String
        var epoch: Int
        var status: ItemResult.Status
        var outcome: Grade.Outcome?
        var expected: String?
        var output: String?
        var reasoning: String?
        var extracted: String?
        var rule: String?
        var evidence: [String: JSONValue]
        var error: String?
        var cost: Double?
        /// What the cost is made of: "input 1,200 tok $0.0003 + cached 800 tok $0.00001 + output 40 tok $0.00002".
        var costParts: String?
        var latencyMs: Double?
        var ttftMs: Double?
        var requestHash: String
        /// What the model was sent, as the result keeps it; for results stored before Assay
        /// kept it, filled in from the response cache after the pass.
        var prompt: String?
        /// Cut off at max_tokens (`finish_reason: length`).
        var truncated = false

        var passed: Bool { status == .graded && outcome == .pass }
    }

    static let textLimit = 4_000

    let perGroup: Int
    let prices: [String: Price]
    private(set) var total = 0
    private var groups: [String: (wrong: [Item], right: [Item])] = [:]
    private var order: [String] = []

    init(maximum: Int, groups: Int, prices: [String: Price] = [:]) {
        perGroup = max(10, maximum / max(1, 2 * groups))
        self.prices = prices
    }

    /// The cost's parts, by the price the run used; nil without usage or a price.
    static func costParts(_ usage: Usage?, _ price: Price?, sentAt: Date) -> String? {
        guard let usage, let price, !price.isFree, let parts = price.parts(of: usage, at: sentAt) else { return nil }
        let cached = usage.cachedPromptTokens ?? 0
        var out: [String] = []
        if price.inputPerMillion == nil {
            out.append("input \(usage.promptTokens) tok not priced")
        } else {
            out.append("input \(usage.promptTokens - cached) tok \(Format.money(parts.input))")
            if cached > 0 { out.append("cached \(cached) tok \(Format.money(parts.cachedInput))") }
        }
        var output = "output \(usage.completionTokens) tok"
        if let reasoning = usage.reasoningTokens, reasoning > 0 { output += " (\(reasoning) reasoning)" }
        out.append(output + " " + Format.money(parts.output))
        return out.joined(separator: " + ")
    }

    mutating func consider(_ result: ItemResult) {
        total += 1
        let key = result.model + "\u{0}" + result.suiteID
        if groups[key] == nil {
            groups[key] = ([], [])
            order.append(key)
        }
        let passed = result.status == .graded && result.grade?.outcome == .pass
        let count = passed ? groups[key]?.right.count ?? 0 : groups[key]?.wrong.count ?? 0
        guard count < perGroup else { return }
        // Every text a model, a suite or a store wrote is cut: an exact-label grader's
        // `extracted` is the whole answer, and 31 answers of 10 MiB once made a 331 MB page.
        func cut(_ text: String?) -> String? { text.map { HTMLText.truncated($0, Self.textLimit) } }
        let item = Item(
            model: result.model, suite: result.suiteID, caseID: result.caseID, epoch: result.epoch,
            status: result.status,
            outcome: result.grade?.outcome, expected: cut(result.expected), output: cut(result.output),
            reasoning: cut(result.reasoning),
            extracted: cut(result.grade?.extracted), rule: cut(result.grade?.rule),
            evidence: (result.grade?.evidence ?? [:]).mapValues { Self.cut($0, budget: Self.textLimit) },
            error: cut(result.errorMessage),
            cost: result.cost?.amount,
            costParts: Self.costParts(result.usage, prices[result.model], sentAt: result.sentAt),
            latencyMs: result.timing?.latencyMs, ttftMs: result.timing?.ttftMs, requestHash: result.requestHash,
            prompt: result.prompt.map { HTMLText.truncated($0, Self.textLimit) },
            truncated: result.finishReason == "length")
        if passed { groups[key]?.right.append(item) } else { groups[key]?.wrong.append(item) }
    }

    /// Grade evidence with every string in it cut to `budget` characters and at most 100
    /// elements per array or object, however deep (the page then cuts the whole).
    static func cut(_ value: JSONValue, budget: Int) -> JSONValue {
        let members = 100
        switch value {
        case .string(let text): return .string(HTMLText.truncated(text, budget))
        case .array(let elements):
            let more: [JSONValue] = elements.count > members ? [.string("[... \(elements.count - members) more]")] : []
            return .array(elements.prefix(members).map { cut($0, budget: budget) } + more)
        case .object(let object):
            var kept: [String: JSONValue] = [:]
            for key in object.keys.sorted().prefix(members) { kept[key] = object[key].map { cut($0, budget: budget) } }
            return .object(kept)
        default: return value
        }
    }

    mutating func mapItems(_ transform: (Item) -> Item) {
        for key in order {
            guard let group = groups[key] else { continue }
            groups[key] = (group.wrong.map(transform), group.right.map(transform))
        }
    }

    /// The chosen items: wrong ones first, group by group.
    var items: [Item] {
        order.flatMap { key in (groups[key]?.wrong ?? []) + (groups[key]?.right ?? []) }
    }
}
