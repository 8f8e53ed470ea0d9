import AssayCore
import Foundation
import GRDB

/// A completion to keep in the response cache, under the hash of the request it answered.
public struct CacheEntry: Sendable {
    public var hash: String
    public var endpoint: String
    public var model: String
    /// The request body as sent (no headers, so no key).
    public var requestBody: String
    public var completion: Completion

    public init(hash: String, endpoint: String, model: String, requestBody: String, completion: Completion) {
        self.hash = hash
        self.endpoint = endpoint
        self.model = model
        self.requestBody = requestBody
        self.completion = completion
    }
}

extension Store {
    public func cachedAnswer(hash: String) async throws(StoreError) -> CachedAnswer? {
        let row = try await read { db in
            try Row.fetchOne(
                db, sql: "SELECT completion, created_at FROM response_cache WHERE request_hash = ?", arguments: [hash]
            )
            .map { row -> (String, Double) in (row["completion"], row["created_at"]) }
        }
        guard let (json, askedAt) = row else { return nil }
        return CachedAnswer(
            completion: try decodeJSON(Completion.self, json), askedAt: Date(timeIntervalSince1970: askedAt))
    }

    public func requestBodies(hashes: [String]) async throws(StoreError) -> [String: String] {
        var bodies: [String: String] = [:]
        let unique = Array(Set(hashes))
        for start in stride(from: 0, to: unique.count, by: 500) {
            let chunk = Array(unique[start..<min(start + 500, unique.count)])
            let pairs = try await read { db in
                try Row.fetchAll(
                    db,
                    sql:
                        "SELECT request_hash, request FROM response_cache WHERE request_hash IN (\(chunk.map { _ in "?" }.joined(separator: ",")))",
                    arguments: StatementArguments(chunk)
                ).map { row -> (String, String) in (row["request_hash"], row["request"]) }
            }
            for (hash, body) in pairs { bodies[hash] = body }
        }
        let pieces = try await pieceTexts(PromptPiece.hashes(inBodies: bodies.values))
        return bodies.mapValues { PromptPiece.expand($0, pieces: pieces) }
    }

    /// The texts of these pieces (`prompts`), by hash.
    func pieceTexts(_ hashes: [String]) async throws(StoreError) -> [String: String] {
        guard !hashes.isEmpty else { return [:] }
        return try await read { db in
            var texts: [String: String] = [:]
            for hash in hashes {
                if let text = try String.fetchOne(db, sql: "SELECT text FROM prompts WHERE hash = ?", arguments: [hash])
                {
                    texts[hash] = text
                }
            }
            return texts
        }
    }

    public func cacheEntries(after hash: String, limit: Int) async throws(StoreError) -> [StoredCacheEntry] {
        let entries = try await storedCacheEntries(after: hash, limit: limit)
        let pieces = try await pieceTexts(PromptPiece.hashes(inBodies: entries.map(\.request)))
        return entries.map { entry in
            var whole = entry
            whole.request = PromptPiece.expand(entry.request, pieces: pieces)
            return whole
        }
    }

    private func storedCacheEntries(after hash: String, limit: Int) async throws(StoreError) -> [StoredCacheEntry] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM response_cache WHERE request_hash > ? ORDER BY request_hash LIMIT ?",
                arguments: [hash, limit]
            ).map { row in
                StoredCacheEntry(
                    hash: row["request_hash"], endpoint: row["endpoint"], model: row["model"], request: row["request"],
                    completion: row["completion"], createdAt: row["created_at"])
            }
        }
    }

    public func insert(cache entries: [StoredCacheEntry]) async throws(StoreError) -> Int {
        try await write { db in
            var added = 0
            for entry in entries {
                try db.execute(
                    sql:
                        "INSERT OR IGNORE INTO response_cache (request_hash, endpoint, model, request, completion, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                    arguments: [
                        entry.hash, entry.endpoint, entry.model, entry.request, entry.completion, entry.createdAt,
                    ])
                added += db.changesCount
            }
            return added
        }
    }

    static let cacheInsertSQL = """
        INSERT OR REPLACE INTO response_cache (request_hash, endpoint, model, request, completion, created_at)
        VALUES (?, ?, ?, ?, ?, ?)
        """

    /// The entry's row; its body with `piece` (stored with its result) cut out, when in it.
    func cacheArguments(_ entry: CacheEntry, piece: PromptPiece? = nil) throws(StoreError) -> StatementArguments {
        [
            entry.hash, entry.endpoint, entry.model, piece?.storedBody(entry.requestBody) ?? entry.requestBody,
            try encodeJSON(entry.completion),
            Date().timeIntervalSince1970,
        ]
    }
}
