import GRDB

extension Store {
    /// The bytes of prompt text this store keeps: in its results' rows (prompts and routed
    /// prompts, whole or with their piece cut out) and its response cache's request bodies,
    /// and in `prompts` (each long piece once).
    /// What `assay-bench long-context` weighs against the prompt bytes a run sent.
    public func storedPromptBytes() async throws(StoreError) -> (rows: Int, pieces: Int) {
        try await read { db in
            let rows =
                try Int.fetchOne(
                    db,
                    sql:
                        "SELECT COALESCE(SUM(LENGTH(CAST(prompt AS BLOB))), 0) + COALESCE(SUM(LENGTH(CAST(routed_prompt AS BLOB))), 0) FROM results"
                ) ?? 0
            let cache =
                try Int.fetchOne(
                    db, sql: "SELECT COALESCE(SUM(LENGTH(CAST(request AS BLOB))), 0) FROM response_cache") ?? 0
            let pieces =
                try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(LENGTH(CAST(text AS BLOB))), 0) FROM prompts") ?? 0
            return (rows + cache, pieces)
        }
    }
}
