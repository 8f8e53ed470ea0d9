import AssayCore
import Foundation
import GRDB
import SystemPackage

/// The run store: one SQLite file (WAL) holding runs, their results and the response cache.
///
/// A result is committed as soon as it is recorded, so a crash loses at most the requests
/// in flight. Nothing secret is stored: requests are stored as sent minus their headers,
/// and API keys live only in headers.
public final class Store: RunStore {
    public static let defaultPath = ".assay/assay.sqlite"

    public let path: String
    public var location: String { path }
    let pool: DatabasePool
    let batcher: WriteBatcher
    /// The prompt files whose text `prompts` holds, by path.
    let filePieces = PromptFilePieces()
    /// Opened by `init(readingOnly:)`.
    let readingOnly: Bool
    /// Opened `readingOnly` where no `-wal` or `-shm` file was: reading made them.
    let madeWALFiles: Bool

    /// Opens (creating when needed) the store at `path` and brings its schema up to date.
    public init(path: String = Store.defaultPath) throws(InputError) {
        self.path = path
        readingOnly = false
        madeWALFiles = false
        let directory = FilePath(path).removingLastComponent().string
        do {
            if !directory.isEmpty {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            pool = try Self.openMigrated(path: path, configuration: Self.writableConfiguration)
            batcher = WriteBatcher(pool: pool)
        } catch {
            throw InputError(file: path, "cannot open the store: \(Self.describe(error))")
        }
    }

    /// Opens the existing store at `path` for reading only: report, compare, gate, route, and
    /// the inputs of merge and store copy. Nothing is written to it: read-only connections,
    /// no migration, and none of the journal set-up a writable pool makes (GRDB writes a table
    /// and drops it, to make the WAL file). When SQLite cannot make its `-shm` file beside the
    /// store (a read-only directory), the store is read as immutable: nothing may be writing it
    /// then. Read-only connections cannot take away the `-wal` and `-shm` files they made
    /// beside a store the user may write: `close()` does. A store written by an older Assay is
    /// brought up to date as before when it can be written, and refused when it cannot.
    public init(readingOnly path: String) throws(InputError) {
        self.path = path
        readingOnly = true
        let directory = FilePath(path).removingLastComponent().string
        let writable = access(path, W_OK) == 0 && access(directory.isEmpty ? "." : directory, W_OK) == 0
        madeWALFiles =
            writable && !FileManager.default.fileExists(atPath: path + "-wal")
            && !FileManager.default.fileExists(atPath: path + "-shm")
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.readonly = true
        do {
            var opened: (pool: DatabasePool, state: Migrations)
            do {
                opened = try Self.openReadOnly(path, configuration: configuration)
            } catch {
                // Read-only media: SQLite cannot create the WAL index beside the file.
                var immutable = URLComponents()
                immutable.scheme = "file"
                immutable.path = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
                immutable.queryItems = [URLQueryItem(name: "immutable", value: "1")]
                guard let uri = immutable.string else { throw error }
                opened = try Self.openReadOnly(uri, configuration: configuration)
            }
            switch opened.state {
            case .current:
                pool = opened.pool
            case .newer:
                throw InputError(
                    file: path, "cannot open the store: it was written by a newer Assay; upgrade Assay to read it")
            case .older:
                guard writable else {
                    throw InputError(
                        file: path,
                        "cannot open the store: it was written by an older Assay and cannot be written here to bring it up to date; "
                            + "run any assay command on a writable copy first")
                }
                try? opened.pool.close()
                pool = try Self.openMigrated(path: path, configuration: Self.writableConfiguration)
            }
            batcher = WriteBatcher(pool: pool)
        } catch let error as InputError {
            throw error
        } catch {
            throw InputError(file: path, "cannot open the store: \(Self.describe(error))")
        }
    }

    enum Migrations {
        case current, older, newer
    }

    private static func openReadOnly(_ path: String, configuration: Configuration) throws -> (
        pool: DatabasePool, state: Migrations
    ) {
        let pool = try DatabasePool(path: path, configuration: configuration)
        let state = try pool.read { db -> Migrations in
            if try StoreSchema.migrator.hasBeenSuperseded(db) { return .newer }
            return try StoreSchema.migrator.hasCompletedMigrations(db) ? .current : .older
        }
        return (pool, state)
    }

    private static var writableConfiguration: Configuration {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        return configuration
    }

    /// Closes a store opened `readingOnly` (its connections go, and with the last one the
    /// `-wal` and `-shm` files reading made); a no-op for a store a run writes.
    public func close() async {
        guard readingOnly else { return }
        try? pool.close()
        if madeWALFiles { Self.sweepWALFiles(path) }
    }

    /// One read-write connection, query-only, opened and closed: as the last connection it
    /// checkpoints nothing and deletes the `-wal` and `-shm` files. (When another process has
    /// the store open, SQLite leaves them, as it should.)
    private static func sweepWALFiles(_ path: String) {
        var configuration = Configuration()
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA query_only = 1") }
        guard let queue = try? DatabaseQueue(path: path, configuration: configuration) else { return }
        _ = try? queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") }
        try? queue.close()
    }

    /// Opens the pool and brings the schema up to date. Another process opening the same new
    /// store at the same moment (a run starting while a watcher polls for it, shards) can make
    /// either step fail: SQLite answers `PRAGMA journal_mode = WAL` busy without waiting, and
    /// GRDB's migrator reads which migrations are in before it applies the others. Both are
    /// tried again, a few milliseconds later, by when the other's step is done (adding a
    /// column the other has just added fails the same way, and is not needed the second time).
    private static func openMigrated(path: String, configuration: Configuration) throws -> DatabasePool {
        var attempt = 1
        while true {
            do {
                let pool = try DatabasePool(path: path, configuration: configuration)
                try StoreSchema.migrator.migrate(pool)
                try pool.write { try StoreSchema.addMissingResultColumns($0) }
                return pool
            } catch let error as DatabaseError
                where attempt < 20
                && [.SQLITE_BUSY, .SQLITE_LOCKED, .SQLITE_ERROR, .SQLITE_CONSTRAINT].contains(error.resultCode)
            {
                attempt += 1
                Thread.sleep(forTimeInterval: .random(in: 0.01...0.05))
            }
        }
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            // DatabaseError.description omits bound arguments (which may hold prompts).
            return error.description
        }
        return error.localizedDescription
    }
}

/// A failure of the store while a run is going on (the disk is full, the file is locked).
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String

    init(path: String, _ error: any Error) {
        self.path = path
        self.message = Store.describe(error)
    }

    public var description: String { "\(path): the store failed: \(message)" }
}

extension Store {
    /// Commits statements through the group-commit batcher, in a task of its own so that
    /// cancelling the caller (Ctrl-C) never cancels a write that is under way.
    func commit(_ statements: [WriteBatcher.Statement]) async throws(StoreError) {
        let batcher = self.batcher
        do {
            try await Task { try await batcher.write(statements) }.value
        } catch {
            throw StoreError(path: path, error)
        }
    }

    /// Writes in a task of its own, so that cancelling the caller (Ctrl-C) never cancels a
    /// write that is under way: what was graded is kept.
    func write<T: Sendable>(_ updates: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        let pool = self.pool
        do {
            return try await Task { try await pool.write(updates) }.value
        } catch {
            throw StoreError(path: path, error)
        }
    }

    func read<T: Sendable>(_ value: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        let pool = self.pool
        do {
            return try await Task { try await pool.read(value) }.value
        } catch {
            throw StoreError(path: path, error)
        }
    }
}
