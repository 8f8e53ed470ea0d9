import GRDB

/// The store's tables, created and changed only through migrations.
enum StoreSchema {
    // One body on purpose: the migrations are the schema's history, read top to bottom in the
    // order they run. A shipped migration never changes, and a new one goes at the end.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: runs, results, response cache") { db in
            try db.create(table: "runs") { t in
                t.primaryKey("id", .text)
                t.column("plan", .text)
                t.column("status", .text).notNull()
                t.column("started_at", .double).notNull()
                t.column("ended_at", .double)
                t.column("assay_version", .text).notNull()
                t.column("git_commit", .text)
                // The whole RunManifest as JSON, with the catalog (and its prices) as the run saw it.
                t.column("manifest", .text).notNull()
            }
            try db.create(table: "results") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("run_id", .text).notNull().references("runs", onDelete: .cascade)
                t.column("suite_id", .text).notNull()
                t.column("case_id", .text).notNull()
                t.column("model", .text).notNull()
                t.column("epoch", .integer).notNull()
                t.column("request_hash", .text).notNull()
                t.column("status", .text).notNull()
                t.column("tags", .text).notNull().defaults(to: "")  // the case's tags, joined by newlines
                t.column("expected", .text)
                t.column("output", .text)
                t.column("reasoning", .text)
                t.column("finish_reason", .text)
                t.column("outcome", .text)
                t.column("score", .double).notNull()
                t.column("extracted", .text)
                t.column("rule", .text)
                t.column("evidence", .text)
                t.column("prompt_tokens", .integer)
                t.column("completion_tokens", .integer)
                t.column("reasoning_tokens", .integer)
                t.column("cost", .double)
                t.column("cost_output_only", .boolean)
                t.column("ttft_ms", .double)
                t.column("first_reasoning_ms", .double)
                t.column("latency_ms", .double)
                t.column("error_kind", .text)
                t.column("error_message", .text)
                t.column("last_error_kind", .text)
                // '' for a model's own item; the primary model for a fallback's answer.
                t.column("fallback_for", .text).notNull().defaults(to: "")
                t.column("attempts", .integer).notNull()
                t.column("served_by", .text)
                t.column("cached", .boolean).notNull()
                t.column("recorded_at", .double).notNull()
                t.uniqueKey(["run_id", "suite_id", "case_id", "model", "epoch", "fallback_for"])
            }
            // Reports read a run's results model by model, suite by suite, case by case.
            try db.create(
                index: "results_by_model", on: "results", columns: ["run_id", "model", "suite_id", "case_id", "epoch"])
            try db.create(table: "response_cache") { t in
                t.primaryKey("request_hash", .text)
                t.column("endpoint", .text).notNull()
                t.column("model", .text).notNull()
                t.column("request", .text).notNull()
                t.column("completion", .text).notNull()
                t.column("created_at", .double).notNull()
            }
        }
        migrator.registerMigration("v2: results keep their prompt") { db in
            // What the model was sent, as text: reports read it here, not from the response
            // cache, which --no-cache leaves empty. Null in older rows (reports then try the cache).
            try db.alter(table: "results") { t in t.add(column: "prompt", .text) }
        }
        migrator.registerMigration("v3: cached prompt tokens") { db in
            // Prompt tokens the vendor read from its cache, billed at the cached input price.
            try db.alter(table: "results") { t in t.add(column: "cached_prompt_tokens", .integer) }
        }
        migrator.registerMigration("v4: attempts") { db in
            // Every request sent, retries included: availability and error rates per model
            // and per base URL, as SLAs count them. Older runs have none (reports say so).
            try db.create(table: "attempts") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("run_id", .text).notNull().references("runs", onDelete: .cascade)
                t.column("suite_id", .text).notNull()
                t.column("case_id", .text).notNull()
                t.column("model", .text).notNull()
                t.column("epoch", .integer).notNull()
                t.column("number", .integer).notNull()
                t.column("endpoint", .text).notNull()
                t.column("base_url", .text)
                t.column("status", .integer)
                t.column("error_kind", .text)
                t.column("latency_ms", .double).notNull()
                t.column("sent_at", .double).notNull()
            }
            try db.create(index: "attempts_by_run", on: "attempts", columns: ["run_id", "sent_at"])
        }
        migrator.registerMigration("v5: when a replayed answer was first asked") { db in
            // The response cache entry's time, for answers replayed from it: reports say how old
            // the replays are. Null for fresh answers and for replays stored before.
            try db.alter(table: "results") { t in t.add(column: "cached_at", .double) }
        }
        migrator.registerMigration("v6: the prompt a routing rule matches") { db in
            // The user message and whether it carried an image or a clip, as JSON
            // (`RoutedPrompt`), built from the request's messages: `route simulate` reads it
            // instead of splitting the transcript. Null in older rows (read from `prompt` then).
            try db.alter(table: "results") { t in t.add(column: "routed_prompt", .text) }
        }
        migrator.registerMigration("v7: decisions") { db in
            // Compares, gates and route compares as rendered (`Decision`): `assay publish` shows
            // them beside the runs they read.
            try db.execute(
                sql: """
                    CREATE TABLE decisions (
                        id TEXT PRIMARY KEY, kind TEXT NOT NULL, created_at DOUBLE NOT NULL, decision TEXT NOT NULL)
                    """)
        }
        migrator.registerMigration("v8: long prompts stored once") { db in
            // A long prompt's long piece (a long-context haystack), once per distinct text,
            // under its SHA-256 (`PromptPiece`); results name it in `prompt_piece`, a column
            // added with the others `ResultRecord` declares.
            try db.create(table: "prompts") { t in
                t.primaryKey("hash", .text)
                t.column("text", .text).notNull()
            }
        }
        return migrator
    }
}
