import ArgumentParser
import AssayCore
import AssayReports
import AssayStore
import Foundation

/// `assay publish`: a static site of every run in the stores.
struct PublishCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Write a static site of every run: leaderboards ranked by value, each model's history, every report.",
        discussion: """
            Reads one or more stores (SQLite files or postgres:// URLs) and writes, under --out:
              index.html          per suite (and tag slice), each model's latest result on the
                                  suite's newest version, ranked by correct answers per dollar,
                                  with the score's interval, cost, $/correct, p50/p99, TTFT p99,
                                  availability and the cost/quality frontier
              models/<model>.html a model's score, value, latency and availability per suite
                                  across runs, price changes marked
              suites/<suite>.html the suite's versions: results compare only within one
              runs/<run>/         each run's own report; runs/index.html lists them all
              decisions/<id>/     every compare, gate and route compare kept in the stores
              leaderboard.json    the same as data (schemas/assay-leaderboard-1.schema.json)
              feed.xml            an Atom feed of runs
            Every link is relative: the site opens from file://, any static host or GitHub Pages,
            offline. The same stores give byte-identical files; publishing again writes only
            the files that changed and makes a run's report again only when the run changed.

            Examples:
              assay publish --out site
              assay publish --store nightly.sqlite --store postgres://assay@db:5432/assay --out site
              assay publish --out site --base-url https://example.github.io/evals/
            """
    )

    @Option(
        name: .customLong("store"),
        help: ArgumentHelp(
            "A store to publish (repeat for several): a SQLite file, or a postgres:// URL. Default: .assay/assay.sqlite.",
            valueName: "file|url"))
    var stores: [String] = []

    @Option(help: ArgumentHelp("Where the site goes.", valueName: "dir"))
    var out = "site"

    @Option(
        name: .customLong("base-url"),
        help: ArgumentHelp(
            "Where the site will be served (https://…/): the feed's xml:base, for readers that need absolute links.",
            valueName: "url"))
    var baseURL: String?

    func validate() throws {
        if let baseURL, !(baseURL.hasPrefix("https://") || baseURL.hasPrefix("http://")) {
            throw ValidationError("--base-url '\(baseURL.prefix(80))' is not an http(s) URL")
        }
        let locations = stores.isEmpty ? [Store.defaultPath] : stores
        if Set(locations).count != locations.count {
            throw ValidationError("a store is named twice: give each --store once")
        }
    }

    func run() async throws {
        try await withExitStatus(readingStore: true) {
            var opened: [any RunStore] = []
            for location in stores.isEmpty ? [Store.defaultPath] : stores {
                opened.append(try await StoredRuns.open(location))
            }
            let outcome = try await SitePublisher.publish(
                stores: opened, to: out, baseURL: baseURL, progress: { Terminal.note($0) })
            print(
                "published \(outcome.runs) runs and \(outcome.decisions) decisions to \(out)/: "
                    + "\(outcome.reportsWritten) run reports made, \(outcome.reportsKept) kept; "
                    + "\(outcome.filesWritten) files written, \(outcome.filesUnchanged) unchanged, \(outcome.filesRemoved) removed"
            )
            print("open \(out)/index.html")
        }
    }
}
