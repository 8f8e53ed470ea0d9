import AssayCore
import Foundation
import GRDB
import Logging
import PostgresNIO

/// The run store in a PostgreSQL database that many workers share (`--store postgres://…`):
/// the same tables as the SQLite store, plus a work queue that `assay run --join` workers
/// claim items from, and the run's budget, reserved in the database so that it holds across
/// every worker.
///
/// Rows travel as GRDB rows both ways (`ResultRecord` is the one mapping of a result to
/// columns, for both backends). A run's results and attempts stream to their reader
/// (`RowPipe`), as SQLite's cursor does.
public final class PostgresStore: RunStore {
    public let location: String
    let client: PostgresClient
    /// The client's run loop when no `ClientHost` runs it (tests, benchmarks); nil in a host.
    private let running: Task<Void, Never>?
    let logger = Logger(label: "assay.store", factory: { _ in SwiftLogNoOpLogHandler() })

    private init(url: PostgresURL) {
        location = url.redacted
        var configuration = url.clientConfiguration
        configuration.options.maximumConnections = 16
        configuration.options.connectTimeout = .seconds(10)
        let client = PostgresClient(configuration: configuration)
        self.client = client
        if let host = ClientHost.current {
            host.continuation.yield(client)
            running = nil
        } else {
            running = Task { await client.run() }
        }
    }

    /// Connects to the database at `url` and brings its schema up to date (under an advisory
    /// lock, so that workers starting together do it once).
    public static func connect(_ url: String) async throws(InputError) -> PostgresStore {
        let parsed = try PostgresURL(url)
        do {
            let probe = try await PostgresConnection.connect(
                configuration: try parsed.connectionConfiguration(), id: 0,
                logger: Logger(label: "assay.store", factory: { _ in SwiftLogNoOpLogHandler() }))
            try await probe.close()
        } catch {
            throw InputError(file: parsed.redacted, "cannot connect to the store: \(describe(error))")
        }
        let store = PostgresStore(url: parsed)
        do {
            try await store.transaction { connection in
                _ = try await connection.query("SELECT pg_advisory_xact_lock(7153010)", logger: store.logger)
                try await PostgresSchema.migrate(connection, logger: store.logger)
            }
        } catch {
            await store.close()
            throw InputError(file: store.location, "cannot open the store: \(describe(error))")
        }
        return store
    }

    /// Ends the client's run loop, unless a `ClientHost` runs it (the host ends it with the work).
    public func close() async {
        running?.cancel()
        await running?.value
    }

    /// What went wrong, from the server's message: never the query's bound values (prompts)
    /// nor the connection's password.
    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            if let underlying = error.underlying { return "\(error.code): \(underlying)" }
            return "\(error.code)"
        }
        if let error = error as? PostgresSchema.Newer { return error.description }
        return String(describing: type(of: error))
    }

    func failure(_ error: any Error) -> StoreError {
        if let error = error as? StoreError { return error }
        return StoreError(location: location, message: Self.describe(error))
    }

    // MARK: Queries

    /// Runs `body` in a transaction of its own task, so that cancelling the caller (Ctrl-C)
    /// never cancels a write under way.
    func transaction<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T
    {
        let client = self.client
        let logger = self.logger
        return try await Task {
            try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        }.value
    }

    /// The rows `query` returns, each as a GRDB row keyed by column name. Values are bound
    /// where they are written (`"SELECT ... WHERE run_id = \(run)"`: postgres-nio's
    /// `PostgresQuery` interpolation); a statement built in code binds them with a
    /// `StatementBuilder` (BoundSQL.swift).
    func rows(_ query: PostgresQuery) async throws(StoreError) -> [Row] {
        let client = self.client
        do {
            // GRDB's rows are not Sendable: their values cross from the task, the rows are made here.
            let values = try await Task {
                var values: [[String: DatabaseValue]] = []
                for try await row in try await client.query(query) { values.append(try Self.values(row)) }
                return values
            }.value
            return values.map { Row($0) }
        } catch {
            throw failure(error)
        }
    }

    /// Runs `query` inside a transaction's connection; its rows as GRDB rows.
    static func rows(_ query: PostgresQuery, on connection: PostgresConnection, logger: Logger) async throws -> [Row] {
        var rows: [Row] = []
        for try await row in try await connection.query(query, logger: logger) {
            rows.append(Row(try Self.values(row)))
        }
        return rows
    }

    /// `values` bound in order: integers, floating point and text (a blob as UTF-8 text), or null.
    static func bindings(_ values: [DatabaseValue]) -> PostgresBindings {
        var binds = PostgresBindings(capacity: values.count)
        for value in values {
            switch value.storage {
            case .null: binds.appendNull()
            case .int64(let number): binds.append(number)
            case .double(let number): binds.append(number)
            case .string(let text): binds.append(text)
            case .blob(let data): binds.append(String(decoding: data, as: UTF8.self))
            }
        }
        return binds
    }

    /// A PostgreSQL row's values by column name (integers, floating point and text), to make a GRDB row of.
    static func values(_ row: PostgresRow) throws -> [String: DatabaseValue] {
        var values: [String: DatabaseValue] = [:]
        for cell in row {
            guard cell.bytes != nil else {
                values[cell.columnName] = .null
                continue
            }
            switch cell.dataType {
            case .int2, .int4, .int8: values[cell.columnName] = try cell.decode(Int64.self).databaseValue
            case .float4, .float8, .numeric: values[cell.columnName] = try cell.decode(Double.self).databaseValue
            case .bool: values[cell.columnName] = try cell.decode(Bool.self).databaseValue
            default: values[cell.columnName] = try cell.decode(String.self).databaseValue
            }
        }
        return values
    }
}

extension StoreError {
    public init(location: String, message: String) {
        self.path = location
        self.message = message
    }
}
