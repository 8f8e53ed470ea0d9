import AssayAnalysis
import AssayCore
import AssayReports
import AssayRuns
import AssayStore
import Foundation
import SystemPackage

/// `assay publish` at scale: a store of `runs` completed runs of `models` models (20 cases of
/// one suite each, tagged in two slices, prices changing every 100 runs), published whole;
/// then one run added and published again. The reference, in the same process and store:
/// every run's summary read from the store (`RunSummary.load`), the least any site of every
/// run must do: one pass over every result.
/// Targets (issue 33): 1,000 runs of 10 models in under a minute and 500 MB; the rebuild
/// after one more run a small fraction of the first.
public enum PublishBenchmark {
    public struct Measurement: Sendable, Codable {
        public var runs: Int
        public var models: Int
        public var results: Int
        public var fillSeconds: Double
        /// The reference: every run's summary read from the store.
        public var reportsSeconds: Double
        public var publishSeconds: Double
        public var republishSeconds: Double
        public var reportsWritten: Int
        public var reportsKept: Int
        public var siteMegabytes: Double
        public var peakRSSMegabytes: Double
    }

    static let cases = 20

    public static func measure(runs: Int, models: Int, directory: String) async throws -> Measurement {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let store = try Store(path: FilePath(directory).appending("bench.sqlite").string)
        let clock = ContinuousClock()
        var start = clock.now
        let start1 = Date(timeIntervalSince1970: 1_796_000_000)
        for index in 0..<runs {
            try await fill(store, index: index, models: models, at: start1.addingTimeInterval(Double(index) * 3600))
        }
        let fillSeconds = (clock.now - start).inSeconds

        start = clock.now
        for manifest in try await store.runs() {
            _ = try await RunSummary.load(run: manifest.id, from: store)
        }
        let reportsSeconds = (clock.now - start).inSeconds

        let site = FilePath(directory).appending("site").string
        start = clock.now
        _ = try await SitePublisher.publish(stores: [store], to: site)
        let publish = (clock.now - start).inSeconds

        try await fill(store, index: runs, models: models, at: start1.addingTimeInterval(Double(runs) * 3600))
        start = clock.now
        let again = try await SitePublisher.publish(stores: [store], to: site)
        let republish = (clock.now - start).inSeconds

        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Measurement(
            runs: runs, models: models, results: (runs + 1) * models * cases, fillSeconds: fillSeconds,
            reportsSeconds: reportsSeconds, publishSeconds: publish, republishSeconds: republish,
            reportsWritten: again.reportsWritten, reportsKept: again.reportsKept, siteMegabytes: megabytes(site),
            peakRSSMegabytes: Double(usage.ru_maxrss) / 1024)
    }

    /// One completed run: `models` models on one 20-case suite, each model right on a share
    /// of its own, its price raised every 100 runs.
    static func fill(_ store: Store, index: Int, models count: Int, at start: Date) async throws {
        let id = String(format: "bench-%05d", index)
        let models = (0..<count).map { "model-\($0)" }
        let catalog = Catalog(
            endpoints: [Endpoint(name: "e", baseURLs: ["http://127.0.0.1:9/v1"])],
            models: models.enumerated().map { offset, model in
                ModelSpec(
                    id: model, family: "Bench", endpoint: "e", capabilities: [.text], contextWindow: 8000,
                    price: Price(
                        inputPerMillion: 0.1 * Double(offset + 1),
                        outputPerMillion: 0.2 * Double(offset + 1 + index / 100),
                        date: "2026-11-23", source: "benchmark"))
            })
        let manifest = RunManifest(
            id: id, plan: nil,
            suites: [
                SuiteRef(
                    id: "intent", path: "synthetic/intent", kind: .classification, grader: .label, cases: cases,
                    labels: ["a", "b"], fingerprint: "bench-intent-1")
            ],
            models: models, epochs: 1, concurrency: 16, catalog: catalog, gitCommit: nil, startedAt: start,
            endedAt: start.addingTimeInterval(60), status: .completed)
        try await store.createRun(manifest)
        var batch: [ItemResult] = []
        for (offset, model) in models.enumerated() {
            for item in 0..<cases {
                let right = (item * 7 + offset * 3 + index) % 20 < 10 + offset
                let latency = 200 + Double((item * 37 + offset * 11 + index) % 400)
                batch.append(
                    ItemResult(
                        runID: id, suiteID: "intent", caseID: "intent-\(item)", model: model, epoch: 1,
                        requestHash: "\(id)-\(model)-\(item)", status: .graded, tags: [item % 2 == 0 ? "en" : "zh"],
                        expected: "a", output: right ? "The label is a." : "The label is b.", finishReason: "stop",
                        grade: Grade(
                            outcome: right ? .pass : .fail, score: right ? 1 : 0, extracted: right ? "a" : "b",
                            evidence: LabelEvidence(expected: "a").evidence),
                        usage: Usage(promptTokens: 120, completionTokens: 8),
                        cost: Cost(amount: 0.00001 * Double(offset + 1), basis: .full),
                        timing: Timing(ttftMs: latency / 4, latencyMs: latency), servedBy: "http://127.0.0.1:9/v1",
                        recordedAt: start))
            }
        }
        try await store.record(batch: batch)
    }

    static func megabytes(_ directory: String) -> Double {
        guard let walker = FileManager.default.enumerator(atPath: directory) else { return 0 }
        var bytes = 0
        while let next = walker.nextObject() as? String {
            bytes += (try? FileManager.default.attributesOfItem(atPath: directory + "/" + next)[.size] as? Int) ?? 0
        }
        return Double(bytes) / 1_048_576
    }

    public static func text(_ m: Measurement) -> String {
        var out = "publish benchmark: \(m.runs) runs of \(m.models) models (\(m.results) results), one store\n"
        out += String(format: "  fill                       %7.2f s\n", m.fillSeconds)
        out += String(format: "  reference: every run's summary read  %7.2f s\n", m.reportsSeconds)
        out += String(
            format: "  publish (site + every report)    %7.2f s   %.2fx the reference   target < 60 s: %@\n",
            m.publishSeconds, m.publishSeconds / max(m.reportsSeconds, 0.001), m.publishSeconds < 60 ? "met" : "MISSED")
        out += String(
            format: "  publish again after one more run %7.2f s   %.3fx the first   (%d report made, %d kept)\n",
            m.republishSeconds, m.republishSeconds / max(m.publishSeconds, 0.001), m.reportsWritten, m.reportsKept)
        out += String(
            format: "  peak RSS %.1f MB (target < 500 MB: %@); site %.1f MB\n", m.peakRSSMegabytes,
            m.peakRSSMegabytes < 500 ? "met" : "MISSED", m.siteMegabytes)
        return out
    }
}
