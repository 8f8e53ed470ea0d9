import Foundation

/// How a work item ended: each case carries what that ending has, and nothing else. An
/// `ItemResult` is made from an item and its outcome (`ItemResult(item:outcome:)`), never
/// filled in field by field from a placeholder.
public enum ItemOutcome: Sendable {
    /// The model (or the response cache) answered, and the answer was graded.
    case answered(Answer)
    /// The answer came but could not be graded (the code sandbox failed): an error of kind
    /// `grader`, not a wrong answer. The answer is kept.
    case ungraded(Answer, reason: String)
    /// The request failed after every attempt it was allowed.
    case failed(Failure)
    /// The model cannot take the item: it lacks capabilities the suite requires (`missing`),
    /// or the prompt does not fit its context window (`reason` says by how much). Nothing was sent.
    case unsupported(missing: [Capability], reason: String? = nil)
    /// Another model (the fallback) answered the item in this model's place; `failure` is why,
    /// when this model's own request failed first.
    case fellBack(to: String, reason: String, delivery: Delivery, failure: Failure? = nil)

    /// An answer and its grade, cost and delivery.
    public struct Answer: Sendable {
        public var completion: Completion
        public var grade: Grade
        /// Nil when the usage is unknown and the model is not free.
        public var cost: Cost?
        public var delivery: Delivery

        public init(completion: Completion, grade: Grade, cost: Cost?, delivery: Delivery) {
            self.completion = completion
            self.grade = grade
            self.cost = cost
            self.delivery = delivery
        }
    }

    /// How a request got its answer (or did not).
    public struct Delivery: Sendable {
        public var attempts: Int
        /// How the last failed attempt failed, when one did (also when a later one succeeded).
        public var lastErrorKind: ErrorKind?
        /// True when the answer came from the response cache.
        public var cached: Bool
        /// When the replayed answer was first asked (the cache entry's time); nil when fresh.
        public var cachedAt: Date?
        /// Every attempt sent, in order (none for a cached answer): stored apart from the
        /// result, for availability and error rates before retries.
        public var sent: [Attempt]

        public init(
            attempts: Int, lastErrorKind: ErrorKind? = nil, cached: Bool = false, cachedAt: Date? = nil,
            sent: [Attempt] = []
        ) {
            self.cachedAt = cachedAt
            self.attempts = attempts
            self.lastErrorKind = lastErrorKind
            self.cached = cached
            self.sent = sent
        }
    }

    /// A request that did not get an answer.
    public struct Failure: Sendable {
        public var kind: ErrorKind
        public var message: String
        public var delivery: Delivery
        /// The base URL the last attempt went to.
        public var servedBy: String?

        public init(kind: ErrorKind, message: String, delivery: Delivery, servedBy: String? = nil) {
            self.kind = kind
            self.message = message
            self.delivery = delivery
            self.servedBy = servedBy
        }
    }
}

extension ItemOutcome {
    /// The attempts this outcome's requests made (the primary's own, for a fallen-back item).
    public var sent: [Attempt] {
        switch self {
        case .answered(let answer), .ungraded(let answer, _): answer.delivery.sent
        case .failed(let failure): failure.delivery.sent
        case .unsupported: []
        case .fellBack(_, _, let delivery, _): delivery.sent
        }
    }
}

/// What identifies a work item's result and travels with it whatever the outcome: the item,
/// its request (hash and prompt, when one was made), and what a right answer is.
public struct ItemIdentity: Sendable, Hashable {
    public var runID: String
    public var suiteID: String
    public var caseID: String
    public var model: String
    public var epoch: Int
    /// The response cache's key; "" when no request was made (an unsupported item).
    public var requestHash: String
    /// What the model was sent, as text (`ChatRequest.transcript`); nil when nothing was.
    public var prompt: String?
    /// The user message a routing rule matches, typed (`ChatRequest.routedPrompt`); nil when nothing was sent.
    public var routedPrompt: RoutedPrompt?
    public var tags: [String]
    public var expected: String?
    /// For an answer a fallback model gave in place of another: that other (primary) model.
    public var fallbackFor: String?
    /// Where the client that asks stands (`--client-region`).
    public var clientRegion: String?

    public init(
        runID: String, suiteID: String, caseID: String, model: String, epoch: Int, requestHash: String = "",
        prompt: String? = nil,
        routedPrompt: RoutedPrompt? = nil, tags: [String] = [], expected: String? = nil, fallbackFor: String? = nil,
        clientRegion: String? = nil
    ) {
        self.clientRegion = clientRegion
        self.runID = runID
        self.suiteID = suiteID
        self.caseID = caseID
        self.model = model
        self.epoch = epoch
        self.requestHash = requestHash
        self.prompt = prompt
        self.routedPrompt = routedPrompt
        self.tags = tags
        self.expected = expected
        self.fallbackFor = fallbackFor
    }
}

extension ItemResult {
    /// The result of `item` ended by `outcome`: the one place where an outcome becomes the
    /// stored, flat record that reports read.
    public init(item: ItemIdentity, outcome: ItemOutcome, recordedAt: Date = Date()) {
        let status: Status =
            switch outcome {
            case .answered: .graded
            case .ungraded, .failed: .error
            case .unsupported: .unsupported
            case .fellBack: .fellBack
            }
        self.init(
            runID: item.runID, suiteID: item.suiteID, caseID: item.caseID, model: item.model, epoch: item.epoch,
            requestHash: item.requestHash,
            status: status, tags: item.tags, expected: item.expected, prompt: item.prompt,
            routedPrompt: item.routedPrompt, fallbackFor: item.fallbackFor, attempts: 0, recordedAt: recordedAt,
            clientRegion: item.clientRegion)
        switch outcome {
        case .answered(let answer):
            apply(answer)
        case .ungraded(let answer, let reason):
            apply(answer)
            errorKind = .grader
            errorMessage = "the grader could not grade: \(reason)"
        case .failed(let failure):
            errorKind = failure.kind
            errorMessage = failure.message
            attempts = failure.delivery.attempts
            lastErrorKind = failure.delivery.lastErrorKind ?? failure.kind
            servedBy = failure.servedBy
        case .unsupported(let missing, let reason):
            errorMessage = reason ?? "needs " + missing.map(\.rawValue).sorted().joined(separator: ", ")
        case .fellBack(let model, let reason, let delivery, let failure):
            errorMessage = failure.map { "answered by \(model) after: \($0.message)" } ?? "sent to \(model): \(reason)"
            errorKind = failure?.kind
            attempts = delivery.attempts
            lastErrorKind = delivery.lastErrorKind
            servedBy = failure?.servedBy
        }
    }

    private mutating func apply(_ answer: ItemOutcome.Answer) {
        output = answer.completion.text
        reasoning = answer.completion.reasoning
        finishReason = answer.completion.finishReason
        usage = answer.completion.usage
        timing = answer.completion.timing
        servedBy = answer.completion.servedBy
        grade = answer.grade
        cost = answer.cost
        attempts = answer.delivery.attempts
        lastErrorKind = answer.delivery.lastErrorKind
        cached = answer.delivery.cached
        cachedAt = answer.delivery.cachedAt
    }
}
