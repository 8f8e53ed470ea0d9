import AssayCore
import Foundation

/// A published site's front page, as numbers: per suite (and per tag slice of it), the latest
/// result of every model, ranked by correct answers per dollar in the order a run ranks its
/// own models (`Rankings.byValue`: costs covering output tokens only after the rest).
///
/// Results compare across runs only while the suite is the same: a suite's *series* is the
/// run of results that share its fingerprint. A board holds the newest series (the
/// fingerprint of the suite's newest result); results on earlier versions of the suite are
/// named under `earlier`, never ranked beside it. A run stored before fingerprints were kept
/// has none, and forms a series of its own.
public struct Leaderboard: Sendable {
    public struct Board: Sendable {
        public var suite: String
        /// The tag of a slice's board; nil for the whole suite.
        public var slice: String?
        public var fingerprint: String?
        /// The latest point of every model in the series, best value first.
        public var entries: [SitePoint]
        /// The Pareto frontier among them (cost against score), cheapest first.
        public var frontier: [String]
        /// Earlier versions of the suite, newest first: not ranked here.
        public var earlier: [Series]

        /// True when two of the entries' costs may not be ranked together (output-only
        /// beside full): the page draws the line between the groups.
        public var mixesBases: Bool {
            let bases = Set(entries.map { $0.costBasis == .outputOnly })
            return bases.count > 1
        }
    }

    /// The results on one version of a suite.
    public struct Series: Sendable, Hashable {
        public var fingerprint: String?
        public var runs: [String]
        public var models: [String]
        public var first: Date
        public var last: Date
    }

    public var boards: [Board]

    /// Boards by suite id, the whole suite's before its slices (by tag).
    public static func build(_ points: [SitePoint]) -> Leaderboard {
        let byBoard = Dictionary(grouping: points) { BoardKey(suite: $0.suite, slice: $0.slice) }
        let boards = byBoard.keys.sorted().compactMap { key -> Board? in
            guard let points = byBoard[key], let newest = points.max(by: isOlder) else { return nil }
            let current = points.filter { $0.fingerprint == newest.fingerprint }
            let latest = Dictionary(grouping: current, by: \.model).compactMap { $0.value.max(by: isOlder) }
            let entries = Rankings.byValue(latest, \.valueKey)
            let frontier = ParetoFrontier.frontier(
                entries.compactMap { point in
                    guard let score = point.score, point.qualityPerDollar != .unknown else { return nil }
                    return ParetoFrontier.Point(
                        model: point.model, cost: point.cost, score: score, basis: point.costBasis)
                })
            return Board(
                suite: key.suite, slice: key.slice, fingerprint: newest.fingerprint, entries: entries,
                frontier: frontier, earlier: series(points.filter { $0.fingerprint != newest.fingerprint }))
        }
        return Leaderboard(boards: boards)
    }

    /// Every version of the suite among `points`, newest first.
    public static func series(_ points: [SitePoint]) -> [Series] {
        Dictionary(grouping: points) { $0.fingerprint ?? "" }.values.compactMap { points -> Series? in
            guard let first = points.min(by: isOlder), let last = points.max(by: isOlder) else { return nil }
            return Series(
                fingerprint: first.fingerprint, runs: Array(Set(points.map(\.run))).sorted(),
                models: Array(Set(points.map(\.model))).sorted(), first: first.startedAt, last: last.startedAt)
        }.sorted { ($0.last, $0.fingerprint ?? "") > ($1.last, $1.fingerprint ?? "") }
    }

    /// Older first: by the run's start, then its id.
    public static func isOlder(_ a: SitePoint, _ b: SitePoint) -> Bool {
        (a.startedAt, a.run) < (b.startedAt, b.run)
    }

    struct BoardKey: Hashable, Comparable {
        var suite: String
        var slice: String?

        static func < (a: BoardKey, b: BoardKey) -> Bool { (a.suite, a.slice ?? "") < (b.suite, b.slice ?? "") }
    }
}
