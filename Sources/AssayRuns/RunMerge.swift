import AssayCore
import AssayStore
import Foundation

/// Joins the stores of a sharded run (`assay run --shard K/N`, one store per CI job) into one
/// store, where reports, compare, gate and route read it as one run.
///
/// Every run id found in the inputs is merged. Its manifests must agree (suites, models,
/// epochs, settings but the shard, the catalog and its prices, the commit): shards of
/// different plans are not one run, and the error names the first difference. Each work item
/// keeps one result: a completed one (graded, unsupported, fell back) over a failed request;
/// two completed answers to one item are an error unless they are the same result (a store
/// merged with a copy of itself) or `prefer` says which store wins (inputs in the order given).
/// Every attempt is kept, once (an attempt found whole in two inputs is one attempt), and the
/// response caches are joined. Conflicts are found before anything is written.
///
/// A manifest found twice unchanged (a copy) is one shard: its traffic is not counted twice.
public enum RunMerge {
    public enum Preference: String, Sendable, CaseIterable {
        case first, last
    }

    public struct Outcome: Sendable {
        public var runs: [String]
        public var results = 0
        /// Items found in more than one input (resolved as above).
        public var duplicates = 0
        public var attempts = 0
        public var cacheEntries = 0
    }

    /// With `only`, just those runs (each must be in an input).
    public static func merge(
        _ inputs: [any RunStore], into target: any RunStore, prefer: Preference? = nil, only: Set<String>? = nil
    ) async throws -> Outcome {
        let (byRun, order) = try await manifests(in: inputs, only: only)
        try await checkRuns(order, byRun, inputs: inputs, target: target, only: only)
        var outcome = Outcome(runs: order)
        for id in order {
            let sources = byRun[id] ?? []
            let winners = try await chooseResults(
                run: id, sources: sources, inputs: inputs, prefer: prefer, outcome: &outcome)
            try await copy(run: id, sources: sources, winners: winners, inputs: inputs, into: target, outcome: &outcome)
        }
        for store in inputs { outcome.cacheEntries += try await target.copyCache(from: store) }
        return outcome
    }

    /// A run's manifest as one input holds it (`store`: the input's index).
    typealias Shard = (store: Int, manifest: RunManifest)
    /// The input whose result an item keeps; `digest`, the result's hash, tells the same result
    /// found twice from two answers.
    typealias Winner = (store: Int, completed: Bool, digest: Int)

    /// Each run's manifests by run id, and the run ids in the order first found.
    private static func manifests(in inputs: [any RunStore], only: Set<String>?) async throws -> (
        byRun: [String: [Shard]], order: [String]
    ) {
        var byRun: [String: [Shard]] = [:]
        var order: [String] = []
        for (index, store) in inputs.enumerated() {
            for manifest in try await store.runs().reversed() where only?.contains(manifest.id) ?? true {
                if byRun[manifest.id] == nil { order.append(manifest.id) }
                byRun[manifest.id, default: []].append((index, manifest))
            }
        }
        return (byRun, order)
    }

    /// Throws unless every run asked for is found, each run's shards are of one plan, and the
    /// target holds none of the runs yet.
    private static func checkRuns(
        _ order: [String], _ byRun: [String: [Shard]], inputs: [any RunStore], target: any RunStore, only: Set<String>?
    ) async throws {
        var problems: [Diagnostic] = []
        for missing in (only ?? []).subtracting(order).sorted() {
            problems.append(
                Diagnostic(
                    file: inputs.first?.location ?? "merge",
                    "no run '\(missing)' here (`assay report --list` shows the runs)"))
        }
        if !problems.isEmpty { throw InputError(problems) }
        guard !order.isEmpty else {
            throw InputError(file: inputs.first?.location ?? "merge", "no run in the stores to merge")
        }
        for id in order {
            guard let first = byRun[id]?.first else { continue }
            for other in byRun[id]?.dropFirst() ?? [] {
                if let difference = difference(first.manifest, other.manifest) {
                    problems.append(
                        Diagnostic(
                            file: inputs[other.store].location,
                            "run \(id) is not the run in \(inputs[first.store].location): \(difference)"))
                }
            }
            if try await target.run(id) != nil {
                problems.append(
                    Diagnostic(
                        file: target.location,
                        "run \(id) is already in this store: copy or merge into a store without it"))
            }
        }
        if !problems.isEmpty { throw InputError(problems) }
    }

    /// Pass 1: which input's result each item keeps. Throws (the first 20 conflicts) when two
    /// inputs answered an item differently and `prefer` does not say which wins.
    private static func chooseResults(
        run id: String, sources: [Shard], inputs: [any RunStore], prefer: Preference?, outcome: inout Outcome
    ) async throws -> [ItemSlot: Winner] {
        var problems: [Diagnostic] = []
        var winners: [ItemSlot: Winner] = [:]
        for source in sources {
            var after: Int64 = 0
            while true {
                let (page, last) = try await inputs[source.store].results(run: id, after: after)
                guard !page.isEmpty else { break }
                after = last
                for result in page {
                    let slot = ItemSlot(result)
                    let completed = result.status != .error
                    let digest = result.hashValue
                    guard let held = winners[slot] else {
                        winners[slot] = (source.store, completed, digest)
                        continue
                    }
                    outcome.duplicates += 1
                    switch (held.completed, completed) {
                    case (false, true): winners[slot] = (source.store, true, digest)
                    case (true, true) where held.digest == digest:
                        break  // the same result, found twice: nothing to choose
                    case (true, true):
                        switch prefer {
                        case .first?: break
                        case .last?: winners[slot] = (source.store, true, digest)
                        case nil:
                            problems.append(
                                Diagnostic(
                                    file: inputs[source.store].location,
                                    "run \(id): \(slot) was answered in \(inputs[held.store].location) too: give --prefer first or --prefer last"
                                ))
                        }
                    default: break
                    }
                }
            }
        }
        if !problems.isEmpty { throw InputError(Array(problems.prefix(20))) }
        return winners
    }

    /// Pass 2: writes the run, the winning results, every attempt (once).
    private static func copy(
        run id: String, sources: [Shard], winners: [ItemSlot: Winner], inputs: [any RunStore],
        into target: any RunStore, outcome: inout Outcome
    ) async throws {
        try await target.createRun(merged(sources.map(\.manifest)))
        var attemptsSeen = Set<AttemptRow>()
        for source in sources {
            var after: Int64 = 0
            while true {
                let (page, last) = try await inputs[source.store].results(run: id, after: after)
                guard !page.isEmpty else { break }
                after = last
                let kept = page.filter { winners[ItemSlot($0)]?.store == source.store }
                try await target.record(batch: kept)
                outcome.results += kept.count
            }
            var attemptsAfter: Int64 = 0
            while true {
                let (page, last) = try await inputs[source.store].attempts(run: id, after: attemptsAfter)
                guard !page.isEmpty else { break }
                attemptsAfter = last
                let fresh = page.filter { attemptsSeen.insert($0).inserted }
                if !fresh.isEmpty { try await target.record(attempts: fresh) }
                outcome.attempts += fresh.count
            }
        }
    }

    /// A result's place in its run: the work item, and for a fallback's answer the primary.
    struct ItemSlot: Hashable, CustomStringConvertible {
        var suite: String
        var caseID: String
        var model: String
        var epoch: Int
        var fallbackFor: String

        init(_ result: ItemResult) {
            suite = result.suiteID
            caseID = result.caseID
            model = result.model
            epoch = result.epoch
            fallbackFor = result.fallbackFor ?? ""
        }

        var description: String {
            "\(suite)/\(caseID) on \(model) (epoch \(epoch)\(fallbackFor.isEmpty ? "" : ", for \(fallbackFor)"))"
        }
    }

    /// What makes two manifests different runs, in words; nil when they are shards of one.
    static func difference(_ a: RunManifest, _ b: RunManifest) -> String? {
        func suites(_ manifest: RunManifest) -> [String] {
            manifest.suites.map { "\($0.id) (\($0.kind.rawValue), \($0.cases) cases)" }
        }
        if suites(a) != suites(b) {
            return
                "the suites differ: \(suites(a).joined(separator: ", ")) against \(suites(b).joined(separator: ", "))"
        }
        if a.models != b.models {
            return "the models differ: \(a.models.joined(separator: ", ")) against \(b.models.joined(separator: ", "))"
        }
        if a.epochs != b.epochs { return "the epochs differ: \(a.epochs) against \(b.epochs)" }
        if a.gitCommit != b.gitCommit {
            return "the commits differ: \(a.gitCommit ?? "none") against \(b.gitCommit ?? "none")"
        }
        if json(a.catalog) != json(b.catalog) { return "the catalogs (or their prices) differ" }
        var left = a.settings, right = b.settings
        left?.shard = nil
        right?.shard = nil
        if json(left) != json(right) {
            return "the settings differ (generation, cache, limits, retries, fallbacks or load)"
        }
        return nil
    }

    static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    /// One manifest for the joined run: the first shard's, without a shard, started when the
    /// first shard started, ended when the last ended, the endpoints' traffic summed, and
    /// complete only when every shard completed.
    static func merged(_ manifests: [RunManifest]) -> RunManifest {
        // A copy of a store holds the same manifest: one shard, not two.
        var seen = Set<String>()
        let manifests = manifests.filter { seen.insert(json($0)).inserted }
        var merged = manifests[0]
        merged.settings?.shard = nil
        merged.startedAt = manifests.map(\.startedAt).min() ?? merged.startedAt
        let ends = manifests.compactMap(\.endedAt)
        merged.endedAt = ends.count == manifests.count ? ends.max() : nil
        let rank: [RunManifest.Status] = [.completed, .running, .budgetStopped, .interrupted, .failed]
        merged.status =
            manifests.map(\.status).max { (rank.firstIndex(of: $0) ?? 0) < (rank.firstIndex(of: $1) ?? 0) }
            ?? .completed
        merged.traffic = manifests.dropFirst().reduce(manifests[0].traffic ?? []) {
            EndpointTraffic.merge($0, $1.traffic ?? [])
        }
        if merged.traffic?.isEmpty == true { merged.traffic = nil }
        merged.load = nil
        return merged
    }
}
