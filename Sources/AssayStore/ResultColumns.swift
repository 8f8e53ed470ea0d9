import GRDB

/// The type of each `results` column, as `ResultRecord` declares it: from this list both
/// stores add, when they open, any column the table lacks (nullable, so that rows stored
/// before read it as nil). A new result field therefore needs no migration and no
/// PostgreSQL step of its own: its column's type in `ResultRecord.CodingKeys.type` (the
/// compiler asks for it) is enough.
enum ResultColumnType {
    case text
    case integer
    case real
    /// A boolean: SQLite's BOOLEAN, PostgreSQL's 0/1 integer (so that one mapping reads both).
    case flag

    var sqlite: Database.ColumnType {
        switch self {
        case .text: .text
        case .integer: .integer
        case .real: .double
        case .flag: .boolean
        }
    }

    var postgres: String {
        switch self {
        case .text: "TEXT"
        case .integer, .flag: "BIGINT"
        case .real: "DOUBLE PRECISION"
        }
    }
}

extension StoreSchema {
    /// Adds each column `ResultRecord` declares that the results table lacks. Run after the
    /// migrations, at every writable open: one `PRAGMA table_info` when nothing is missing.
    static func addMissingResultColumns(_ db: Database) throws {
        let present = Set(try db.columns(in: "results").map(\.name))
        for column in ResultRecord.CodingKeys.allCases where !present.contains(column.rawValue) {
            try db.alter(table: "results") { table in table.add(column: column.rawValue, column.type.sqlite) }
        }
    }
}
