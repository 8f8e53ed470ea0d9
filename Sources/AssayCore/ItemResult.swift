import Foundation

/// The outcome of one work item: one case of one suite, asked of one model, in one epoch.
///
/// Named `ItemResult` rather than `Result` so it never shadows `Swift.Result`.
public struct ItemResult: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable {
        /// The model answered and the answer was graded.
        case graded
        /// The request failed; `errorKind` says how. Counts as a wrong answer in scores.
        case error
        /// The model lacks a capability the suite requires; nothing was sent.
        case unsupported
        /// A fallback model answered the item instead (its answer is recorded as the
        /// fallback's, with `fallbackFor` naming this model); left out of this model's score.
        case fellBack = "fell_back"
    }

    public var runID: String
    public var suiteID: String
    public var caseID: String
    public var model: String
    public var epoch: Int
    /// Hash of the request (endpoint, model, body, epoch): the response cache's key.
    public var requestHash: String
    public var status: Status
    /// The case's tags (from cases.jsonl), so that routing rules can match on them later.
    public var tags: [String]
    /// What a right answer is, for reading the result without the suite: the case's
    /// expected label, answer or text (other expectations, such as code tests, as JSON),
    /// up to 2,000 characters.
    public var expected: String?
    /// What the model was sent, as text (`ChatRequest.transcript`, written by `Transcript`: images as "[image]", clips as "[audio]"); nil
    /// when nothing was sent, or in a store written before Assay kept it (reports then look
    /// in the response cache).
    public var prompt: String?
    /// The user message a routing rule matches, as the run built it from the request's
    /// messages (`ChatRequest.routedPrompt`); nil when nothing was sent, and in a store
    /// written before Assay kept it (readers then take it from `prompt`: `RoutedPrompt(transcript:)`).
    public var routedPrompt: RoutedPrompt?
    public var output: String?
    public var reasoning: String?
    public var finishReason: String?
    public var grade: Grade?
    public var usage: Usage?
    public var cost: Cost?
    public var timing: Timing?
    public var errorKind: ErrorKind?
    public var errorMessage: String?
    /// How the last failed attempt failed, when there were retries (also on an item that
    /// then succeeded).
    public var lastErrorKind: ErrorKind?
    /// For an answer a fallback model gave in place of another: that other (primary) model.
    public var fallbackFor: String?
    public var attempts: Int
    public var servedBy: String?
    /// True when the completion came from the response cache, not a new request.
    public var cached: Bool
    /// When a replayed answer was first asked; nil for a fresh one (and for replays stored
    /// before Assay kept it).
    public var cachedAt: Date?
    public var recordedAt: Date
    /// Where the client that sent the request stood (`assay run --client-region`): latency
    /// is split by it, since a request from another continent is slower for no fault of the
    /// model's.
    public var clientRegion: String?

    /// About when the request was sent: the recorded time less the latency. What a stored
    /// result is priced by after the fact (an off-peak window), in reports and re-pricing.
    public var sentAt: Date { recordedAt.addingTimeInterval(-(timing?.latencyMs ?? 0) / 1000) }

    public init(
        runID: String, suiteID: String, caseID: String, model: String, epoch: Int, requestHash: String,
        status: Status, tags: [String] = [], expected: String? = nil, prompt: String? = nil,
        routedPrompt: RoutedPrompt? = nil, output: String? = nil,
        reasoning: String? = nil, finishReason: String? = nil,
        grade: Grade? = nil, usage: Usage? = nil, cost: Cost? = nil, timing: Timing? = nil,
        errorKind: ErrorKind? = nil, errorMessage: String? = nil, lastErrorKind: ErrorKind? = nil,
        fallbackFor: String? = nil,
        attempts: Int = 1, servedBy: String? = nil,
        cached: Bool = false, cachedAt: Date? = nil, recordedAt: Date = Date(), clientRegion: String? = nil
    ) {
        self.cachedAt = cachedAt
        self.clientRegion = clientRegion
        self.runID = runID
        self.suiteID = suiteID
        self.caseID = caseID
        self.model = model
        self.epoch = epoch
        self.requestHash = requestHash
        self.status = status
        self.tags = tags
        self.expected = expected
        self.prompt = prompt
        self.routedPrompt = routedPrompt
        self.output = output
        self.reasoning = reasoning
        self.finishReason = finishReason
        self.grade = grade
        self.usage = usage
        self.cost = cost
        self.timing = timing
        self.errorKind = errorKind
        self.errorMessage = errorMessage
        self.lastErrorKind = lastErrorKind
        self.fallbackFor = fallbackFor
        self.attempts = attempts
        self.servedBy = servedBy
        self.cached = cached
        self.recordedAt = recordedAt
    }

    /// The item's score: the grade's, or 0 for a failed request.
    public var score: Double { grade?.score ?? 0 }

    /// Identifies the work item within its run: for a fallback's answer, the primary's item.
    public var key: WorkKey { WorkKey(suiteID: suiteID, caseID: caseID, model: fallbackFor ?? model, epoch: epoch) }

    /// The row the summaries count this result under: the model, or for a fallback's answer
    /// "fallback (for primary)", kept apart from both models' own items.
    public var reportedModel: String { fallbackFor.map { "\(model) (fallback for \($0))" } ?? model }
}

/// One unit of work: a case of a suite, for a model, in an epoch (1-based).
public struct WorkKey: Sendable, Hashable, Codable, CustomStringConvertible {
    public var suiteID: String
    public var caseID: String
    public var model: String
    public var epoch: Int

    public init(suiteID: String, caseID: String, model: String, epoch: Int) {
        self.suiteID = suiteID
        self.caseID = caseID
        self.model = model
        self.epoch = epoch
    }

    public var description: String { "\(suiteID)/\(caseID) on \(model) (epoch \(epoch))" }
}

extension Case {
    /// The expectation as `ItemResult.expected` keeps it.
    public var expectedSummary: String {
        for key in ["label", "answer", "text"] {
            if let value = expected[key], !value.isNull { return value.templateText.prefixCharacters(2000) }
        }
        return expected.templateText.prefixCharacters(2000)
    }
}

extension String {
    /// The first `count` characters; a string of no more bytes than that is all of them, and
    /// is returned without walking its characters.
    fileprivate func prefixCharacters(_ count: Int) -> String {
        utf8.count <= count ? self : String(prefix(count))
    }
}
