import GRDB
import PostgresNIO

// PostgreSQL numbers a statement's parameters ($1, $2, ...). Nothing in Assay writes those
// numbers by hand: a value is bound where the SQL names it, and the number is given there.
// Ad hoc statements use postgres-nio's `PostgresQuery` interpolation; the two kinds below
// cover what it cannot: statements built in code (`StatementBuilder`) and statements prepared
// once per connection, whose text must not depend on the values (`PreparedSQL`).

/// A statement built in code (multi-row inserts, a result's upsert with its attempts): each
/// `bind` appends its value and returns the placeholder that stands for it.
struct StatementBuilder {
    private(set) var values: [DatabaseValue] = []

    init(capacity: Int = 0) { values.reserveCapacity(capacity) }

    /// The placeholder of `value`, bound to it.
    mutating func bind(_ value: DatabaseValue) -> String {
        values.append(value)
        return "$\(values.count)"
    }

    /// `(p1, p2, ...)`: a row of placeholders, each bound to its value.
    mutating func row(_ row: some Sequence<DatabaseValue>) -> String {
        "(" + row.map { bind($0) }.joined(separator: ", ") + ")"
    }

    /// `INSERT INTO table (columns) VALUES (...), (...)`, one row of placeholders a row.
    mutating func insert(into table: String, columns: [String], rows: some Sequence<[DatabaseValue]>) -> String {
        "INSERT INTO \(table) (" + columns.joined(separator: ", ") + ") VALUES "
            + rows.map { row($0) }.joined(separator: ", ")
    }

    /// `sql` with the values bound so far.
    func query(_ sql: String) -> PostgresQuery { PostgresQuery(unsafeSQL: sql, binds: PostgresStore.bindings(values)) }
}

/// The text of a prepared statement of type `Statement`, written with the statement's
/// properties where their values go (`"WHERE run_id = \(\.run)"`): each distinct property is
/// numbered where it is first named (a second mention reuses its number), and
/// `bindings(of:)` binds each in that order.
struct PreparedSQL<Statement>: Sendable, ExpressibleByStringInterpolation {
    let sql: String
    private let parameters: [@Sendable (Statement) -> DatabaseValue]

    init(stringLiteral value: String) {
        sql = value
        parameters = []
    }

    init(stringInterpolation: StringInterpolation) {
        sql = stringInterpolation.sql
        parameters = stringInterpolation.parameters
    }

    /// The values of `statement`'s parameters, in their numbers' order.
    func bindings(of statement: Statement) -> PostgresBindings {
        PostgresStore.bindings(parameters.map { $0(statement) })
    }

    struct StringInterpolation: StringInterpolationProtocol {
        fileprivate var sql = ""
        fileprivate var parameters: [@Sendable (Statement) -> DatabaseValue] = []
        private var numbers: [AnyKeyPath: Int] = [:]

        init(literalCapacity: Int, interpolationCount: Int) {
            sql.reserveCapacity(literalCapacity + 4 * interpolationCount)
        }

        mutating func appendLiteral(_ literal: String) { sql += literal }

        /// A parameter: the statement's property at `path`.
        mutating func appendInterpolation<Value: DatabaseValueConvertible & Sendable>(
            _ path: any KeyPath<Statement, Value> & Sendable
        ) {
            if let number = numbers[path] {
                sql += "$\(number)"
                return
            }
            parameters.append { $0[keyPath: path].databaseValue }
            numbers[path] = parameters.count
            sql += "$\(parameters.count)"
        }

        /// SQL text spliced in as it is (a shared expression such as the server's clock): never a value.
        mutating func appendInterpolation(sql text: String) { sql += text }
    }
}
