import GRDB
import PostgresNIO
import AssayTestSupport
import Testing

@testable import AssayStore

/// PostgreSQL's `$n` placeholders are numbered by the binders, never by hand: a prepared
/// statement's text names its properties where their values go, and a built statement binds
/// each value where it writes it.
struct BoundSQLTests {
    struct Lease {
        var run: String
        var worker: String
        var seconds: Double
        var note: String?
    }

    static let template: PreparedSQL<Lease> = """
        UPDATE work SET worker = \(\.worker), until = \(sql: "now()") + \(\.seconds), note = \(\.note)
        WHERE run_id = \(\.run) AND worker <> \(\.worker)
        """

    @Test func aPreparedStatementIsNumberedWhereEachPropertyIsFirstNamedAndBoundInThatOrder() throws {
        #expect(
            Self.template.sql == """
                UPDATE work SET worker = $1, until = now() + $2, note = $3
                WHERE run_id = $4 AND worker <> $1
                """)
        let bindings = Self.template.bindings(of: Lease(run: "r1", worker: "w9", seconds: 2.5, note: nil))
        // In their numbers' order, an absent value as NULL.
        #expect(
            bindings
                == PostgresStore.bindings(["w9".databaseValue, 2.5.databaseValue, .null, "r1".databaseValue]))
        #expect(
            bindings != PostgresStore.bindings(["r1".databaseValue, "w9".databaseValue, 2.5.databaseValue, .null]))
    }

    @Test func aBuiltStatementBindsEachValueWhereItIsWritten() throws {
        var statement = StatementBuilder()
        let insert = statement.insert(
            into: "t", columns: ["a", "b"],
            rows: [["x".databaseValue, 1.databaseValue], ["y".databaseValue, DatabaseValue.null]])
        let key = statement.bind("k".databaseValue)
        let sql = insert + " WHERE k = \(key) OR k2 = \(key)"
        #expect(sql == "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4) WHERE k = $5 OR k2 = $5")
        #expect(statement.values == ["x".databaseValue, 1.databaseValue, "y".databaseValue, .null, "k".databaseValue])
        let query = statement.query(sql)
        #expect(query.sql == sql)
        #expect(query.binds == PostgresStore.bindings(statement.values))
    }

    /// No `$n` is written by hand in any string of the PostgreSQL store: only the binders number.
    @Test func noPlaceholderIsWrittenByHandInTheStore() throws {
        let files = try SwiftStringLiterals.swiftFiles(under: "Sources/AssayStore/Postgres")
        #expect(files.count > 5)
        let placeholder = try Regex(#"\$[1-9]"#)
        var found: [String] = []
        for file in files where !file.path.hasSuffix("/BoundSQL.swift") {
            for literal in SwiftStringLiterals.scan(file.text) where literal.text.contains(placeholder) {
                found.append("\(file.path):\(literal.line): \(literal.text)")
            }
        }
        #expect(found.isEmpty, "hand-numbered placeholders:\n\(found.joined(separator: "\n"))")
    }
}
