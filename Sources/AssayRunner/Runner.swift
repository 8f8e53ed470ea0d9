import AssayCore
import AssayGraders
import AssayProviders
import AssayStore
import Foundation

/// Executes a prepared run: every work item is asked, graded and stored, with a bounded
/// number of requests in flight.
///
/// A result is stored as soon as it is graded. A failed request is stored as an error with
/// its kind and counts as a wrong answer; it does not stop the run. A failing store does:
/// nothing may be counted that is not durable.
public struct Runner: Sendable {
    public let setup: RunSetup
    public let store: Store
    /// Providers by endpoint name.
    public let providers: [String: any ChatProvider]

    public init(setup: RunSetup, store: Store, providers: [String: any ChatProvider]) {
        self.setup = setup
        self.store = store
        self.providers = providers
    }

    /// Runs every work item and returns the run's manifest as stored at the end.
    public func run(
        id: String = RunID.make(), gitCommit: String? = GitCommit.current(),
        onEvent: @escaping @Sendable (RunEvent) -> Void = { _ in }
    ) async throws(StoreError) -> RunManifest {
        let plan = setup.plan
        let manifest = RunManifest(
            id: id, plan: plan.file,
            suites: setup.suites.map {
                SuiteRef(
                    id: $0.id, path: $0.directory, kind: $0.kind, grader: $0.grader.name, cases: $0.cases.count,
                    labels: (setup.graders[$0.id] as? LabelGrader)?.labels)
            },
            models: setup.models.map(\.id), epochs: plan.epochs, concurrency: plan.concurrency, catalog: setup.catalog,
            gitCommit: gitCommit, sandbox: setup.sandbox?.description)
        try await store.createRun(manifest)

        let items = setup.workItems
        var totals: [String: Int] = [:]
        for item in items { totals[item.model.id, default: 0] += 1 }
        onEvent(.started(runID: id, totals: totals))

        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                var inFlight = 0
                for item in items {
                    if inFlight >= plan.concurrency {
                        try await group.next()
                        inFlight -= 1
                    }
                    group.addTask {
                        let result = try await self.execute(item, runID: id)
                        if let result { onEvent(.finished(result)) }
                    }
                    inFlight += 1
                }
                try await group.waitForAll()
            }
        } catch let error as StoreError {
            try? await store.finishRun(id, status: .failed)
            throw error
        } catch {
            try await store.finishRun(id, status: .interrupted)
            return try await store.run(id) ?? manifest
        }
        try await store.finishRun(id, status: Task.isCancelled ? .interrupted : .completed)
        return try await store.run(id) ?? manifest
    }

    /// Asks, grades and stores one item; nil when it was cancelled before it ended.
    func execute(_ item: WorkItem, runID: String) async throws(StoreError) -> ItemResult? {
        let suite = setup.suites[item.suiteIndex]
        let testCase = suite.cases[item.caseIndex]
        let request = RequestBuilder.request(
            for: testCase, of: suite, model: item.model, plan: setup.plan, images: setup.images[suite.id] ?? [:])
        let body = ChatWireFormat.body(request).compactJSON
        let hash = RequestBuilder.hash(endpoint: item.model.endpoint, model: item.model.id, epoch: item.epoch, body: body)
        var result = ItemResult(
            runID: runID, suiteID: suite.id, caseID: testCase.id, model: item.model.id, epoch: item.epoch,
            requestHash: hash, status: .error, expected: testCase.expectedSummary, attempts: 0)

        let missing = suite.requires.subtracting(item.model.capabilities)
        if !missing.isEmpty {
            result.status = .unsupported
            result.errorMessage = "needs \(missing.sorted().map(\.rawValue).joined(separator: ", "))"
            try await store.record(result)
            return result
        }

        var completion: Completion?
        var cacheEntry: CacheEntry?
        if setup.plan.useCache, let cached = try await store.cachedCompletion(hash: hash) {
            completion = cached
            result.cached = true
        } else if let provider = providers[item.model.endpoint] {
            result.attempts = 1
            do {
                let answer = try await provider.complete(request)
                completion = answer
                cacheEntry = CacheEntry(hash: hash, endpoint: item.model.endpoint, model: item.model.id, requestBody: body, completion: answer)
            } catch let error as ProviderError {
                result.errorKind = error.kind
                result.errorMessage = error.description
            } catch {
                return nil  // cancelled: nothing is recorded, a resumed run asks again
            }
        } else {
            result.errorKind = .configuration
            result.errorMessage = "no provider for endpoint '\(item.model.endpoint)'"
        }

        if let completion {
            let grade = await setup.graders[suite.id]?.grade(testCase, answer: completion.text)
            result.status = .graded
            result.output = completion.text
            result.reasoning = completion.reasoning
            result.finishReason = completion.finishReason
            result.grade = grade
            result.usage = completion.usage
            result.cost = item.model.price.cost(of: completion.usage)
            result.timing = completion.timing
            result.servedBy = completion.servedBy
            if grade?.outcome == .error {
                result.status = .error
                result.errorKind = .grader
                result.errorMessage = "the grader could not grade: \(grade?.evidence["stderr"]?.stringValue ?? "no detail")"
            }
        }
        result.recordedAt = Date()
        try await store.record(result, caching: cacheEntry)
        return result
    }
}
