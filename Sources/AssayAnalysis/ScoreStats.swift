import Foundation
import AssayCore

/// How a model did on a set of work items.
///
/// `n` counts the items that were asked (graded or failed); unsupported items are left out.
/// A failed request scores 0: a model that errors on half the items must not look as good
/// as one that answers them. `score` is the mean item score over `n`.
public struct ScoreStats: Sendable, Hashable, Codable {
    public var n = 0
    public var passed = 0
    public var failed = 0
    public var invalid = 0
    public var errors = 0
    public var unsupported = 0
    /// Items a fallback model answered instead: left out of `n`.
    public var fellBack = 0
    /// Items that needed more than one attempt (whatever their end).
    public var retried = 0
    /// Answers cut off by `max_tokens` (`finish_reason: length`): graded as usual, and
    /// counted, so that a cut-off answer is not read as an ordinary wrong one.
    public var truncated = 0
    public var scoreSum = 0.0

    public init() {}

    public var score: Double? { n > 0 ? scoreSum / Double(n) : nil }

    /// The Wilson 95% interval of the pass rate (passed / n).
    public var interval: WilsonInterval? { WilsonInterval(successes: passed, trials: n) }

    mutating func add(_ result: ItemResult) {
        if result.attempts > 1 { retried += 1 }
        switch result.status {
        case .unsupported:
            unsupported += 1
            return
        case .fellBack:
            fellBack += 1
            return
        case .error:
            errors += 1
        case .graded:
            if result.finishReason == "length" { truncated += 1 }
            switch result.grade?.outcome {
            case .pass: passed += 1
            case .invalid: invalid += 1
            case .error: errors += 1
            case .fail, nil: failed += 1
            }
        }
        n += 1
        scoreSum += result.score
    }
}

/// Money and tokens spent on a set of work items.
public struct Spend: Sendable, Hashable, Codable {
    public var cost = 0.0
    /// What `cost` covers: its weakest part's basis (one output-only answer makes the whole
    /// output-only).
    public var basis = CostBasis.full
    /// True when some cost left out input tokens (the input price was unknown).
    public var outputOnly: Bool { basis == .outputOnly }
    public var promptTokens = 0
    public var completionTokens = 0
    public var reasoningTokens = 0
    /// The part of `promptTokens` the vendor read from its prompt cache.
    public var cachedPromptTokens = 0
    /// Answers whose server sent no usage: their tokens are not counted.
    public var unknownUsage = 0
    /// Answers whose cost is not known (no usage, and a model that is not free): not counted.
    public var unknownCost = 0
    /// Answers served from the response cache: counted here, but not paid for again.
    public var cached = 0
    /// When the oldest and the newest of those were first asked (nil when unknown: none
    /// cached, or stored before Assay kept it).
    public var replayedAsked: ClosedRange<Date>?

    public init() {}

    mutating func add(_ result: ItemResult) {
        guard result.status == .graded else { return }
        if result.cached { cached += 1 }
        if let askedAt = result.cachedAt {
            replayedAsked =
                replayedAsked.map { min($0.lowerBound, askedAt)...max($0.upperBound, askedAt) } ?? askedAt...askedAt
        }
        guard let usage = result.usage else {
            unknownUsage += 1
            if let cost = result.cost {
                self.cost += cost.amount  // a free model costs nothing, usage or not
            } else {
                unknownCost += 1
            }
            return
        }
        promptTokens += usage.promptTokens
        completionTokens += usage.completionTokens
        reasoningTokens += usage.reasoningTokens ?? 0
        cachedPromptTokens += usage.cachedPromptTokens ?? 0
        if let cost = result.cost {
            self.cost += cost.amount
            basis = basis.combined(with: cost.basis)
        }
    }
}
