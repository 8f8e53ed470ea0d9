import Foundation
import GRDB
import PostgresNIO
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
        #expect(Self.template.parameterCount == 4)
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
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources/AssayStore/Postgres").standardized
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }
        #expect(files.count > 5)
        var found: [String] = []
        for file in files where file != "BoundSQL.swift" {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            for (line, literal) in Self.stringLiterals(text) where literal.contains(try Regex(#"\$[1-9]"#)) {
                found.append("\(file):\(line): \(literal)")
            }
        }
        #expect(found.isEmpty, "hand-numbered placeholders:\n\(found.joined(separator: "\n"))")
        // The scan sees SQL where it is: this file's own literal is found.
        #expect(Self.stringLiterals("let a = 1\nlet s = \"x = $2\"\n").map(\.1) == ["x = $2"])
        #expect(Self.stringLiterals("\"\"\"\n  a = $1\n  \"\"\"\n").map(\.0) == [2])
    }

    /// The text of each line inside a string literal (one-line or multi-line), with its line number.
    static func stringLiterals(_ text: String) -> [(Int, String)] {
        var literals: [(Int, String)] = []
        var inBlock = false
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.contains("\"\"\"") {
                inBlock.toggle()
                continue
            }
            if inBlock {
                literals.append((index + 1, String(line)))
                continue
            }
            // Between pairs of quotes on one line (escaped quotes skipped).
            for match in line.matches(of: #/"((?:[^"\\]|\\.)*)"/#) {
                literals.append((index + 1, String(match.output.1)))
            }
        }
        return literals
    }
}
