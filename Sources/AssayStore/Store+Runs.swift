import AssayCore
import Foundation
import GRDB

extension Store {
    public func createRun(_ manifest: RunManifest) async throws(StoreError) {
        let json = try encodeJSON(manifest)
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO runs (id, plan, status, started_at, ended_at, assay_version, git_commit, manifest)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    manifest.id, manifest.plan, manifest.status.rawValue, manifest.startedAt.timeIntervalSince1970,
                    manifest.endedAt?.timeIntervalSince1970, manifest.assayVersion, manifest.gitCommit, json,
                ])
        }
    }

    public func finishRun(
        _ id: String, status: RunManifest.Status, endedAt: Date, traffic: [EndpointTraffic], worker: WorkerEnd?,
        load: LoadReport?
    ) async throws(StoreError) {
        guard let stored = try await run(id) else { return }
        let manifest = finished(stored, status: status, endedAt: endedAt, traffic: traffic, worker: worker, load: load)
        let json = try encodeJSON(manifest)
        let ended = manifest.endedAt?.timeIntervalSince1970
        try await write { db in
            try db.execute(
                sql: "UPDATE runs SET status = ?, ended_at = ?, manifest = ? WHERE id = ?",
                arguments: [status.rawValue, ended, json, id])
        }
    }

    public func run(_ id: String) async throws(StoreError) -> RunManifest? {
        let json = try await read { db in
            try String.fetchOne(db, sql: "SELECT manifest FROM runs WHERE id = ?", arguments: [id])
        }
        guard let json else { return nil }
        return try decodeJSON(RunManifest.self, json)
    }

    public func runs() async throws(StoreError) -> [RunManifest] {
        let rows = try await read { db in
            try String.fetchAll(db, sql: "SELECT manifest FROM runs ORDER BY started_at DESC, id DESC")
        }
        var manifests: [RunManifest] = []
        for json in rows { manifests.append(try decodeJSON(RunManifest.self, json)) }
        return manifests
    }

    func encodeJSON(_ value: some Encodable) throws(StoreError) -> String {
        do { return try StoreJSON.encode(value) } catch { throw StoreError(path: path, error) }
    }

    func decodeJSON<T: Decodable>(_ type: T.Type, _ json: String) throws(StoreError) -> T {
        do { return try StoreJSON.decode(T.self, json) } catch { throw StoreError(path: path, error) }
    }
}
