import AssayAnalysis
import AssayCore
import AssayReports
import AssayStore
import AssayTestSupport
import Foundation
import Testing
#if canImport(FoundationXML)
    import FoundationXML
#endif

/// `assay publish`'s site over three runs on two days (different model sets) and a compare:
/// the order of the front page, the model pages' points, the links, determinism and the
/// incremental rebuild.
@Suite struct SiteTests {
    /// A fixture store (or two) and its site.
    struct Published {
        var dir: TempDirectory
        var stores: [Store]
        var site: String
        var outcome: SitePublisher.Outcome

        func text(_ relative: String) throws -> String {
            try String(contentsOfFile: site + "/" + relative, encoding: .utf8)
        }
    }

    static func publish(split: Bool = false) async throws -> Published {
        let dir = try TempDirectory("assay-site")
        let first = try Store(path: dir.path("first.sqlite"))
        let second = split ? try Store(path: dir.path("second.sqlite")) : first
        try await SiteFixture.fill(first, second)
        _ = try await SiteFixture.compare(in: second, readingA: first)
        let stores = split ? [first, second] : [first]
        let site = dir.path("site")
        let outcome = try await SitePublisher.publish(stores: stores, to: site)
        return Published(dir: dir, stores: stores, site: site, outcome: outcome)
    }

    /// The models linked from the rows of the front page's table for `suite` (the whole suite's).
    static func ranking(_ front: String, suite: String) throws -> [String] {
        let section = try #require(front.range(of: "<section id=\"suite-\(suite)\">"))
        let table = front[section.upperBound...]
        let end = try #require(table.range(of: "</table>"))
        return table[..<end.lowerBound].components(separatedBy: "<td><a href=\"models/").dropFirst().map {
            String($0.prefix { $0 != "." })
        }
    }

    @Test func theFrontPageRanksEachModelsLatestResultByValueWithOutputOnlyCostsApart() async throws {
        let published = try await Self.publish()
        defer { published.dir.remove() }
        let front = try published.text("index.html")
        #expect(try Self.ranking(front, suite: "intent") == SiteFixture.intentOrder)
        // Each row is the model's latest run: beta's is B (7 right), not A (9 right).
        let board = try JSONDecoder().decode(JSONValue.self, from: Data(try published.text("leaderboard.json").utf8))
        let intent = try #require(
            board["boards"]?.arrayValue?.first { $0["suite"]?.stringValue == "intent" && $0["slice"] == nil })
        let entries = intent["entries"]?.arrayValue ?? []
        #expect(entries.compactMap { $0["model"]?.stringValue } == SiteFixture.intentOrder)
        #expect(entries.first { $0["model"]?.stringValue == "beta" }?["run"]?.stringValue == SiteFixture.runB)
        #expect(entries.first { $0["model"]?.stringValue == "gamma" }?["cost_basis"]?.stringValue == "output-only")
        #expect(front.contains("tbody class=\"apart\""), "the output-only cost is ranked in a group of its own")
        // math changed between A and C: only C's models are ranked, and the earlier version is said.
        #expect(try Self.ranking(front, suite: "math") == ["delta", "alpha"])
        #expect(front.contains("1 earlier version of the suite, not ranked here"))
        // Each run's own ranking (its summary.json) agrees on the models it holds.
        let summary = try JSONDecoder().decode(
            JSONValue.self, from: Data(try published.text("runs/\(SiteFixture.runC)/summary.json").utf8))
        let own = summary["rankings"]?["by_quality_per_dollar"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(own == ["epsilon", "delta", "alpha"])
    }

    @Test func aModelsPagePlotsEveryRunThatAskedItAndMarksThePriceChange() async throws {
        let published = try await Self.publish()
        defer { published.dir.remove() }
        let alpha = try published.text("models/alpha.html")
        let intent = try #require(alpha.range(of: "<section id=\"suite-intent\">"))
        let section = String(alpha[intent.upperBound...].prefix { _ in true }).components(separatedBy: "</section>")[0]
        let plotted = section.components(separatedBy: "data-run=\"").dropFirst().map {
            String($0.prefix { $0 != "\"" })
        }
        #expect(plotted == [SiteFixture.runA, SiteFixture.runC], "a point per run, oldest first")
        #expect(section.contains("class=\"point changed\""), "alpha's price changed from A to C")
        #expect(section.components(separatedBy: "price changed</strong>").count == 2, "marked once, on C")
        let beta = try published.text("models/beta.html")
        #expect(beta.components(separatedBy: "data-run=\"").count - 1 == 2, "beta ran in A and B")
        #expect(alpha.contains("after V4 upgrade"), "the run's label shows")
    }

    @Test func everyLinkAndAnchorOfEveryPageResolves() async throws {
        let published = try await Self.publish()
        defer { published.dir.remove() }
        let problems = try SiteLinks.deadLinks(in: published.site)
        #expect(problems.isEmpty, "\(problems.prefix(10))")
        let pages = try SiteLinks.pages(in: published.site)
        #expect(pages.count >= 12, "front, runs list, 3 runs, 5 models, 2 suites, 1 decision: \(pages)")
        // Linked both ways: the decision names both runs; both runs' pages name the decision.
        let decision = try #require(pages.first { $0.hasPrefix("decisions/") })
        let page = try published.text(decision)
        #expect(page.contains("../../runs/\(SiteFixture.runA)/index.html"))
        #expect(page.contains("../../runs/\(SiteFixture.runC)/index.html"))
        for run in [SiteFixture.runA, SiteFixture.runC] {
            #expect(try published.text("runs/\(run)/index.html").contains("../../" + decision))
        }
        #expect(!(try published.text("runs/\(SiteFixture.runB)/index.html").contains("decisions/")))
    }

    @Test func theSameStoresGiveTheSameBytesAndARebuildWritesNothing() async throws {
        let published = try await Self.publish()
        defer { published.dir.remove() }
        let again = published.dir.path("again")
        _ = try await SitePublisher.publish(stores: published.stores, to: again)
        let files = try SiteLinks.files(in: published.site)
        #expect(files == (try SiteLinks.files(in: again)))
        for file in files {
            let left = FileManager.default.contents(atPath: published.site + "/" + file)
            #expect(left == FileManager.default.contents(atPath: again + "/" + file), "\(file) differs")
        }
        let rebuilt = try await SitePublisher.publish(stores: published.stores, to: published.site)
        #expect(rebuilt.reportsWritten == 0 && rebuilt.reportsKept == 3)
        #expect(rebuilt.filesWritten == 0, "nothing changed, nothing is written")
    }

    @Test func aNewRunRewritesItsOwnReportAndThePagesThatListItOnly() async throws {
        let published = try await Self.publish()
        defer { published.dir.remove() }
        let store = published.stores[0]
        let untouched = ["models/gamma.html", "suites/math.html"].map { published.site + "/" + $0 }
        let before = try untouched.map {
            try FileManager.default.attributesOfItem(atPath: $0)[.modificationDate] as? Date
        }
        let run = "20261206-090000-d"
        let at = SiteFixture.day1.addingTimeInterval(48 * 3600)
        try await store.createRun(
            SiteFixture.manifest(
                run, at: at, models: [("delta", SiteFixture.price(0.1, 0.2))], suites: [("intent", "f-intent")]))
        try await store.record(
            batch: SiteFixture.results(
                run: run, suite: "intent", [.init(model: "delta", correct: 2, costPerItem: 0.0005)], at: at))
        let outcome = try await SitePublisher.publish(stores: published.stores, to: published.site)
        #expect(outcome.reportsWritten == 1 && outcome.reportsKept == 3)
        let after = try untouched.map {
            try FileManager.default.attributesOfItem(atPath: $0)[.modificationDate] as? Date
        }
        #expect(before == after, "pages the run does not touch are not rewritten")
        #expect(try published.text("models/delta.html").contains(run))
        // delta's latest result is now D's (2 right for $0.005: 400/$): it drops below alpha (750/$).
        #expect(
            try Self.ranking(try published.text("index.html"), suite: "intent") == [
                "epsilon", "alpha", "delta", "beta", "gamma",
            ])
    }

    @Test func runsFromSeveralStoresMakeOneSiteAndAClashingRunIsRefused() async throws {
        let published = try await Self.publish(split: true)
        defer { published.dir.remove() }
        #expect(published.outcome.runs == 3 && published.outcome.decisions == 1)
        #expect(try Self.ranking(try published.text("index.html"), suite: "intent") == SiteFixture.intentOrder)
        #expect(try SiteLinks.deadLinks(in: published.site).isEmpty)
        // The same run id with other contents in a third store: refused, naming both.
        let third = try Store(path: published.dir.path("third.sqlite"))
        try await third.createRun(
            SiteFixture.manifest(
                SiteFixture.runA, at: SiteFixture.day1.addingTimeInterval(1),
                models: [("zeta", SiteFixture.price(1, 1))], suites: []))
        await #expect(throws: InputError.self) {
            _ = try await SitePublisher.publish(stores: published.stores + [third], to: published.dir.path("clash"))
        }
    }

    @Test func theFeedIsAtomWithARunPerEntryAndTheLeaderboardFollowsItsSchema() async throws {
        let published = try await Self.publish()
        defer { published.dir.remove() }
        let feed = try published.text("feed.xml")
        let document = try XMLDocument(xmlString: feed)
        let entries = try document.nodes(forXPath: "/*[local-name()='feed']/*[local-name()='entry']")
        #expect(entries.count == 3)
        #expect(feed.contains("urn:assay:run:\(SiteFixture.runC)") && feed.contains("after V4 upgrade"))
        let schemaText = try String(
            contentsOfFile: PackagePaths.root + "/schemas/assay-leaderboard-1.schema.json", encoding: .utf8)
        let schema = try JSONDecoder().decode(JSONValue.self, from: Data(schemaText.utf8))
        let board = try JSONDecoder().decode(JSONValue.self, from: Data(try published.text("leaderboard.json").utf8))
        let problems = SchemaCheck.problems(board, against: schema, root: schema)
        #expect(problems.isEmpty, "\(problems.prefix(10))")
    }

    @Test(.enabled(if: TestPostgres.url != nil, "needs the PostgreSQL that scripts/test starts"))
    func aSharedPostgreSQLStorePublishesAsSQLiteDoes() async throws {
        let dir = try TempDirectory("assay-site-pg")
        defer { dir.remove() }
        let store = try await StoreLocation.open(try #require(TestPostgres.url))
        defer { Task { await store.close() } }
        let suffix = "-" + TestPostgres.uniqueRunID("site").suffix(8)
        try await SiteFixture.fill(store, store, suffix: suffix)
        let decision = try await SiteFixture.compare(in: store, readingA: store, suffix: suffix)
        let site = dir.path("site")
        _ = try await SitePublisher.publish(stores: [store], to: site)
        for run in [SiteFixture.runA, SiteFixture.runB, SiteFixture.runC] {
            #expect(FileManager.default.fileExists(atPath: site + "/runs/\(run + suffix)/index.html"))
        }
        let page = try String(contentsOfFile: site + "/decisions/\(decision.id)/index.html", encoding: .utf8)
        #expect(page.contains("../../runs/\(SiteFixture.runC + suffix)/index.html"))
        #expect(try SiteLinks.deadLinks(in: site).isEmpty)
        let label = try String(contentsOfFile: site + "/runs/index.html", encoding: .utf8)
        #expect(label.contains("after V4 upgrade"))
    }
}
