import AssayCore
import AssayStore
import AssayTestSupport
import Foundation
import Testing

/// Labels on runs and decisions kept, the same on both backends (`assay label`, and what
/// `compare`, `gate` and `route compare` keep for `assay publish`).
@Suite struct DecisionStoreTests {
    typealias Backend = StoreContractTests.Backend

    @Test(arguments: Backend.available)
    func aLabelIsSetChangedAndClearedAndAnUnknownRunIsRefused(_ backend: Backend) async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try await backend.open(dir)
        defer { Task { await store.close() } }
        let id = TestPostgres.uniqueRunID("label")
        try await store.createRun(StoreTests.manifest(id))
        #expect(try await store.run(id)?.label == nil)

        try await store.setLabel(run: id, RunLabel(text: "before V4 upgrade", note: "routing change follows"))
        #expect(try await store.run(id)?.label == RunLabel(text: "before V4 upgrade", note: "routing change follows"))
        try await store.finishRun(id, status: .completed)
        #expect(try await store.run(id)?.label?.text == "before V4 upgrade", "finishing a run keeps its label")
        try await store.setLabel(run: id, RunLabel(text: "baseline"))
        #expect(try await store.run(id)?.label == RunLabel(text: "baseline"))
        try await store.setLabel(run: id, nil)
        #expect(try await store.run(id)?.label == nil)

        await #expect(throws: StoreError.self) { try await store.setLabel(run: id + "-missing", RunLabel(text: "x")) }
    }

    @Test(arguments: Backend.available)
    func aDecisionIsKeptReplacedByTheSameIdAndListedOldestFirst(_ backend: Backend) async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try await backend.open(dir)
        defer { Task { await store.close() } }
        let run = TestPostgres.uniqueRunID("decided")
        func decision(_ id: String, at seconds: Double, passed: Bool?) -> Decision {
            Decision(
                id: id, kind: passed == nil ? .compare : .gate, title: "\(run)@a → \(run)@b", runs: [run],
                createdAt: Date(timeIntervalSince1970: seconds), passed: passed,
                page: "<html>\(id) <script>alert(1)</script> 中文</html>", json: "{\"id\": \"\(id)\"}")
        }
        let before = try await store.decisions().filter { $0.runs == [run] }
        #expect(before.isEmpty)
        try await store.record(decision: decision(run + "-gate", at: 2_000, passed: false))
        try await store.record(decision: decision(run + "-compare", at: 1_000, passed: nil))
        try await store.record(decision: decision(run + "-gate", at: 3_000, passed: true))

        let kept = try await store.decisions().filter { $0.runs == [run] }
        #expect(kept.map(\.id) == [run + "-compare", run + "-gate"], "oldest first; the gate asked again replaced")
        #expect(kept.last == decision(run + "-gate", at: 3_000, passed: true), "kept as given, byte for byte")
    }

    @Test func aDecisionIDIsAFileNameHoweverLongOrStrangeItsParts() {
        let short = Decision.id(kind: .compare, naming: ["run-1@Qwen/Qwen3-8B", "run-2@v4 flash"])
        #expect(short == "compare_run-1-Qwen-Qwen3-8B_run-2-v4-flash")
        let long = Decision.id(
            kind: .gate, naming: [String(repeating: "a", count: 90), String(repeating: "b", count: 90)])
        let other = Decision.id(
            kind: .gate, naming: [String(repeating: "a", count: 90), String(repeating: "c", count: 90)])
        #expect(RunManifest.isSafeID(long) && long.count <= 100)
        #expect(long != other, "the hash tells apart names that share their first 80 characters")
        #expect(
            long
                == Decision.id(
                    kind: .gate, naming: [String(repeating: "a", count: 90), String(repeating: "b", count: 90)]))
    }
}
