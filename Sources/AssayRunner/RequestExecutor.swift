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
    let gates: [String: EndpointGate]
    let modelSlots: [String: AsyncSemaphore]
    /// Nil without a spending cap.
    let budget: (any SpendingCap)?
    let policy: RetryPolicy

    init(
        providers: [String: any ChatProvider], setup: RunSetup, budget: (any SpendingCap)?, onEvent: @escaping @Sendable (RunEvent) -> Void = { _ in }
    ) {
        self.providers = providers
        var gates: [String: EndpointGate] = [:]
        for (endpoint, _) in setup.endpoints {
            let name = endpoint.name
            gates[name] = EndpointGate(
                limits: endpoint.limits.overridden(by: setup.plan.settings.endpointLimits[name]), name: name,
                keyVariable: endpoint.apiKeyEnv, adapts: setup.plan.settings.load == nil,
                onThrottle: { onEvent(.throttled(endpoint: name, perSecond: $0, source: $1)) })
        }
        self.gates = gates
        self.modelSlots = setup.plan.settings.modelConcurrency.mapValues { AsyncSemaphore(limit: $0) }
        self.budget = budget
        self.policy = setup.plan.settings.retry
    }

    func execute(_ prepared: PreparedRequest, model: ModelSpec) async -> Outcome {
        let request = prepared.request
        guard let provider = providers[model.endpoint] else {
            return .failed(ProviderError(kind: .configuration, message: "no provider for endpoint '\(model.endpoint)'"), attempts: 0, sent: [])
        }
        let estimate = Self.estimate(request, price: model.price)
        if let budget, !(await budget.reserve(estimate.cost)) { return .budgetStopped }
        let gate = gates[model.endpoint]
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = ProcessInfo.processInfo.systemUptime + policy.itemDeadline
        var attempt = 0
        var lastError: ProviderError?
        var sent: [Attempt] = []
        while true {
            var admission = EndpointGate.Admission(reservedTokens: estimate.tokens, at: ProcessInfo.processInfo.systemUptime)
            attempt += 1
            if let refusal = gate?.refusal {
                await budget?.settle(reserved: estimate.cost, actual: 0)
                return .failed(ProviderError(kind: .configuration, message: refusal), attempts: attempt - 1, sent: sent)
            }
            let error: ProviderError
            do {
                if let gate { admission = try await gate.admit(estimatedTokens: estimate.tokens, deadline: deadline) }
                // Priced by when it was sent (an off-peak window), not when a slot came free.
                let (sentDate, began, result) = try await withSlots(model: model.id, gate: gate) {
                    let date = Date(), began = clock.now
                    do {
                        return (date, began, Result<Completion, ProviderError>.success(try await provider.complete(prepared)))
                    } catch let error as ProviderError {
                        return (date, began, .failure(error))
                    }
                }
                let elapsedMs = (clock.now - began).inMilliseconds
                switch result {
                case .success(let completion):
                    sent.append(
                        Attempt(
                            endpoint: model.endpoint, baseURL: completion.servedBy, status: 200, errorKind: nil,
                            latencyMs: completion.timing.latencyMs, sentAt: sentDate))
                    gate?.record(status: 200, message: "", admission: admission, headers: completion.rateLimits)
                    gate?.settle(reservedTokens: admission.reservedTokens, actualTokens: completion.usage.map { $0.promptTokens + $0.completionTokens })
                    let cost = model.price.cost(of: completion.usage, at: sentDate)
                    await budget?.settle(reserved: estimate.cost, actual: cost?.amount ?? 0)
                    return .completed(completion, cost: cost, attempts: attempt, lastError: lastError, sent: sent)
                case .failure(let failure):
                    // A configuration problem (no base URL) never reached a server: not an attempt.
                    if failure.kind != .configuration {
                        sent.append(
                            Attempt(
                                endpoint: model.endpoint, baseURL: failure.servedBy, status: failure.status, errorKind: failure.kind,
                                latencyMs: elapsedMs, sentAt: sentDate))
                    }
                    error = failure
                }
            } catch let held as EndpointGate.PastDeadline {
                await budget?.settle(reserved: estimate.cost, actual: 0)
                // `wait` may be huge (a slow limit): clamped before it becomes an Int, which traps past Int.max.
                let message = "not sent: the endpoint is held \(held.wait.isFinite ? Int(min(held.wait, 1e9).rounded(.up)) : 1_000_000_000) s more (Retry-After or its rate limits), past this item's deadline"
                return .failed(lastError ?? ProviderError(kind: .rateLimited, message: message), attempts: attempt - 1, sent: sent)
            } catch {
                await budget?.settle(reserved: estimate.cost, actual: 0)
                return .cancelled
            }
            lastError = error
            if error.kind != .configuration {
                gate?.record(status: error.status, message: error.message, admission: admission, headers: error.rateLimits)
            }
            let honoursRetryAfter = error.kind == .rateLimited || error.status == 503
            // A server may ask for any pause (a day, or 1e300 seconds): at most maxRetryAfter.
            let retryAfter = error.retryAfter.map { min(max($0, 0), policy.maxRetryAfter) }
            if honoursRetryAfter, let wait = retryAfter { gate?.pause(for: wait) }
            guard RetryPolicy.isRetryable(error.kind, status: error.status), attempt < policy.maxAttempts else {
                await budget?.settle(reserved: estimate.cost, actual: 0)
                return .failed(error, attempts: attempt, sent: sent)
            }
            let wait = honoursRetryAfter && retryAfter != nil
                ? retryAfter ?? 0 : policy.backoff(after: attempt, draw: Double.random(in: 0..<1))
            let elapsed = (clock.now - start).inSeconds
            guard elapsed + wait < policy.itemDeadline else {
                await budget?.settle(reserved: estimate.cost, actual: 0)
                return .failed(error, attempts: attempt, sent: sent)
            }
            do {
                try await Task.sleep(for: .seconds(wait))
            } catch {
                await budget?.settle(reserved: estimate.cost, actual: 0)
                return .cancelled
            }
        }
    }

    /// What the run met at each endpoint so far, in endpoint order (only endpoints it used).
    var traffic: [EndpointTraffic] {
        gates.values.map(\.traffic).filter { $0.attempts > 0 }.sorted { $0.endpoint < $1.endpoint }
    }

    /// Runs `body` holding the model's slot, then the endpoint's (always in that order).
    private func withSlots<T: Sendable>(model: String, gate: EndpointGate?, _ body: @Sendable () async throws -> T) async throws -> T {
        let modelSlot = modelSlots[model]
        let endpointSlot = gate?.slots
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
        let characters = request.messages.reduce(0) { $0 + $1.text.count } + 400 * request.messages.flatMap(\.parts).filter {
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
