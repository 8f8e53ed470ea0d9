import AssayCore
import Foundation
import GRDB
import PostgresNIO

// The work queue and the shared budget. Lease times are the database server's clock
// (`clock_timestamp()`), so workers on machines whose clocks disagree still agree on them.

extension PostgresStore: SharedRunStore {
    public func createRun(_ manifest: RunManifest, queue: [WorkKey], budgetCap: Double?) async throws(StoreError) {
        try await perform { connection, logger in
            try await Self.insertRun(manifest, on: connection, logger: logger)
            try await Self.enqueue(run: manifest.id, queue, conflict: "DO NOTHING", on: connection, logger: logger)
            if let budgetCap {
                try await Self.setBudget(run: manifest.id, cap: budgetCap, spent: 0, on: connection, logger: logger)
            }
        }
    }

    public func requeue(run: String, keys: [WorkKey], budgetCap: Double?, spent: Double) async throws(StoreError) {
        try await perform { connection, logger in
            // Done-but-failed items go back; an item a live worker holds stays with it.
            try await Self.enqueue(
                run: run, keys,
                conflict:
                    "DO UPDATE SET state = 'pending', worker = NULL, lease_until = NULL WHERE work.state = 'done'",
                on: connection, logger: logger)
            if let budgetCap {
                try await Self.setBudget(run: run, cap: budgetCap, spent: spent, on: connection, logger: logger)
            }
        }
    }

    private static func enqueue(
        run: String, _ keys: [WorkKey], conflict: String, on connection: PostgresConnection, logger: Logger
    ) async throws {
        let base = try await rows(
            "SELECT COALESCE(MAX(seq), 0) AS top FROM work WHERE run_id = \(run)", on: connection, logger: logger)
        let start: Int64 = base.first?["top"] ?? 0
        for chunkStart in stride(from: 0, to: keys.count, by: 5000) {
            let chunk = keys[chunkStart..<min(chunkStart + 5000, keys.count)]
            let suites = chunk.map(\.suiteID)
            let cases = chunk.map(\.caseID)
            let models = chunk.map(\.model)
            let epochs = chunk.map { Int64($0.epoch) }
            let seqs = chunk.indices.map { start + Int64($0) + 1 }
            let query: PostgresQuery = """
                INSERT INTO work (run_id, suite_id, case_id, model, epoch, seq)
                SELECT \(run), * FROM unnest(\(suites)::text[], \(cases)::text[], \(models)::text[], \(epochs)::int8[], \(seqs)::int8[])
                ON CONFLICT (run_id, suite_id, case_id, model, epoch) \(unescaped: conflict)
                """
            _ = try await connection.query(query, logger: logger)
        }
    }

    private static func setBudget(
        run: String, cap: Double, spent: Double, on connection: PostgresConnection, logger: Logger
    ) async throws {
        _ = try await rows(
            """
            INSERT INTO budgets (run_id, cap, spent) VALUES (\(run), \(cap), \(spent))
            ON CONFLICT (run_id) DO UPDATE SET cap = EXCLUDED.cap, spent = EXCLUDED.spent, reserved = 0, stopped = FALSE
            """, on: connection, logger: logger)
    }

    public func claim(run: String, worker: String, limit: Int, lease: Duration) async throws(StoreError) -> [WorkKey] {
        let rows = try await rows(
            ClaimWork(run: run, worker: worker, leaseSeconds: lease.inSeconds, limit: limit))
        return rows.sorted { ($0["seq"] as Int64) < ($1["seq"] as Int64) }.map {
            WorkKey(suiteID: $0["suite_id"], caseID: $0["case_id"], model: $0["model"], epoch: $0["epoch"])
        }
    }

    public func renew(run: String, worker: String, lease: Duration) async throws(StoreError) {
        _ = try await rows(RenewWork(run: run, worker: worker, leaseSeconds: lease.inSeconds))
    }

    public func release(run: String, worker: String) async throws(StoreError) {
        _ = try await rows(
            """
            UPDATE work SET state = 'pending', worker = NULL, lease_until = NULL
            WHERE run_id = \(run) AND worker = \(worker) AND state = 'claimed'
            """)
    }

    public func unfinished(run: String) async throws(StoreError) -> (notDone: Int, leased: Int) {
        let row = try await rows(
            """
            SELECT COUNT(*) FILTER (WHERE state <> 'done') AS not_done,
                   COUNT(*) FILTER (WHERE state = 'claimed' AND lease_until >= \(unescaped: Self.now)) AS leased
            FROM work WHERE run_id = \(run)
            """
        ).first
        return (row?["not_done"] ?? 0, row?["leased"] ?? 0)
    }

    public func reserve(run: String, amount: Double) async throws(StoreError) -> Bool {
        try await perform { connection, logger in
            let granted = try await Self.rows(
                ReserveBudget(run: run, amount: amount), on: connection, logger: logger)
            if !granted.isEmpty { return true }
            // Refused once, refused for every worker: the run stops taking new requests.
            _ = try await Self.rows(
                "UPDATE budgets SET stopped = TRUE WHERE run_id = \(run)", on: connection, logger: logger)
            return false
        }
    }

    public func settle(run: String, reserved: Double, actual: Double) async throws(StoreError) {
        _ = try await rows(SettleBudget(run: run, reserved: reserved, actual: actual))
    }

    public func budgetSpent(run: String) async throws(StoreError) -> Double {
        try await rows("SELECT spent FROM budgets WHERE run_id = \(run)").first?["spent"] ?? 0
    }
}
