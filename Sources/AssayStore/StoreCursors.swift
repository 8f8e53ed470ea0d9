import AssayCore
import Foundation
import GRDB

/// Results read one at a time from a store: straight off SQLite's cursor, or off a
/// PostgreSQL query's rows as they stream in (`RowPipe`; as GRDB rows, so that one mapping,
/// `ResultRecord`, reads both).
public struct ResultCursor {
    private enum Source {
        case rows(RowCursor)
        case pipe(RowPipe)
    }

    private var source: Source

    init(rows: RowCursor) {
        source = .rows(rows)
    }

    init(pipe: RowPipe) {
        source = .pipe(pipe)
    }

    public mutating func next() throws -> ItemResult? {
        switch source {
        case .rows(let rows):
            return try rows.next().map(ResultRecord.result(row:))
        case .pipe(let pipe):
            return try pipe.next().map { try ResultRecord.result(row: Row($0)) }
        }
    }
}

/// Attempts read one at a time from a store. A row with an error kind this version does not
/// know is an error naming it.
public struct AttemptCursor {
    private enum Source {
        case cursor(RowCursor)
        case pipe(RowPipe)
    }

    private var source: Source

    init(rows: RowCursor) {
        source = .cursor(rows)
    }

    init(pipe: RowPipe) {
        source = .pipe(pipe)
    }

    public mutating func next() throws -> AttemptRow? {
        let row: Row?
        switch source {
        case .cursor(let cursor):
            row = try cursor.next()
        case .pipe(let pipe):
            row = try pipe.next().map { Row($0) }
        }
        guard let row else { return nil }
        return try Self.attempt(row)
    }

    static func attempt(_ row: Row) throws -> AttemptRow {
        let kindText: String? = row["error_kind"]
        let kind = try kindText.map { text in
            guard let kind = ErrorKind(rawValue: text) else {
                throw ResultRecord.UnknownValue(
                    column: "error_kind", value: text, row: "attempt \(row["id"] as Int64? ?? 0)")
            }
            return kind
        }
        let key = WorkKey(suiteID: row["suite_id"], caseID: row["case_id"], model: row["model"], epoch: row["epoch"])
        let attempt = Attempt(
            endpoint: row["endpoint"], baseURL: row["base_url"], status: row["status"], errorKind: kind,
            latencyMs: row["latency_ms"],
            sentAt: Date(timeIntervalSince1970: row["sent_at"]))
        return AttemptRow(runID: row["run_id"], key: key, number: row["number"], attempt: attempt)
    }
}
