import AssayConfig
import AssayCore
import AssayGraders
import AssayProviders
import AssayStore
import Foundation

/// Executes a prepared run: every work item is asked, graded and stored, with a bounded
/// number of items in flight, the endpoints' and models' limits, retries, failover to a
/// fallback model, the response cache and the spending cap.
///
/// A result is stored as soon as it is graded. A failed request is stored as an error with
/// its kind and counts as a wrong answer; it does not stop the run. A failing store does:
/// nothing may count that is not durable. Cancelling the task stops the run gracefully:
/// requests in flight are cancelled and not recorded, everything graded is kept, the run
/// is marked interrupted, and `--resume` finishes it.
///
/// With a shared store (PostgreSQL), the items are not walked in order but claimed from the
/// run's queue, so that any number of workers (`join`) share one run (`Runner+Shared`).
public struct Runner: Sendable {
    public let setup: RunSetup
    public let store: any RunStore
    /// Providers by endpoint name.
    public let providers: [String: any ChatProvider]
    /// This process in a shared store's queue (unused with SQLite).
    public let worker: Worker
    /// What tells the endpoints' keys apart in a shared store, by endpoint name: workers with
    /// the same fingerprint share its rate limits (`SharedLimits`).
    let keyFingerprints: [String: String]

    /// `keys`: each endpoint's API key by endpoint name (`EndpointAccess.key(of:)`), of which
    /// only a fingerprint is kept.
    public init(
        setup: RunSetup, store: any RunStore, providers: [String: any ChatProvider], worker: Worker = Worker(),
        keys: [String: String] = [:]
    ) {
        self.setup = setup
        self.store = store
        self.providers = providers
        self.worker = worker
        keyFingerprints = Dictionary(
            setup.endpoints.map {
                (
                    $0.endpoint.name,
                    SharedLimits.fingerprint(baseURLs: $0.endpoint.baseURLs, key: keys[$0.endpoint.name])
                )
            },
            uniquingKeysWith: { first, _ in first })
    }

    /// Starts a new run and returns its manifest as stored at the end.
    public func run(
        id: String = RunID.make(), gitCommit: String? = GitCommit.current(), label: RunLabel? = nil,
        onEvent: @escaping @Sendable (RunEvent) -> Void = { _ in }
    ) async throws(StoreError) -> RunManifest {
        let plan = setup.plan
        var manifest = RunManifest(
            id: id, plan: plan.file,
            suites: setup.suites.map {
                SuiteRef(
                    id: $0.id, path: $0.directory, kind: $0.kind, grader: $0.grader.name, cases: $0.cases.count,
                    labels: (setup.graders[$0.id] as? LabelGrader)?.labels,
                    maxTokens: plan.settings.generation.maxTokens ?? $0.generation.maxTokens,
                    responseFormat: $0.responseFormat, fingerprint: setup.fingerprints[$0.id])
            },
            models: setup.models.map(\.id), epochs: setup.workItems.epochs, concurrency: plan.concurrency,
            catalog: setup.catalog,
            gitCommit: gitCommit, sandbox: setup.sandbox?.description,
            sandboxMode: setup.sandbox?.mode, settings: plan.settings)
        manifest.label = label
        if let shared = store as? any SharedRunStore {
            try await shared.createRun(manifest, queue: setup.workItems.map(key), budgetCap: plan.settings.maxCost)
        } else {
            try await store.createRun(manifest)
        }
        return try await execute(runID: id, skipping: [], alreadySpent: 0, manifest: manifest, onEvent: onEvent)
    }

    /// Finishes a stored run: asks only the items that have no result, or whose request
    /// failed; never repeats a completed one.
    public func resume(
        _ manifest: RunManifest, onEvent: @escaping @Sendable (RunEvent) -> Void = { _ in }
    ) async throws(StoreError) -> RunManifest {
        let done = try await store.completedKeys(run: manifest.id)
        let spent = try await store.spend(run: manifest.id)
        if let shared = store as? any SharedRunStore {
            let left = setup.workItems.lazy.map(key).filter { !done.contains($0) }
            try await shared.requeue(
                run: manifest.id, keys: Array(left), budgetCap: setup.plan.settings.maxCost, spent: spent)
        }
        try await store.finishRun(manifest.id, status: .running)
        return try await execute(
            runID: manifest.id, skipping: done, alreadySpent: spent, manifest: manifest, onEvent: onEvent)
    }

    func execute(
        runID: String, skipping done: Set<WorkKey>, alreadySpent: Double, manifest: RunManifest,
        onEvent: @escaping @Sendable (RunEvent) -> Void
    ) async throws(StoreError) -> RunManifest {
        let plan = setup.plan
        let all = setup.workItems
        let totals = all.perModel
        var completed: [String: Int] = [:]
        for key in done { completed[key.model, default: 0] += 1 }
        let items = all.lazy.filter { done.isEmpty || !done.contains(key($0)) }
        onEvent(.started(runID: runID, totals: totals, completed: completed))

        let shared = store as? any SharedRunStore
        let worker = shared == nil ? nil : self.worker
        let budget: (any SpendingCap)? = plan.settings.maxCost.map { cap -> any SpendingCap in
            if let shared { return SharedBudget(store: shared, run: runID) }
            return ProcessBudget(cap: cap, alreadySpent: alreadySpent)
        }
        let executor = RequestExecutor(providers: providers, setup: setup, budget: budget, onEvent: onEvent)
        let context = ItemContext(
            runID: runID, setup: setup, store: store, executor: executor,
            fallbacks: plan.settings.fallbacks.isEmpty ? nil : FallbackMonitor(rules: plan.settings.fallbacks),
            onEvent: onEvent)
        var status = RunManifest.Status.completed
        let meter = plan.settings.load.map { LoadMeter(profile: $0, scheduled: all.count - done.count) }
        // Workers on one store share each key's rate limits.
        let limits = (shared == nil ? nil : store as? any SharedRateLimits).map {
            SharedLimits(store: $0, holder: self.worker.id, limiters: executor.limiters, keys: keyFingerprints)
        }
        try await limits?.join()
        let keeping = limits.map { limits in Task { await limits.keep() } }
        func leaveLimits() async {
            keeping?.cancel()
            await limits?.leave()
        }
        do {
            try await dispatch(
                items, context: context, shared: shared, worker: worker, meter: meter, budget: budget)
            if let budget, await budget.stopped {
                status = .budgetStopped
                onEvent(.budgetStopped(spent: await budget.spent, cap: plan.settings.maxCost ?? 0))
            } else if Task.isCancelled {
                status = .interrupted
            }
        } catch let error as StoreError {
            await leaveLimits()
            await recordFailure(
                error, runID: runID, shared: shared, worker: worker, traffic: executor.traffic, load: meter?.report)
            throw error
        } catch {
            status = .interrupted
        }
        await leaveLimits()
        if let shared, let worker, status != .completed {
            status = try await Self.sharedStatus(after: status, of: runID, worker: worker, in: shared)
        }
        try await store.finishRun(
            runID, status: status, traffic: executor.traffic, worker: worker.map { WorkerEnd(id: $0.id) },
            load: meter?.report)
        return try await store.run(runID) ?? manifest
    }

    /// Sends the items the way the run asks: claimed from a shared store's queue, on the open
    /// loop's schedule (`--rate`), or as concurrency slots free up; each item runs in `context`.
    private func dispatch(
        _ items: some Sequence<WorkItem>, context: ItemContext, shared: (any SharedRunStore)?,
        worker: Worker?, meter: LoadMeter?, budget: (any SpendingCap)?
    ) async throws {
        let plan = setup.plan
        try await withThrowingTaskGroup(of: Void.self) { group in
            if let shared, let worker {
                try await workClaimed(
                    from: shared, runID: context.runID, worker: worker, cap: plan.concurrency, budget: budget,
                    group: &group
                ) {
                    try await context.run($0)
                }
                return
            }
            if let meter {
                try await Self.sendOnSchedule(
                    items, meter: meter, cap: plan.concurrency, budget: budget, group: &group
                ) { try await context.run($0) }
                return
            }
            try await Self.sendAsSlotsFree(
                items, cap: plan.concurrency, rampUp: plan.settings.rampUp, budget: budget, group: &group
            ) {
                try await context.run($0)
            }
        }
    }

    /// The store failed under this process: a shared run goes on without this worker (the
    /// failure is the worker's, and the run stays open to the others, or to a new worker,
    /// `--join`, when none is left); a run of its own is marked failed.
    private func recordFailure(
        _ error: StoreError, runID: String, shared: (any SharedRunStore)?, worker: Worker?, traffic: [EndpointTraffic],
        load: LoadReport?
    ) async {
        if let shared, let worker {
            let left = try? await Self.sharedStatus(after: .interrupted, of: runID, worker: worker, in: shared)
            try? await store.finishRun(
                runID, status: left ?? .running, traffic: traffic,
                worker: WorkerEnd(id: worker.id, failure: error.description), load: nil)
            return
        }
        try? await store.finishRun(runID, status: .failed, traffic: traffic, load: load)
    }

    /// A closed loop: at most `cap` items in flight, the next started as one ends (the first
    /// `cap` spread over `rampUp` seconds); nothing new once the budget stopped or the run
    /// was cancelled.
    private static func sendAsSlotsFree<Items: Sequence>(
        _ items: Items, cap: Int, rampUp: Double?, budget: (any SpendingCap)?,
        group: inout ThrowingTaskGroup<Void, any Error>,
        run: @escaping @Sendable (Items.Element) async throws -> Void
    ) async throws where Items.Element: Sendable {
        var inFlight = 0
        var ramp = RampUp(seconds: rampUp ?? 0, slots: cap)
        for item in items {
            if let budget, await budget.stopped { break }
            if inFlight >= cap {
                try await group.next()
                inFlight -= 1
            }
            await ramp.waitForNextSlot()
            if Task.isCancelled { break }
            group.addTask { try await run(item) }
            inFlight += 1
        }
        try await group.waitForAll()
    }

    /// An open loop: each item starts when the schedule says, whether or not earlier ones
    /// were answered; only when `cap` are really in flight does it wait (and start late: the
    /// backlog the meter counts).
    private static func sendOnSchedule(
        _ items: some Sequence<WorkItem>, meter: LoadMeter, cap: Int, budget: (any SpendingCap)?,
        group: inout ThrowingTaskGroup<Void, any Error>,
        run: @escaping @Sendable (WorkItem) async throws -> Void
    ) async throws {
        var schedule = LoadSchedule(meter.profile, total: meter.scheduled)
        let clock = ContinuousClock()
        let start = clock.now
        for item in items {
            if let budget, await budget.stopped { break }
            let due = start + .seconds(schedule.next())
            do { try await Task.sleep(until: due, tolerance: .milliseconds(1), clock: clock) } catch { break }
            while meter.current >= cap { try await group.next() }
            meter.start(due: due, now: clock.now)
            group.addTask {
                defer { meter.end() }
                try await run(item)
            }
        }
        try await group.waitForAll()
    }

    func key(_ item: WorkItem) -> WorkKey {
        WorkKey(
            suiteID: setup.suites[item.suiteIndex].id, caseID: setup.suites[item.suiteIndex].cases[item.caseIndex].id,
            model: item.model.id, epoch: item.epoch)
    }
}

/// What every item of a run shares.
struct ItemContext: Sendable {
    let runID: String
    let setup: RunSetup
    let store: any RunStore
    let executor: RequestExecutor
    /// Nil when the plan names no fallback.
    let fallbacks: FallbackMonitor?
    let onEvent: @Sendable (RunEvent) -> Void
    /// Holds cases that share a haystack until the first is answered (`PrefixWarmup`).
    let warmup = PrefixWarmup()

    /// Asks, grades and stores one item (and its fallback's answer, when there is one).
    func run(_ item: WorkItem) async throws(StoreError) {
        let suite = setup.suites[item.suiteIndex]
        let testCase = suite.cases[item.caseIndex]
        let primary = item.model

        if !suite.requires.isSubset(of: primary.capabilities) {
            let missing = Array(suite.requires.subtracting(primary.capabilities))
            try await record(
                ItemResult(
                    item: identity(testCase, of: suite, model: primary, epoch: item.epoch),
                    outcome: .unsupported(missing: missing)))
            return
        }
        let fallback = setup.fallbackModels[primary.id].flatMap {
            suite.requires.isSubset(of: $0.capabilities) ? $0 : nil
        }
        let prepared = prepare(testCase, of: suite, model: primary, epoch: item.epoch)
        if let reason = windowRefusal(prepared, model: primary) {
            // Past the model's window (less room for the answer): reported, never sent.
            try await record(
                ItemResult(
                    item: identity(testCase, of: suite, model: primary, epoch: item.epoch),
                    outcome: .unsupported(missing: [], reason: reason)))
            return
        }
        let own = identity(testCase, of: suite, model: primary, epoch: item.epoch, prepared: prepared)
        if let fallback, let reason = await fallbacks?.routeReason(primary.id) {
            // The primary is failing or slow: its item goes to the fallback unasked.
            guard
                let answered = try await ask(
                    testCase, of: suite, model: fallback, epoch: item.epoch, fallbackFor: primary.id)
            else { return }
            let delivery = ItemOutcome.Delivery(attempts: 0, lastErrorKind: answered.errorKind)
            try await record(
                ItemResult(item: own, outcome: .fellBack(to: fallback.id, reason: reason, delivery: delivery)))
            return
        }
        guard let (outcome, cacheEntry) = try await answer(testCase, of: suite, model: primary, prepared: prepared)
        else { return }
        let result = ItemResult(item: own, outcome: outcome)
        await fallbacks?.record(primary.id, failed: result.status == .error, latencyMs: result.timing?.latencyMs)
        if case .failed(let failure) = outcome, let fallback, setup.plan.settings.fallbacks[primary.id]?.onError == true
        {
            guard
                (try await ask(testCase, of: suite, model: fallback, epoch: item.epoch, fallbackFor: primary.id)) != nil
            else { return }
            let fellBack = ItemOutcome.fellBack(
                to: fallback.id, reason: failure.message, delivery: failure.delivery, failure: failure)
            try await record(ItemResult(item: own, outcome: fellBack), sent: fellBack.sent)
            return
        }
        try await record(result, caching: cacheEntry, sent: outcome.sent)
    }

    /// Sends the case to `model`, grades the answer and records the result. Nil when the run
    /// was cancelled or the budget stopped it: nothing is recorded then.
    func ask(_ testCase: Case, of suite: Suite, model: ModelSpec, epoch: Int, fallbackFor: String?)
        async throws(StoreError) -> ItemResult?
    {
        let prepared = prepare(testCase, of: suite, model: model, epoch: epoch)
        guard let (outcome, entry) = try await answer(testCase, of: suite, model: model, prepared: prepared) else {
            return nil
        }
        let result = ItemResult(
            item: identity(
                testCase, of: suite, model: model, epoch: epoch, prepared: prepared, fallbackFor: fallbackFor),
            outcome: outcome)
        try await record(result, caching: entry, sent: outcome.sent)
        return result
    }

    /// Why the prepared request does not fit the model's context window (its prompt's tokens
    /// estimated by the family's rule, `TokenEstimate`, plus `max_tokens`); nil when it fits.
    func windowRefusal(_ prepared: PreparedRequest, model: ModelSpec) -> String? {
        guard model.contextWindow > 0 else { return nil }
        let rule = TokenEstimate.forFamily(model.family)
        let transcript = prepared.request.transcript
        let tokens = prepared.file?.tokens(in: transcript, rule: rule) ?? rule.tokens(transcript)
        return ContextWindow.refusal(
            promptTokens: tokens, maxTokens: prepared.request.maxTokens, window: model.contextWindow)
    }

    /// The request for the case, made once: every attempt sends these bytes.
    func prepare(_ testCase: Case, of suite: Suite, model: ModelSpec, epoch: Int) -> PreparedRequest {
        RequestBuilder.prepare(
            for: testCase, of: suite, model: model, epoch: epoch, plan: setup.plan,
            images: setup.images[suite.id] ?? [:], audio: setup.audio[suite.id] ?? [:],
            file: setup.file(of: testCase, in: suite),
            agentTools: (setup.graders[suite.id] as? AgentGrader).flatMap { grader in
                (try? AgentTask(testCase)).map(grader.tools(for:))
            } ?? [], responseFormat: setup.responseFormats[suite.id])
    }

    /// Whether a cached answer may be replayed: any, unless the plan bounds its age
    /// (`--max-cache-age`), past which it is asked again.
    func isFreshEnough(_ cached: CachedAnswer) -> Bool {
        guard let limit = setup.plan.settings.maxCacheAge else { return true }
        return Date().timeIntervalSince(cached.askedAt) <= limit
    }

    /// Sends the prepared request (or takes the cached answer) and grades it: the outcome,
    /// and the cache entry to record with it. Nil when cancelled or over budget.
    func answer(_ testCase: Case, of suite: Suite, model: ModelSpec, prepared: PreparedRequest) async throws(StoreError)
        -> (ItemOutcome, CacheEntry?)?
    {
        if suite.kind == .agent, let grader = setup.graders[suite.id] as? AgentGrader {
            // An agent task: many requests, its tools live in the sandbox (never cached).
            let task: AgentTask
            do throws(AgentTask.Problem) {
                task = try AgentTask(testCase)
            } catch {
                let failure = ItemOutcome.Failure(
                    kind: .configuration, message: "case \(testCase.id): \(error)",
                    delivery: ItemOutcome.Delivery(attempts: 0))
                return (.failed(failure), nil)
            }
            let loop = AgentLoop(executor: executor, grader: grader)
            return await loop.run(task, first: prepared, model: model).map { ($0, nil) }
        }
        let cacheMode = setup.plan.settings.cache
        let completion: Completion
        let cost: Cost?
        let delivery: ItemOutcome.Delivery
        var cacheEntry: CacheEntry?
        if cacheMode == .use, let cached = try await store.cachedAnswer(hash: prepared.hash), isFreshEnough(cached) {
            completion = cached.completion
            cost = model.price.cost(of: cached.completion.usage, at: Date())
            delivery = ItemOutcome.Delivery(attempts: 0, cached: true, cachedAt: cached.askedAt)
        } else {
            // Cases sharing a haystack: the first is answered before the rest go (a closed loop only).
            let prefix =
                setup.plan.settings.load == nil
                ? PrefixWarmup.key(suite: suite.id, model: model.id, tags: testCase.tags) : nil
            var first = false
            if let prefix { first = await warmup.enter(prefix) }
            let executed = await executor.execute(prepared, model: model)
            if first, let prefix { await warmup.warmed(prefix) }
            switch executed {
            case .completed(let answer, let answerCost, let attempts, let lastError, let sent):
                completion = answer
                cost = answerCost
                delivery = ItemOutcome.Delivery(attempts: attempts, lastErrorKind: lastError?.kind, sent: sent)
                if cacheMode != .off {
                    cacheEntry = CacheEntry(
                        hash: prepared.hash, endpoint: model.endpoint, model: model.id, requestBody: prepared.body,
                        completion: answer)
                }
            case .failed(let error, let attempts, let sent):
                let failure = ItemOutcome.Failure(
                    kind: error.kind, message: error.description,
                    delivery: ItemOutcome.Delivery(attempts: attempts, lastErrorKind: error.kind, sent: sent),
                    servedBy: error.servedBy)
                return (.failed(failure), nil)
            case .budgetStopped, .cancelled:
                return nil
            }
        }
        let grade =
            await setup.graders[suite.id]?.grade(testCase, completion: completion)
            ?? Grade(outcome: .invalid, score: 0, rule: "no grader")
        let answer = ItemOutcome.Answer(completion: completion, grade: grade, cost: cost, delivery: delivery)
        if grade.outcome == .error {
            return (.ungraded(answer, reason: grade.failure ?? "no detail"), cacheEntry)
        }
        return (.answered(answer), cacheEntry)
    }

    func identity(
        _ testCase: Case, of suite: Suite, model: ModelSpec, epoch: Int, prepared: PreparedRequest? = nil,
        fallbackFor: String? = nil
    ) -> ItemIdentity {
        ItemIdentity(
            runID: runID, suiteID: suite.id, caseID: testCase.id, model: model.id, epoch: epoch,
            requestHash: prepared?.hash ?? "",
            prompt: prepared?.request.transcript, routedPrompt: prepared?.request.routedPrompt, tags: testCase.tags,
            expected: testCase.expectedSummary, fallbackFor: fallbackFor,
            clientRegion: setup.plan.settings.clientRegion)
    }

    /// Stores the result with the attempts its requests made (in one transaction).
    func record(_ result: ItemResult, caching entry: CacheEntry? = nil, sent: [Attempt] = []) async throws(StoreError) {
        try await store.record(result, caching: entry, attempts: sent)
        onEvent(.finished(result))
    }
}
