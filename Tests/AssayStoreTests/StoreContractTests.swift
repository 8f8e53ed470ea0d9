import AssayCore
import AssayStore
import AssayTestSupport
import Foundation
import Testing

/// One suite, both backends: what a run's store must keep and give back, whether it is a
/// SQLite file or the PostgreSQL that workers share (run against it when `scripts/test` has
/// started one).
@Suite struct StoreContractTests {
    enum Backend: String, CustomTestStringConvertible, CaseIterable {
        case sqlite, postgres
        var testDescription: String { rawValue }

        static var available: [Backend] { TestPostgres.url == nil ? [.sqlite] : [.sqlite, .postgres] }

        func open(_ dir: TempDirectory) async throws -> any RunStore {
            switch self {
            case .sqlite: try Store(path: dir.path("contract.sqlite"))
            case .postgres: try await StoreLocation.open(try #require(TestPostgres.url))
            }
        }
    }

    @Test(arguments: Backend.available)
    func theStoreKeepsARunTheSameWayOnEitherBackend(_ backend: Backend) async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try await backend.open(dir)
        defer { Task { await store.close() } }
        let id = TestPostgres.uniqueRunID("contract")
        let older = StoreTests.manifest(id + "-older", startedAt: Date(timeIntervalSince1970: 1_700_000_000))
        try await store.createRun(older)
        try await store.createRun(StoreTests.manifest(id, startedAt: Date(timeIntervalSince1970: 1_800_000_000)))

        // A graded answer (cached, with two attempts), a failure, a fallback's answer, and a
        // text with a NUL, which neither backend can keep as is, with evidence holding a number
        // JSON cannot (NaN: recording it once failed the run).
        let answered = StoreTests.result(id, case: "a")
        var failed = StoreTests.result(id, case: "b", score: 0)
        failed.status = .error
        failed.grade = nil
        failed.errorKind = .rateLimited
        failed.errorMessage = "rate_limited (HTTP 429)"
        failed.cost = nil
        var fallback = StoreTests.result(id, case: "b")
        fallback.model = "m2"
        fallback.fallbackFor = "m"
        var nul = StoreTests.result(id, case: "c", score: 0)
        nul.output = "before\u{0}after"
        nul.grade?.evidence["relative_error"] = .double(.nan)
        let hash = "hash-\(id)"
        let completion = Completion(
            text: "42", finishReason: "stop", usage: Usage(promptTokens: 3, completionTokens: 1),
            timing: Timing(ttftMs: 1, latencyMs: 2), servedBy: "http://x/v1")
        let sent = Date(timeIntervalSince1970: 1_800_000_100)
        let attempts = [
            Attempt(endpoint: "e", baseURL: "http://x/v1", status: 503, errorKind: .server, latencyMs: 5, sentAt: sent),
            Attempt(
                endpoint: "e", baseURL: "http://y/v1", status: 200, errorKind: nil, latencyMs: 40,
                sentAt: sent.addingTimeInterval(1)),
        ]
        try await store.record(
            answered,
            caching: CacheEntry(
                hash: hash, endpoint: "e", model: "m", requestBody: #"{"model":"m"}"#, completion: completion),
            attempts: attempts)
        try await store.record(failed)
        try await store.record(fallback)
        try await store.record(nul)
        var rescored = StoreTests.result(id, case: "a", score: 1)
        rescored.output = "recorded again"
        try await store.record(rescored, caching: nil, attempts: [])

        let runs = try await store.runs().map(\.id).filter { $0.hasPrefix(id) }
        #expect(runs == [id, id + "-older"], "newest first")
        #expect(try await store.resultCount(run: id) == 4, "recording an item again replaces it")
        #expect(
            try await store.completedKeys(run: id) == [answered.key, nul.key],
            "neither the failure nor a fallback's answer completes an item")
        #expect(abs(try await store.spend(run: id) - 0.00003) < 1e-12)
        let results = try await store.results(run: id)
        #expect(results.map(\.caseID) == ["a", "b", "c", "b"])
        #expect(results.first?.output == "recorded again")
        #expect(results.first(where: { $0.caseID == "c" })?.output == "before\u{FFFD}after")
        #expect(results.first(where: { $0.caseID == "c" })?.grade?.evidence["relative_error"] == .null)
        #expect(results.contains(failed))
        #expect(results.contains(fallback))

        let order = try await store.withResults(run: id) { cursor in
            var keys: [String] = []
            while let result = try cursor.next() { keys.append("\(result.model)/\(result.caseID)") }
            return keys
        }
        #expect(order == ["m/a", "m/b", "m/c", "m2/b"], "model, suite, case and epoch order, byte-wise")

        #expect(try await store.attemptCount(run: id) == 2)
        let read = try await store.withAttempts(run: id) { cursor in
            var rows: [AttemptRow] = []
            while let row = try cursor.next() { rows.append(row) }
            return rows
        }
        #expect(read.map(\.attempt) == attempts)
        #expect(read.map(\.number) == [1, 2])
        let page = try await store.attempts(run: id, after: 0, limit: 1)
        #expect(page.attempts.map(\.attempt) == [attempts[0]])
        #expect(try await store.attempts(run: id, after: page.last, limit: 10).attempts.map(\.attempt) == [attempts[1]])
        var paged: [ItemResult] = []
        var after: Int64 = 0
        while true {
            let (results, last) = try await store.results(run: id, after: after, limit: 3)
            guard !results.isEmpty else { break }
            paged += results
            after = last
        }
        #expect(paged.count == 4)

        #expect(try await store.cachedCompletion(hash: hash) == completion)
        #expect(try await store.cachedCompletion(hash: hash + "-none") == nil)
        #expect(try await store.requestBodies(hashes: [hash, hash, "none"]) == [hash: #"{"model":"m"}"#])
        let traffic = EndpointTraffic(endpoint: "e", attempts: 2, rateLimited: 1)
        try await store.finishRun(id, status: .interrupted, traffic: [traffic])
        try await store.finishRun(id, status: .completed, traffic: [traffic])
        let finished = try #require(try await store.run(id))
        #expect(finished.status == .completed)
        #expect(finished.endedAt != nil)
        #expect(finished.traffic?.first?.attempts == 4, "each session's traffic adds to the last's")
        #expect(try await store.run(id + "-missing") == nil)
    }

    @Test(arguments: Backend.available)
    func aCacheCopiesToTheOtherBackendKeepingWhatIsThere(_ backend: Backend) async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let target = try await backend.open(dir)
        defer { Task { await target.close() } }
        let source = try Store(path: dir.path("source.sqlite"))
        let id = TestPostgres.uniqueRunID("cache")
        try await source.createRun(StoreTests.manifest(id))
        for index in 0..<3 {
            let completion = Completion(
                text: "source \(index)", finishReason: "stop", usage: Usage(promptTokens: 1, completionTokens: 1),
                timing: Timing(ttftMs: 1, latencyMs: 2), servedBy: "x")
            try await source.record(
                StoreTests.result(id, case: "c\(index)"),
                caching: CacheEntry(
                    hash: "\(id)-\(index)", endpoint: "e", model: "m", requestBody: "{}", completion: completion),
                attempts: [])
        }
        try await target.createRun(StoreTests.manifest(id))
        let kept = Completion(
            text: "target's own", finishReason: "stop", usage: Usage(promptTokens: 1, completionTokens: 1),
            timing: Timing(ttftMs: 1, latencyMs: 2), servedBy: "x")
        try await target.record(
            StoreTests.result(id, case: "c0"),
            caching: CacheEntry(hash: "\(id)-0", endpoint: "e", model: "m", requestBody: "{}", completion: kept),
            attempts: [])
        let copied = try await target.copyCache(from: source)
        #expect(copied >= 2, "the two entries the target lacked (a shared database may hold other tests' too)")
        #expect(try await target.cachedCompletion(hash: "\(id)-0")?.text == "target's own")
        #expect(try await target.cachedCompletion(hash: "\(id)-2")?.text == "source 2")
    }

    /// Results and attempts stream off either backend in the reports' order, however many
    /// there are (PostgreSQL's pass through a bounded pipe: here several times its size); a
    /// reader that stops early, or throws, ends the query and leaves the store usable.
    @Test(arguments: Backend.available)
    func aRunsResultsStreamInOrderAndAReaderMayStopEarly(_ backend: Backend) async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try await backend.open(dir)
        defer { Task { await store.close() } }
        let id = TestPostgres.uniqueRunID("stream")
        try await store.createRun(StoreTests.manifest(id))
        let count = 1_500
        // Recorded out of order: the reader gets them sorted by model, suite, case, epoch.
        try await store.record(
            batch: (0..<count).reversed().map { StoreTests.result(id, case: String(format: "c%05d", $0)) })
        try await store.record(
            attempts: (0..<count).map { index in
                AttemptRow(
                    runID: id, key: WorkKey(suiteID: "s", caseID: String(format: "c%05d", index), model: "m", epoch: 1),
                    number: 1,
                    attempt: Attempt(
                        endpoint: "e", baseURL: nil, status: 200, errorKind: nil, latencyMs: 1,
                        sentAt: Date(timeIntervalSince1970: 1_000 + Double(index))))
            })
        let cases = try await store.withResults(run: id) { cursor in
            var cases: [String] = []
            while let result = try cursor.next() { cases.append(result.caseID) }
            return cases
        }
        #expect(cases == (0..<count).map { String(format: "c%05d", $0) })
        let attempts = try await store.withAttempts(run: id) { cursor in
            var sentAt: [Double] = []
            while let row = try cursor.next() { sentAt.append(row.attempt.sentAt.timeIntervalSince1970) }
            return sentAt
        }
        #expect(attempts.count == count && attempts == attempts.sorted())

        let firstTen = try await store.withResults(run: id) { cursor in
            var cases: [String] = []
            while cases.count < 10, let result = try cursor.next() { cases.append(result.caseID) }
            return cases
        }
        #expect(firstTen == (0..<10).map { String(format: "c%05d", $0) })
        struct Stop: Error {}
        await #expect(throws: StoreError.self) {
            try await store.withResults(run: id) { cursor in
                _ = try cursor.next()
                throw Stop()
            }
        }
        #expect(try await store.resultCount(run: id) == count, "the store answers after a reader stopped early")
    }
}
