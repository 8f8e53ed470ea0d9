import AssayAnalysis
import AssayCore
import Foundation

/// `leaderboard.json` (schema `assay.leaderboard/1`, documented in
/// schemas/assay-leaderboard-1.schema.json): the front page's boards, every run and every
/// decision, as data. Keys sorted, no time of publishing: the same stores give the same bytes.
enum LeaderboardJSON {
    struct Document: Encodable {
        var schema = "assay.leaderboard/1"
        var boards: [Board]
        var runs: [Run]
        var decisions: [DecisionEntry]
    }

    struct Board: Encodable {
        var suite: String
        var slice: String?
        var fingerprint: String?
        var entries: [SitePoint]
        var frontier: [String]
        var earlier: [Series]
        var page: String
    }

    struct Series: Encodable {
        var fingerprint: String?
        var runs: [String]
        var models: [String]
        var first: Date
        var last: Date
    }

    struct Run: Encodable {
        var id: String
        var startedAt: Date
        var endedAt: Date?
        var status: String
        var label: String?
        var note: String?
        var models: [String]
        var suites: [String]
        var page: String

        enum CodingKeys: String, CodingKey {
            case id, status, label, note, models, suites, page
            case startedAt = "started_at"
            case endedAt = "ended_at"
        }
    }

    struct DecisionEntry: Encodable {
        var id: String
        var kind: String
        var title: String
        var runs: [String]
        var createdAt: Date
        var passed: Bool?
        var page: String

        enum CodingKeys: String, CodingKey {
            case id, kind, title, runs, passed, page
            case createdAt = "created_at"
        }
    }

    static func render(_ leaderboard: Leaderboard, runs: [SiteRun], decisions: [Decision]) throws -> String {
        let document = Document(
            boards: leaderboard.boards.map { board in
                Board(
                    suite: board.suite, slice: board.slice, fingerprint: board.fingerprint, entries: board.entries,
                    frontier: board.frontier,
                    earlier: board.earlier.map {
                        Series(
                            fingerprint: $0.fingerprint, runs: $0.runs, models: $0.models, first: $0.first,
                            last: $0.last)
                    },
                    page: SiteLayout.front + "#" + SiteFrontPage.anchor(board.suite))
            },
            runs: runs.sorted(by: SiteRun.newestFirst).map { run in
                Run(
                    id: run.manifest.id, startedAt: run.manifest.startedAt, endedAt: run.manifest.endedAt,
                    status: run.manifest.status.rawValue, label: run.manifest.label?.text,
                    note: run.manifest.label?.note, models: run.models, suites: run.manifest.suites.map(\.id),
                    page: SiteLayout.runPage(run.manifest.id))
            },
            decisions: decisions.sorted(by: SiteDecisions.newestFirst).map {
                DecisionEntry(
                    id: $0.id, kind: $0.kind.rawValue, title: $0.title, runs: $0.runs, createdAt: $0.createdAt,
                    passed: $0.passed, page: SiteLayout.decisionPage($0.id))
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(SummaryJSON.timestamp(date))
        }
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return String(decoding: try encoder.encode(document), as: UTF8.self) + "\n"
    }
}
