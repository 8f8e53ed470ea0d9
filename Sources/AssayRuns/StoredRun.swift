import AssayAnalysis
import AssayCore
import AssayStore

// Runs read back from the store for analysis: the one place where the statistics (which
// know nothing of SQLite) meet the store. Results stream through, one at a time.

extension RunSummary {
    /// Reads the run's results from the store, one at a time, and aggregates them.
    /// With `repricing`, every answer's cost is computed again from its stored usage.
    public static func load(run id: String, from store: any RunStore, repricing: Repricing? = nil) async throws
        -> RunSummary
    {
        let stored = try await StoredRun.manifest(id, in: store)
        let manifest = repricing?.manifest(stored) ?? stored
        var summary = try await store.withResults(run: id) { cursor in
            var accumulator = Accumulator(manifest: manifest)
            while let result = try cursor.next() { accumulator.add(repricing?.result(result) ?? result) }
            return accumulator.summary
        }
        summary.attempts = try await AttemptSummary.load(run: id, order: manifest.models, from: store)
        return summary
    }
}

extension AttemptSummary {
    /// The run's attempts, per model (in `order`, the run's) and per base URL.
    public static func load(run id: String, order: [String] = [], from store: any RunStore) async throws
        -> AttemptSummary
    {
        try await store.withAttempts(run: id) { cursor in
            var accumulator = Accumulator()
            while let row = try cursor.next() { accumulator.add(row) }
            return accumulator.summary(order: order)
        }
    }
}

extension Side {
    /// `model`'s own results in run `runID` (a fallback's answers for another model are not
    /// its own and are left out).
    /// With `inputRatio`, models without an input price are costed with one assumed at that
    /// ratio of their output price (`--assume-input-ratio`).
    public static func load(run runID: String, model: String, from store: any RunStore, inputRatio: Double? = nil)
        async throws -> Side
    {
        let manifest = try await StoredRun.manifest(runID, in: store)
        let kinds = Dictionary(manifest.suites.map { ($0.id, $0.kind) }, uniquingKeysWith: { first, _ in first })
        let assumed = inputRatio.map { Repricing.assumingInput(ratio: $0, for: manifest.catalog) }
        let records = try await store.withResults(run: runID) { cursor in
            var records: [ItemKey: ItemRecord] = [:]
            while let stored = try cursor.next() {
                guard stored.model == model, stored.fallbackFor == nil else { continue }
                let result = assumed?.result(stored) ?? stored
                let record = ItemRecord(result, kind: kinds[result.suiteID])
                records[record.key] = record
            }
            return records
        }
        guard !records.isEmpty else {
            let models = manifest.models.joined(separator: ", ")
            throw InputError(
                file: store.location, "run \(runID) has no results for model '\(model)' (its models: \(models))")
        }
        let attempts = try await AttemptSummary.load(run: runID, from: store).model(model)
        return Side(
            label: "\(runID)@\(model)", records: records, suites: manifest.suites.map(\.id), attempts: attempts,
            costAssumption: assumed?.assumption)
    }
}

extension RouteSimulation {
    /// Every model's results in a run, by model id (a fallback's answers for another model
    /// left out), each with the attempts its requests made.
    /// With `inputRatio`, models without an input price are costed with one assumed at that
    /// ratio of their output price (`--assume-input-ratio`).
    public static func results(
        of manifest: RunManifest, from store: any RunStore, inputRatio: Double? = nil
    ) async throws -> [String: [ItemKey: ItemRecord]] {
        let assumed = inputRatio.map { Repricing.assumingInput(ratio: $0, for: manifest.catalog) }
        let kinds = Dictionary(manifest.suites.map { ($0.id, $0.kind) }, uniquingKeysWith: { first, _ in first })
        let attempts = try await store.withAttempts(run: manifest.id) { cursor in
            var counts: [WorkKey: (attempts: Int, succeeded: Int)] = [:]
            while let row = try cursor.next() {
                counts[row.key, default: (0, 0)].attempts += 1
                if row.attempt.succeeded { counts[row.key, default: (0, 0)].succeeded += 1 }
            }
            return counts
        }
        return try await store.withResults(run: manifest.id) { cursor in
            var byModel: [String: [ItemKey: ItemRecord]] = [:]
            while let stored = try cursor.next() {
                guard stored.fallbackFor == nil else { continue }
                let result = assumed?.result(stored) ?? stored
                var record = ItemRecord(result, kind: kinds[result.suiteID])
                if let sent = attempts[result.key] {
                    record.attempts = sent.attempts
                    record.succeededAttempts = sent.succeeded
                }
                byModel[result.model, default: [:]][record.key] = record
            }
            return byModel
        }
    }
}

enum StoredRun {
    static func manifest(_ id: String, in store: any RunStore) async throws -> RunManifest {
        guard let manifest = try await store.run(id) else {
            throw InputError(file: store.location, "no run '\(id)' in the store (`assay report --list` shows the runs)")
        }
        return manifest
    }
}
