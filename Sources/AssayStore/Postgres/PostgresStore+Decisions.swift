import AssayCore
import Foundation
import GRDB
import PostgresNIO

// Labels on runs and decisions kept, on PostgreSQL: as the SQLite store's (StoreContractTests).

extension PostgresStore {
    /// The manifest is read and written under its row's lock, as `finishRun` does.
    public func setLabel(run id: String, _ label: RunLabel?) async throws(StoreError) {
        let location = self.location
        try await perform { connection, logger in
            let rows = try await Self.rows(
                "SELECT manifest FROM runs WHERE id = \(id) FOR UPDATE", on: connection, logger: logger)
            guard let json: String = rows.first?["manifest"] else {
                throw StoreError(location: location, message: "no run '\(id)' to label")
            }
            var manifest = try StoreJSON.decode(RunManifest.self, json)
            manifest.label = label
            let updated = try StoreJSON.encode(manifest)
            _ = try await Self.rows(
                "UPDATE runs SET manifest = \(updated) WHERE id = \(id)", on: connection, logger: logger)
        }
    }

    public func record(decision: Decision) async throws(StoreError) {
        let json: String
        do { json = try StoreJSON.encode(decision) } catch {
            throw StoreError(location: location, message: "a decision does not encode: \(error)")
        }
        _ = try await rows(
            """
            INSERT INTO decisions (id, kind, created_at, decision)
            VALUES (\(decision.id), \(decision.kind.rawValue), \(decision.createdAt.timeIntervalSince1970), \(json))
            ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind, created_at = EXCLUDED.created_at,
                decision = EXCLUDED.decision
            """)
    }

    public func decisions() async throws(StoreError) -> [Decision] {
        var decisions: [Decision] = []
        for row in try await rows("SELECT decision FROM decisions ORDER BY created_at, id COLLATE \"C\"") {
            let json: String = row["decision"]
            do { decisions.append(try StoreJSON.decode(Decision.self, json)) } catch {
                throw StoreError(location: location, message: "a stored decision does not read: \(error)")
            }
        }
        return decisions
    }
}
