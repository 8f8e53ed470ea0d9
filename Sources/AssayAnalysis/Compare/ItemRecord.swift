import AssayCore
import Foundation

/// What comparisons need of one item's result: its outcome, cost and latency, and enough
/// text to show it side by side.
public struct ItemRecord: Sendable, Hashable {
    public var suite: String
    public var caseID: String
    public var epoch: Int
    public var kind: SuiteKind?
    public var tags: [String]
    public var status: ItemResult.Status
    public var outcome: Grade.Outcome?
    public var score: Double
    /// Nil when the usage was unknown.
    public var cost: Double?
    /// What the cost covers.
    public var costBasis: CostBasis
    /// The cost covers output tokens only (the input price is not quoted).
    public var costOutputOnly: Bool { costBasis == .outputOnly }
    /// Prompt plus completion tokens; nil when the usage was unknown.
    public var tokens: Int?
    public var latencyMs: Double?
    /// Time to the first answer token (streamed answers).
    public var ttftMs: Double?
    /// Inter-token latency and time per output token (`Timing`), streamed answers only.
    public var interTokenMs: Double?
    public var timePerOutputTokenMs: Double?
    public var expected: String?
    public var output: String?
    public var extracted: String?
    public var error: String?
    /// The user's message as sent, with whether it carried an image, for routing rules that
    /// match on them: as the run stored it, else (an older store) the stored transcript's last
    /// user turn; nil when the store kept neither.
    public var prompt: RoutedPrompt?
    /// About when the request went out (`ItemResult.sentAt`): the order a router saw them in.
    public var sentAt: Date?
    /// The attempts the item's requests made and how many got a whole answer (none for an
    /// answer from the cache, or a store written before Assay kept attempts).
    public var attempts = 0
    public var succeededAttempts = 0
    /// The answer was replayed from the response cache: its latency and TTFT are those of the
    /// request that first asked it, and measure nothing now.
    public var cached = false
    /// When a replayed answer was first asked (nil when fresh, or not known).
    public var cachedAt: Date?
    /// The label grader found two labels named.
    public var ambiguous = false
    /// The answer is not one of the declared labels (or their synonyms) alone: a hedge, a
    /// sentence, another word. Set by the label grader only.
    public var offLabel = false

    public var key: ItemKey { ItemKey(suite: suite, caseID: caseID, epoch: epoch) }
    public var isRight: Bool { status == .graded && outcome == .pass }
    public var failed: Bool { status == .error }

    /// Texts are cut to 4,000 characters: a record is for reading, the store has the rest.
    public init(_ result: ItemResult, kind: SuiteKind?) {
        suite = result.suiteID
        caseID = result.caseID
        epoch = result.epoch
        self.kind = kind
        tags = result.tags
        status = result.status
        outcome = result.grade?.outcome
        score = result.score
        cost = result.cost?.amount
        costBasis = result.cost?.basis ?? .full
        tokens = result.usage.map { $0.promptTokens + $0.completionTokens }
        latencyMs = result.timing?.latencyMs
        ttftMs = result.timing?.ttftMs
        interTokenMs = result.timing?.interTokenMs
        timePerOutputTokenMs = result.timing?.timePerOutputTokenMs(completionTokens: result.usage?.completionTokens)
        expected = result.expected.map { String($0.prefix(4000)) }
        output = result.output.map { String($0.prefix(4000)) }
        extracted = result.grade?.extracted
        error = result.errorMessage
        prompt = result.routedPrompt ?? result.prompt.map(RoutedPrompt.init(transcript:))
        sentAt = result.status == .graded || result.status == .error ? result.sentAt : nil
        cached = result.cached
        cachedAt = result.cachedAt
        let label = result.grade?.labelEvidence
        ambiguous = label?.ambiguous ?? false
        offLabel = label?.offLabel ?? false
    }

    public init(
        suite: String, caseID: String, epoch: Int, kind: SuiteKind?, tags: [String] = [], status: ItemResult.Status,
        outcome: Grade.Outcome?, score: Double, cost: Double?, costBasis: CostBasis = .full, latencyMs: Double?,
        expected: String? = nil, output: String? = nil,
        extracted: String? = nil, error: String? = nil
    ) {
        self.suite = suite
        self.caseID = caseID
        self.epoch = epoch
        self.kind = kind
        self.tags = tags
        self.status = status
        self.outcome = outcome
        self.score = score
        self.cost = cost
        self.costBasis = costBasis
        self.latencyMs = latencyMs
        self.expected = expected
        self.output = output
        self.extracted = extracted
        self.error = error
    }
}

/// An item of a suite, paired across runs or models: its suite, case and epoch.
public struct ItemKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var suite: String
    public var caseID: String
    public var epoch: Int

    public init(suite: String, caseID: String, epoch: Int) {
        self.suite = suite
        self.caseID = caseID
        self.epoch = epoch
    }

    public static func < (lhs: ItemKey, rhs: ItemKey) -> Bool {
        (lhs.suite, lhs.caseID, lhs.epoch) < (rhs.suite, rhs.caseID, rhs.epoch)
    }

    public var description: String { epoch > 1 ? "\(suite)/\(caseID) #\(epoch)" : "\(suite)/\(caseID)" }
}

/// One side of a comparison: a model's results in a run (or a routing policy's simulated
/// results), by item.
public struct Side: Sendable {
    /// How the reports name it: "RUN@model" or the policy's name.
    public var label: String
    public var records: [ItemKey: ItemRecord]
    /// The suites this side was asked (present even when every item was unsupported).
    public var suites: [String]
    /// Every attempt its requests made (nil when none is known: a simulated policy, a run
    /// answered from the cache, a store written before Assay kept attempts).
    public var attempts: AttemptTally?
    /// The input price assumed for models without one (`--assume-input-ratio`), in words.
    public var costAssumption: String?

    public init(
        label: String, records: [ItemKey: ItemRecord], suites: [String], attempts: AttemptTally? = nil,
        costAssumption: String? = nil
    ) {
        self.costAssumption = costAssumption
        self.label = label
        self.records = records
        self.suites = suites
        self.attempts = attempts
    }
}
