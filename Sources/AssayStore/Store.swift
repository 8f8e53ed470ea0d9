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

    /// Opens (creating when needed) the store at `path` and brings its schema up to date.
    public init(path: String = Store.defaultPath) throws(InputError) {
        self.path = path
        let directory = FilePath(path).removingLastComponent().string
        do {
            if !directory.isEmpty {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
            pool = try Self.openMigrated(path: path, configuration: configuration)
            batcher = WriteBatcher(pool: pool)
        } catch {
            throw InputError(file: path, "cannot open the store: \(Self.describe(error))")
        }
    }

    public func close() async {}

    /// Opens the pool and brings the schema up to date. Another process opening the same new
    /// store at the same moment (a run starting while a watcher polls for it, shards) can make
    /// either step fail: SQLite answers `PRAGMA journal_mode = WAL` busy without waiting, and
    /// GRDB's migrator reads which migrations are in before it applies the others. Both are
    /// tried again, a few milliseconds later, by when the other's step is done.
    private static func openMigrated(path: String, configuration: Configuration) throws -> DatabasePool {
        var attempt = 1
        while true {
            do {
                let pool = try DatabasePool(path: path, configuration: configuration)
                try StoreSchema.migrator.migrate(pool)
                return pool
            } catch let error as DatabaseError where attempt < 20 && [.SQLITE_BUSY, .SQLITE_LOCKED, .SQLITE_ERROR, .SQLITE_CONSTRAINT].contains(error.resultCode) {
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
