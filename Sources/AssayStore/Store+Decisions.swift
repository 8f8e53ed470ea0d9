import AssayCore
import Foundation
import GRDB

// Labels on runs and decisions kept (`assay label`, `compare`, `gate`, `route compare`), on SQLite.

extension Store {
    public func setLabel(run id: String, _ label: RunLabel?) async throws(StoreError) {
        guard var manifest = try await run(id) else {
            throw StoreError(location: path, message: "no run '\(id)' to label")
        }
        manifest.label = label
        let json = try encodeJSON(manifest)
        try await write { db in
            try db.execute(sql: "UPDATE runs SET manifest = ? WHERE id = ?", arguments: [json, id])
        }
    }

    public func record(decision: Decision) async throws(StoreError) {
        let json = try encodeJSON(decision)
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO decisions (id, kind, created_at, decision) VALUES (?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, created_at = excluded.created_at,
                        decision = excluded.decision
                    """,
                arguments: [decision.id, decision.kind.rawValue, decision.createdAt.timeIntervalSince1970, json])
        }
    }

    public func decisions() async throws(StoreError) -> [Decision] {
        let rows = try await read { db in
            try String.fetchAll(db, sql: "SELECT decision FROM decisions ORDER BY created_at, id")
        }
        var decisions: [Decision] = []
        for json in rows { decisions.append(try decodeJSON(Decision.self, json)) }
        return decisions
    }
}
