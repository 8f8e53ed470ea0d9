import AssayCore
import AssayTestSupport
import Foundation
import Testing

import GRDB
import PostgresNIO

@testable import AssayStore

/// Long prompts keep their long piece (a haystack) once, in `prompts`, on either backend: many
/// results over one haystack store it once, and every reader gets each prompt back whole.
@Suite struct PromptPieceStoreTests {
    @Test(arguments: StoreContractTests.Backend.available)
    func aHaystackSharedByManyResultsIsStoredOnce(_ backend: StoreContractTests.Backend) async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try await backend.open(dir)
        defer { Task { await store.close() } }
        let id = TestPostgres.uniqueRunID("pieces")
        try await store.createRun(StoreTests.manifest(id))
        let haystack = "\(id) " + String(repeating: "The grass is green. The sky is blue. 世界 ", count: 400)
        func result(_ index: Int) -> ItemResult {
            var result = StoreTests.result(id, case: String(format: "c%02d", index))
            let user = haystack + "\n\nWhat is the magic number \(index)?"
            result.prompt = "system: Answer.\n\nuser: " + user
            result.routedPrompt = RoutedPrompt(text: user)
            return result
        }
        func body(_ index: Int) -> String {
            #"{"messages":[{"role":"user","content":""# + haystack + #"\n\nWhat is the magic number \#(index)?"}]}"#
        }
        for index in 0..<6 {
            let completion = Completion(
                text: "42", finishReason: "stop", usage: Usage(promptTokens: 3, completionTokens: 1),
                timing: Timing(ttftMs: 1, latencyMs: 2), servedBy: "x")
            try await store.record(
                result(index),
                caching: CacheEntry(
                    hash: "\(id)-\(index)", endpoint: "e", model: "m", requestBody: body(index), completion: completion),
                attempts: [])
        }
        try await store.record(batch: (6..<12).map(result))

        let piece = try #require(PromptPiece.of(prompt: result(0).prompt, routed: haystack + "\n\nx"))
        #expect(piece.text == haystack)
        #expect(try await Self.pieces(store, hash: piece.hash) == 1)

        let read = try await store.withResults(run: id) { cursor in
            var results: [ItemResult] = []
            while let result = try cursor.next() { results.append(result) }
            return results
        }
        #expect(read.count == 12)
        for (index, got) in read.enumerated() {
            #expect(got.prompt == result(index).prompt)
            #expect(got.routedPrompt == result(index).routedPrompt)
        }
        let page = try await store.results(run: id, after: 0, limit: 100)
        #expect(page.results.map(\.prompt) == (0..<12).map { result($0).prompt })

        // The response cache keeps each body with the haystack cut out, and gives it back whole.
        let bodies = try await store.requestBodies(hashes: (0..<6).map { "\(id)-\($0)" })
        #expect(bodies.count == 6 && (0..<6).allSatisfy { bodies["\(id)-\($0)"] == body($0) })
        #expect(try await Self.cachedBodyBytes(store, run: id) < 6 * 200)
        let copied = try await store.cacheEntries(after: "\(id)-", limit: 100).filter { $0.hash.hasPrefix(id) }
        #expect(copied.count == 6 && copied.allSatisfy { $0.request.hasPrefix("{") })

        // A short prompt is stored whole, as before.
        var short = StoreTests.result(id, case: "short")
        short.prompt = "user: 2 + 2?"
        try await store.record(short, caching: nil, attempts: [])
        let back = try await store.results(run: id, after: 0, limit: 100).results.first { $0.caseID == "short" }
        #expect(back?.prompt == "user: 2 + 2?")
    }

    static func cachedBodyBytes(_ store: any RunStore, run: String) async throws -> Int {
        if let sqlite = store as? Store {
            return try await sqlite.read { db in
                try Int.fetchOne(
                    db, sql: "SELECT COALESCE(SUM(LENGTH(request)), 0) FROM response_cache WHERE request_hash LIKE ?",
                    arguments: [run + "-%"]) ?? 0
            }
        }
        let postgres = try #require(store as? PostgresStore)
        let pattern = run + "-%"
        let rows = try await postgres.rows(
            "SELECT COALESCE(SUM(LENGTH(request)), 0) AS n FROM response_cache WHERE request_hash LIKE \(pattern)")
        return rows.first?["n"] ?? 0
    }

    static func pieces(_ store: any RunStore, hash: String) async throws -> Int {
        if let sqlite = store as? Store {
            return try await sqlite.read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM prompts WHERE hash = ?", arguments: [hash]) ?? 0
            }
        }
        let postgres = try #require(store as? PostgresStore)
        let rows = try await postgres.rows("SELECT COUNT(*) AS n FROM prompts WHERE hash = \(hash)")
        return rows.first?["n"] ?? 0
    }
}

extension PromptPieceStoreTests {
    /// A prompt whose haystack stayed on disk (`PromptFile`'s marker in its place) is stored
    /// with the file's text once, as `prompts` keeps any piece, and read back whole; a cached
    /// body holding the marker is given back as it was sent.
    @Test(arguments: StoreContractTests.Backend.available)
    func aPromptFileIsStoredOnceAndReadBackWhole(_ backend: StoreContractTests.Backend) async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try await backend.open(dir)
        defer { Task { await store.close() } }
        let id = TestPostgres.uniqueRunID("files")
        try await store.createRun(StoreTests.manifest(id))
        let haystack = "\(id) " + String(repeating: "The grass is green. 世界 ", count: 300)
        let path = try dir.write("haystack.txt", haystack)
        let marker = PromptFile.marker(path)
        func result(_ index: Int, text: String) -> ItemResult {
            var result = StoreTests.result(id, case: String(format: "c%02d", index))
            let user = text + "\n\nQuestion \(index)?"
            result.prompt = "system: Answer.\n\nuser: " + user
            result.routedPrompt = RoutedPrompt(text: user)
            return result
        }
        func body(_ text: String, _ index: Int) -> String {
            #"{"messages":[{"role":"user","content":""# + text + #"\n\nQuestion \#(index)?"}]}"#
        }
        for index in 0..<4 {
            let completion = Completion(
                text: "42", finishReason: "stop", usage: Usage(promptTokens: 3, completionTokens: 1),
                timing: Timing(ttftMs: 1, latencyMs: 2), servedBy: "x")
            try await store.record(
                result(index, text: marker),
                caching: CacheEntry(
                    hash: "\(id)-\(index)", endpoint: "e", model: "m", requestBody: body(marker, index),
                    completion: completion),
                attempts: [])
        }
        #expect(try await Self.pieces(store, hash: PromptPiece(text: haystack).hash) == 1)
        let page = try await store.results(run: id, after: 0, limit: 100)
        #expect(page.results.map(\.prompt) == (0..<4).map { result($0, text: haystack).prompt })
        #expect(page.results.map(\.routedPrompt) == (0..<4).map { result($0, text: haystack).routedPrompt })
        let bodies = try await store.requestBodies(hashes: (0..<4).map { "\(id)-\($0)" })
        #expect((0..<4).allSatisfy { bodies["\(id)-\($0)"] == body(haystack, $0) })
        #expect(try await Self.cachedBodyBytes(store, run: id) < 4 * 400)
    }
}
