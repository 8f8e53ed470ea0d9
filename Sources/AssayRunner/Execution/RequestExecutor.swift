import AssayConfig
import AssayCore
import AssayProviders
import Foundation

/// Sends one item's request with the run's limits, retries and budget.
///
/// Per attempt: wait for the endpoint's rate limits (and any Retry-After pause), take a
/// model slot and an endpoint slot, send. A failure that `RetryPolicy` says to retry waits
/// (Retry-After on 429 and 503 when given, else backoff with full jitter) and tries again,
/// until the attempts or the item's deadline run out. The budget is reserved once per item
/// (the estimate: prompt characters / 3 at the input price plus max_tokens at the output
/// price) and settled with the real cost.
struct RequestExecutor: Sendable {
    enum Outcome: Sendable {
        /// The answer and its cost (computed once, here, and settled against the budget).
        case completed(Completion, cost: Cost?, attempts: Int, lastError: ProviderError?, sent: [Attempt])
        case failed(ProviderError, attempts: Int, sent: [Attempt])
        /// The budget cap would be passed: not sent.
        case budgetStopped
        /// The run was cancelled: nothing to record.
        case cancelled
    }

    let providers: [String: any ChatProvider]
    let limiters: [String: EndpointLimiter]
    let modelSlots: [String: AsyncSemaphore]
    /// Nil without a spending cap.
    let budget: (any SpendingCap)?
    let policy: RetryPolicy

    init(
        providers: [String: any ChatProvider], setup: RunSetup, budget: (any SpendingCap)?,
        onEvent: @escaping @Sendable (RunEvent) -> Void = { _ in }
    ) {
        self.providers = providers
        var limiters: [String: EndpointLimiter] = [:]
        for (endpoint, _) in setup.endpoints {
            let name = endpoint.name
            limiters[name] = EndpointLimiter(
                limits: endpoint.limits.overridden(by: setup.plan.settings.endpointLimits[name]), name: name,
                keyVariable: endpoint.apiKeyEnv, adapts: setup.plan.settings.load == nil,
                onThrottle: { onEvent(.throttled(endpoint: name, perSecond: $0, source: $1)) })
        }
        self.limiters = limiters
        self.modelSlots = setup.plan.settings.modelConcurrency.mapValues { AsyncSemaphore(limit: $0) }
        self.budget = budget
        self.policy = setup.plan.settings.retry
    }

    func execute(_ prepared: PreparedRequest, model: ModelSpec) async -> Outcome {
        guard let provider = providers[model.endpoint] else {
            return .failed(
                ProviderError(kind: .configuration, message: "no provider for endpoint '\(model.endpoint)'"),
                attempts: 0, sent: [])
        }
        let estimate = Self.estimate(prepared.request, price: model.price)
        if let budget, !(await budget.reserve(estimate.cost)) { return .budgetStopped }
        let outcome = await attempts(prepared, model: model, provider: provider, estimatedTokens: estimate.tokens)
        // The reservation is settled once, whatever the end: by the answer's cost, or by nothing.
        if case .completed(_, let cost, _, _, _) = outcome {
            await budget?.settle(reserved: estimate.cost, actual: cost?.amount ?? 0)
        } else {
            await budget?.settle(reserved: estimate.cost, actual: 0)
        }
        return outcome
    }

    /// How one attempt ended.
    private enum Sent {
        case answered(Completion, sentAt: Date, admission: EndpointLimiter.Admission)
        case failed(ProviderError, admission: EndpointLimiter.Admission)
        /// The endpoint is held past the item's deadline: not sent.
        case held(EndpointLimiter.PastDeadline)
        case cancelled
    }

    /// Sends the request until it is answered, fails for good, or runs out of attempts or time.
    private func attempts(
        _ prepared: PreparedRequest, model: ModelSpec, provider: any ChatProvider, estimatedTokens: Int
    ) async -> Outcome {
        let limiter = limiters[model.endpoint]
        let start = ContinuousClock.now
        let deadline = start + .seconds(policy.itemDeadline)
        var attempt = 0
        var lastError: ProviderError?
        var sent: [Attempt] = []
        while true {
            attempt += 1
            if let refusal = limiter?.refusal {
                return .failed(ProviderError(kind: .configuration, message: refusal), attempts: attempt - 1, sent: sent)
            }
            let error: ProviderError
            switch await send(
                prepared, model: model, provider: provider, limiter: limiter, estimatedTokens: estimatedTokens,
                deadline: deadline, sent: &sent)
            {
            case .answered(let completion, let sentAt, let admission):
                limiter?.record(status: 200, message: "", admission: admission, headers: completion.rateLimits)
                limiter?.settle(
                    reservedTokens: admission.reservedTokens,
                    actualTokens: completion.usage.map { $0.promptTokens + $0.completionTokens })
                let cost = model.price.cost(of: completion.usage, at: sentAt)
                return .completed(completion, cost: cost, attempts: attempt, lastError: lastError, sent: sent)
            case .failed(let failure, let admission):
                if failure.kind != .configuration {
                    limiter?.record(
                        status: failure.status, message: failure.message, admission: admission,
                        headers: failure.rateLimits)
                }
                error = failure
            case .held(let held):
                // `wait` may be huge (a slow limit, or `forever`): clamped before it becomes an Int, which traps past Int.max.
                let seconds = Int(min(held.wait.inSeconds, 1e9).rounded(.up))
                let message =
                    "not sent: the endpoint is held \(seconds) s more (Retry-After or its rate limits), past this item's deadline"
                return .failed(
                    lastError ?? ProviderError(kind: .rateLimited, message: message), attempts: attempt - 1, sent: sent)
            case .cancelled:
                return .cancelled
            }
            lastError = error
            guard
                let wait = retryWait(
                    after: error, attempt: attempt, limiter: limiter, elapsed: ContinuousClock.now - start)
            else {
                return .failed(error, attempts: attempt, sent: sent)
            }
            do { try await Task.sleep(for: wait) } catch { return .cancelled }
        }
    }

    /// One attempt: waits for the endpoint's limits and slots, sends, and appends what was sent
    /// to `sent` (a configuration problem, such as no base URL, never reached a server: not an attempt).
    private func send(
        _ prepared: PreparedRequest, model: ModelSpec, provider: any ChatProvider, limiter: EndpointLimiter?,
        estimatedTokens: Int, deadline: ContinuousClock.Instant,
        sent: inout [Attempt]
    ) async -> Sent {
        var admission = EndpointLimiter.Admission(reservedTokens: estimatedTokens, at: .now)
        let clock = ContinuousClock()
        do {
            if let limiter { admission = try await limiter.admit(estimatedTokens: estimatedTokens, deadline: deadline) }
            // Priced by when it was sent (an off-peak window), not when a slot came free.
            let (sentAt, began, result) = try await withSlots(model: model.id, limiter: limiter) {
                let date = Date(), began = clock.now
                do {
                    return (
                        date, began, Result<Completion, ProviderError>.success(try await provider.complete(prepared))
                    )
                } catch let error as ProviderError {
                    return (date, began, .failure(error))
                }
            }
            switch result {
            case .success(let completion):
                sent.append(
                    Attempt(
                        endpoint: model.endpoint, baseURL: completion.servedBy, status: 200, errorKind: nil,
                        latencyMs: completion.timing.latencyMs, sentAt: sentAt))
                return .answered(completion, sentAt: sentAt, admission: admission)
            case .failure(let failure):
                if failure.kind != .configuration {
                    sent.append(
                        Attempt(
                            endpoint: model.endpoint, baseURL: failure.servedBy, status: failure.status,
                            errorKind: failure.kind,
                            latencyMs: (clock.now - began).inMilliseconds, sentAt: sentAt))
                }
                return .failed(failure, admission: admission)
            }
        } catch let held as EndpointLimiter.PastDeadline {
            return .held(held)
        } catch {
            return .cancelled
        }
    }

    /// How long to wait before the next attempt after `error`, or nil when it is not retried
    /// (not retryable, out of attempts, or the wait would pass the item's deadline). A 429 or
    /// 503 with Retry-After holds the whole endpoint that long (at most `maxRetryAfter`: a
    /// server may ask for a day, or 1e300 seconds).
    private func retryWait(after error: ProviderError, attempt: Int, limiter: EndpointLimiter?, elapsed: Duration)
        -> Duration?
    {
        let honoursRetryAfter = error.kind == .rateLimited || error.status == 503
        // The error and the policy keep seconds as numbers (a header's, a plan's): spans from here.
        let retryAfter = error.retryAfter.map { Duration.seconds(min(max($0, 0), policy.maxRetryAfter)) }
        if honoursRetryAfter, let wait = retryAfter { limiter?.pause(for: wait) }
        guard RetryPolicy.isRetryable(error.kind, status: error.status), attempt < policy.maxAttempts else {
            return nil
        }
        let wait =
            honoursRetryAfter && retryAfter != nil
            ? retryAfter ?? .zero : .seconds(policy.backoff(after: attempt, draw: Double.random(in: 0..<1)))
        return elapsed + wait < .seconds(policy.itemDeadline) ? wait : nil
    }

    /// What the run met at each endpoint so far, in endpoint order (only endpoints it used).
    var traffic: [EndpointTraffic] {
        limiters.values.map(\.traffic).filter { $0.attempts > 0 }.sorted { $0.endpoint < $1.endpoint }
    }

    /// Runs `body` holding the model's slot, then the endpoint's (always in that order).
    private func withSlots<T: Sendable>(
        model: String, limiter: EndpointLimiter?, _ body: @Sendable () async throws -> T
    ) async throws -> T {
        let modelSlot = modelSlots[model]
        let endpointSlot = limiter?.slots
        await modelSlot?.acquire()
        await endpointSlot?.acquire()
        do {
            try Task.checkCancellation()
            let value = try await body()
            await endpointSlot?.release()
            await modelSlot?.release()
            return value
        } catch {
            await endpointSlot?.release()
            await modelSlot?.release()
            throw error
        }
    }

    /// Tokens and cost a request is expected to take, for rate limits and the budget.
    static func estimate(_ request: ChatRequest, price: Price) -> (tokens: Int, cost: Double) {
        let characters =
            request.messages.reduce(0) { $0 + $1.text.count } + 400
            * request.messages.flatMap(\.parts).filter {
                if case .imageURL = $0 { return true }
                return false
            }.count
        let prompt = characters / 3 + 8
        let completion = request.maxTokens ?? 1024
        let highest = price.highestUSDPerMillion
        let cost = (Double(prompt) * highest.input + Double(completion) * highest.output) / 1_000_000
        return (prompt + completion, cost)
    }
}
