import AssayAnalysis
import AssayCore
import AssayRuns
import AssayStore
import Crypto
import Foundation
import SystemPackage

/// `assay publish`: one static site of every run in one or more stores (SQLite or
/// PostgreSQL), with leaderboards ranked by value, each model's history, each suite's
/// versions, every run's own report and every decision kept, linked both ways
/// (`SiteLayout` has the map).
///
/// Deterministic: pages are made from the stores alone (no clock, no randomness, every list
/// in a fixed order), so the same stores give byte-identical files. Incremental: a file is
/// written only when its bytes change, and a run's report is made again only when the run
/// changed (`SiteState`): adding a run rewrites its own pages and those that list it.
public enum SitePublisher {
    public struct Outcome: Sendable {
        public var runs = 0
        public var decisions = 0
        /// Runs whose report was made again, and runs whose report was kept.
        public var reportsWritten = 0
        public var reportsKept = 0
        /// Site files (not run reports) written because they changed, and left as they were.
        public var filesWritten = 0
        public var filesUnchanged = 0
        public var filesRemoved = 0
    }

    public static func publish(
        stores: [any RunStore], to root: String, baseURL: String? = nil,
        progress: @Sendable (String) -> Void = { _ in }
    ) async throws -> Outcome {
        var outcome = Outcome()
        let previous = SiteState.read(SiteLayout.path(SiteLayout.state, under: root))
        var files = SiteFiles(root: root)
        try files.createRoot()

        let (manifests, decisions) = try await gather(stores)
        outcome.decisions = decisions.count
        var state = SiteState()
        // Each run's report, made again only when the run changed; the reports are made a few
        // at a time (each reads its own run: SQLite's readers and PostgreSQL's pool serve them
        // side by side), and gathered in the runs' order.
        var made: [SiteRun?] = Array(repeating: nil, count: manifests.count)
        var toMake: [Int] = []
        for (index, (manifest, store)) in manifests.enumerated() {
            let key = try await runKey(manifest, store: store, decisions: decisions)
            let directory = SiteLayout.runDirectory(manifest.id)
            if let kept = previous?.runs[manifest.id], kept.key == key,
                ReportFiles.fileNames.allSatisfy({ files.exists("\(directory)/\($0)") })
            {
                made[index] = SiteRun(manifest: manifest, points: kept.points)
                state.runs[manifest.id] = kept
                outcome.reportsKept += 1
            } else {
                state.runs[manifest.id] = SiteState.RunEntry(key: key, points: [])
                toMake.append(index)
            }
            files.keep(ReportFiles.fileNames.map { "\(directory)/\($0)" })
        }
        let runsDirectory = SiteLayout.path("runs", under: root)
        let width = max(1, min(4, ProcessInfo.processInfo.activeProcessorCount))
        var done = 0
        for start in stride(from: 0, to: toMake.count, by: width) {
            let batch = Array(toMake[start..<min(start + width, toMake.count)])
            let reports = try await withThrowingTaskGroup(of: (Int, SiteRun).self) { group in
                for index in batch {
                    let (manifest, store) = manifests[index]
                    let nav = SiteDecisions.runNav(run: manifest.id, decisions: decisions)
                    group.addTask {
                        let written = try await ReportFiles.write(
                            run: manifest.id, from: store, under: runsDirectory, repricing: nil, nav: nav, index: false)
                        return (
                            index, SiteRun(manifest: written.summary.run, points: SitePoint.points(of: written.summary))
                        )
                    }
                }
                var reports: [(Int, SiteRun)] = []
                for try await report in group { reports.append(report) }
                return reports
            }
            for (index, run) in reports {
                made[index] = run
                state.runs[run.manifest.id]?.points = run.points
            }
            outcome.reportsWritten += batch.count
            done += batch.count
            if done % 100 < width && done >= 100 { progress("\(done) of \(toMake.count) run reports made") }
        }
        let runs = made.compactMap { $0 }
        outcome.runs = runs.count

        for decision in decisions {
            try files.put(decision.page, at: SiteLayout.decisionPage(decision.id))
            try files.put(decision.json, at: "\(SiteLayout.decisionDirectory(decision.id))/comparison.json")
        }
        let points = runs.flatMap(\.points)
        let leaderboard = Leaderboard.build(points)
        try files.put(SiteFrontPage.render(leaderboard, runs: runs, decisions: decisions), at: SiteLayout.front)
        try files.put(SiteRunsPage.render(runs, decisions: decisions), at: SiteLayout.runsList)
        for (model, history) in Dictionary(grouping: points, by: \.model) {
            try files.put(SiteModelPage.render(model: model, points: history), at: SiteLayout.modelPage(model))
        }
        for (suite, history) in Dictionary(grouping: points, by: \.suite) {
            try files.put(SiteSuitePage.render(suite: suite, points: history), at: SiteLayout.suitePage(suite))
        }
        try files.put(
            LeaderboardJSON.render(leaderboard, runs: runs, decisions: decisions), at: SiteLayout.leaderboard)
        try files.put(written: SiteLayout.feed) { path in
            try SiteFeed.write(runs, baseURL: baseURL, to: path)
        }

        outcome.filesRemoved = files.removeStale(previous?.files ?? [])
        state.files = files.present.sorted()
        try files.put(try state.encoded(), at: SiteLayout.state)
        outcome.filesWritten = files.written
        outcome.filesUnchanged = files.unchanged
        return outcome
    }

    /// Every run of every store, oldest first, each with the store it is in; and every
    /// decision. A run id in two stores is one run when both hold the same manifest (a store
    /// and its copy), and an error otherwise; a decision id in two, the newer.
    static func gather(_ stores: [any RunStore]) async throws -> (
        [(RunManifest, any RunStore)], [Decision]
    ) {
        var runs: [String: (RunManifest, any RunStore)] = [:]
        var decisions: [String: Decision] = [:]
        for store in stores {
            for manifest in try await store.runs() {
                guard RunManifest.isSafeID(manifest.id) else {
                    throw InputError(
                        file: store.location,
                        "run id '\(manifest.id.prefix(80))' is not a run id: it will not name a directory")
                }
                if let (other, otherStore) = runs[manifest.id] {
                    guard other.startedAt == manifest.startedAt, other.models == manifest.models else {
                        throw InputError(
                            file: store.location,
                            "run \(manifest.id) is also in \(otherStore.location), with other contents: publish one of them, or give the runs distinct ids"
                        )
                    }
                    continue
                }
                runs[manifest.id] = (manifest, store)
            }
            for decision in try await store.decisions() where RunManifest.isSafeID(decision.id) {
                if let other = decisions[decision.id], other.createdAt >= decision.createdAt { continue }
                decisions[decision.id] = decision
            }
        }
        let ordered = runs.values.sorted { ($0.0.startedAt, $0.0.id) < ($1.0.startedAt, $1.0.id) }
        let known = Set(runs.keys)
        let kept = decisions.values.filter { $0.runs.allSatisfy(known.contains) }
            .sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        return (ordered, kept)
    }

    /// What a run's report is made from: its manifest (label, status, traffic), how many
    /// results and attempts it has, and the decisions its page links to.
    static func runKey(_ manifest: RunManifest, store: any RunStore, decisions: [Decision]) async throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .secondsSince1970
        var hasher = SHA256()
        hasher.update(data: Data("site-format-\(SiteState.format)\n".utf8))
        hasher.update(data: try encoder.encode(manifest))
        let counts =
            "\n\(try await store.resultCount(run: manifest.id)) \(try await store.attemptCount(run: manifest.id))\n"
        hasher.update(data: Data(counts.utf8))
        for decision in decisions where decision.runs.contains(manifest.id) {
            hasher.update(data: Data("\(decision.id) \(decision.kind.rawValue) \(decision.title)\n".utf8))
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
