import AssayCore
import AssayStore
import AssayTestSupport
import Foundation
import Testing

@Suite struct StoreTests {
    static func manifest(_ id: String, startedAt: Date = Date()) -> RunManifest {
        let catalog = Catalog(
            endpoints: [Endpoint(name: "e", baseURLs: ["http://x/v1"], apiKeyEnv: "E_KEY")],
            models: [
                ModelSpec(
                    id: "m", family: "F", endpoint: "e", contextWindow: 1000,
                    price: Price(inputPerMillion: nil, outputPerMillion: 2, date: "2026-11-23", source: "test"))
            ])
        return RunManifest(
            id: id, plan: "plans/p.yaml",
            suites: [SuiteRef(id: "s", path: "evalsets/s", kind: .math, grader: .exactLabel, cases: 2)],
            models: ["m"], epochs: 1, concurrency: 2, catalog: catalog, gitCommit: nil, startedAt: startedAt)
    }

    static func result(_ run: String, case caseID: String, score: Double = 1) -> ItemResult {
        ItemResult(
            runID: run, suiteID: "s", caseID: caseID, model: "m", epoch: 1, requestHash: "h-\(caseID)", status: .graded,
            output: "answer with 'quotes' and 世界", reasoning: "thinking", finishReason: "stop",
            grade: Grade(
                outcome: score == 1 ? .pass : .fail, score: score, extracted: "42", rule: "last number",
                evidence: ["expected": "42", "steps": [1, 2]]),
            usage: Usage(promptTokens: 10, completionTokens: 5, reasoningTokens: 2),
            cost: Cost(amount: 0.00001, basis: .outputOnly),
            timing: Timing(ttftMs: 12.5, firstReasoningMs: 3, latencyMs: 40.25), attempts: 1, servedBy: "http://x/v1",
            recordedAt: Date(timeIntervalSince1970: 1_784_000_000))
    }

    @Test func runsAndResultsRoundTrip() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try Store(path: dir.path("nested/dir/assay.sqlite"))
        let manifest = Self.manifest("r1")
        try await store.createRun(manifest)
        let first = Self.result("r1", case: "a")
        var failed = Self.result("r1", case: "b", score: 0)
        failed.status = .error
        failed.grade = nil
        failed.errorKind = .rateLimited
        failed.errorMessage = "rate_limited (HTTP 429): slow down"
        failed.usage = nil
        failed.cost = nil
        failed.timing = nil
        try await store.record(first)
        try await store.record(failed)

        let results = try await store.results(run: "r1")
        #expect(results == [first, failed])
        #expect(try await store.resultCount(run: "r1") == 2)

        let stored = try #require(try await store.run("r1"))
        #expect(stored.status == .running)
        #expect(stored.catalog == manifest.catalog)
        try await store.finishRun("r1", status: .completed)
        let finished = try #require(try await store.run("r1"))
        #expect(finished.status == .completed)
        #expect(finished.endedAt != nil)
    }

    @Test func recordingTheSameItemAgainReplacesIt() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try Store(path: dir.path("assay.sqlite"))
        try await store.createRun(Self.manifest("r"))
        try await store.record(Self.result("r", case: "a", score: 0))
        try await store.record(Self.result("r", case: "a", score: 1))
        let results = try await store.results(run: "r")
        #expect(results.count == 1)
        #expect(results.first?.score == 1)
    }

    /// A result is committed when `record` returns: a writer killed with SIGKILL while it
    /// writes (no chance to flush, checkpoint or close) loses none of the results it had
    /// recorded. The writer is another process (this test binary again, running only
    /// `recordUntilKilled`), so the store is reopened with none of its connections left.
    @Test func recordedResultsSurviveTheWriterBeingKilled() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let path = dir.path("assay.sqlite")
        let child = try BackgroundProcess(
            try Self.testBinary(), ["--testing-library", "swift-testing", "--filter", "StoreTests/recordUntilKilled"],
            environment: [Self.childVariable: path])
        defer { child.stop() }
        // Wait for the child's lines, never for a time: a loaded machine only makes it slower.
        let deadline = ContinuousClock.now + .seconds(120)
        while Self.committed(child.output).count < 20 {
            if let status = await child.waitForExit(seconds: 0) {
                throw CommandError(
                    description: "the writer exited \(status) before 20 commits: \(child.output.suffix(2000))")
            }
            guard ContinuousClock.now < deadline else {
                throw CommandError(
                    description: "the writer did not commit 20 results within 120 s: \(child.output.suffix(2000))")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        child.send(SIGKILL)
        let status = await child.waitForExit()
        #expect(
            status == SIGKILL && child.terminationReason == .uncaughtSignal,
            "killed, not ended: \(status.map(String.init) ?? "running")")
        let output = child.output
        #expect(!output.contains("\nwriter done\n"), "killed while still writing")
        let committed = Self.committed(output)
        #expect(committed.count >= 20)

        let stored = Set(try await Store(path: path).results(run: "r").map(\.caseID))
        let lost = committed.filter { !stored.contains($0) }
        #expect(
            lost.isEmpty,
            "\(lost.count) of the \(committed.count) results recorded before the kill are gone: \(lost.prefix(5))")
        // The child records one result at a time: at most the one it had recorded but not yet
        // reported is there besides.
        #expect(
            stored.count - committed.count >= 0 && stored.count - committed.count <= 1,
            "\(stored.count) stored, \(committed.count) reported")
    }

    /// The environment variable that makes `recordUntilKilled` run, naming its store.
    static let childVariable = "ASSAY_STORE_CHILD"

    /// The program running these tests (`assayPackageTests.xctest`), to run one test again.
    static func testBinary() throws -> String {
        try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
    }

    /// The cases a writer reported committed: its whole "committed CASE" lines.
    static func committed(_ output: String) -> [String] {
        // A line still being written has no newline yet.
        let whole =
            output.hasSuffix("\n") ? output : String(output[..<(output.lastIndex(of: "\n") ?? output.startIndex)])
        return whole.split(separator: "\n").compactMap { line in
            line.hasPrefix("committed ") ? String(line.dropFirst("committed ".count)) : nil
        }
    }

    /// The child of `recordedResultsSurviveTheWriterBeingKilled`: records results one at a
    /// time into the store named by $ASSAY_STORE_CHILD, printing "committed CASE" once each is
    /// recorded, until it is killed (or, left alone, for two minutes). A 2 ms pause after each
    /// keeps it from taking a whole core of a loaded machine while the parent is slow to look.
    @Test(
        .enabled(
            if: ProcessInfo.processInfo.environment[childVariable] != nil, "only as the writer the test above kills"))
    func recordUntilKilled() async throws {
        let store = try Store(path: try #require(ProcessInfo.processInfo.environment[Self.childVariable]))
        try await store.createRun(Self.manifest("r"))
        let deadline = ContinuousClock.now + .seconds(120)
        var index = 0
        while ContinuousClock.now < deadline && index < 50_000 {
            index += 1
            try await store.record(Self.result("r", case: "c\(index)"))
            FileHandle.standardOutput.write(Data("committed c\(index)\n".utf8))
            try await Task.sleep(for: .milliseconds(2))
        }
        FileHandle.standardOutput.write(Data("\nwriter done\n".utf8))
    }

    /// Two processes opening a new store at the same moment (a run starting while a watcher
    /// polls for it, two shards) both bring its schema up to date; neither fails half-way
    /// through the other's migrations.
    @Test func storesOpenedAtOnceOnANewFileBothOpen() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        for trial in 0..<30 {
            let path = dir.path("s\(trial).sqlite")
            let opens = (0..<3).map { _ in Task.detached { () throws(InputError) -> Store in try Store(path: path) } }
            for open in opens {
                let store = try await open.value
                try await store.createRun(Self.manifest("r\(trial)-\(UUID().uuidString)"))
            }
        }
    }

    @Test func runsAreListedNewestFirst() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try Store(path: dir.path("assay.sqlite"))
        try await store.createRun(Self.manifest("old", startedAt: Date(timeIntervalSince1970: 1_000)))
        try await store.createRun(Self.manifest("new", startedAt: Date(timeIntervalSince1970: 2_000)))
        #expect(try await store.runs().map(\.id) == ["new", "old"])
        #expect(try await store.run("missing") == nil)
    }

    @Test func theCacheKeepsCompletionAndRequestTogether() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try Store(path: dir.path("assay.sqlite"))
        try await store.createRun(Self.manifest("r"))
        let completion = Completion(
            text: "42", finishReason: "stop", usage: Usage(promptTokens: 1, completionTokens: 1),
            timing: Timing(ttftMs: 1, latencyMs: 2), servedBy: "http://x/v1")
        #expect(try await store.cachedCompletion(hash: "h-a") == nil)
        try await store.record(
            Self.result("r", case: "a"),
            caching: CacheEntry(
                hash: "h-a", endpoint: "e", model: "m", requestBody: #"{"model":"m"}"#, completion: completion))
        #expect(try await store.cachedCompletion(hash: "h-a") == completion)
        #expect(try await store.requestBodies(hashes: ["h-a"]) == ["h-a": #"{"model":"m"}"#])
    }

    @Test func anUnusableLocationIsAnInputError() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("file", "not a directory")
        let error = #expect(throws: InputError.self) { try Store(path: dir.path("file/assay.sqlite")) }
        #expect(error?.description.hasPrefix(dir.path("file/assay.sqlite") + ": cannot open the store") == true)
    }

    @Test func aNulInAModelsTextIsKeptAsAReplacementCharacter() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try Store(path: dir.path("assay.sqlite"))
        try await store.createRun(Self.manifest("r"))
        var result = Self.result("r", case: "a")
        result.output = "before\u{0}after"
        try await store.record(result)
        #expect(
            try await store.results(run: "r").first?.output == "before\u{FFFD}after",
            "SQLite would cut the text at the NUL")
    }
}
