import AssayAnalysis
import AssayCore
import AssayReports
import AssayStore
import Foundation
import SystemPackage

/// Fills stores with 100k and 1M synthetic results and renders every report of each, each
/// size in a child process of its own (so that its peak RSS is its own), and prints the
/// time ratio (target: 1M at most 11 times 100k) and the peak RSS (target: at most 500 MB).
/// With a PostgreSQL store, the same from a shared store (issue 37's target: 200k results
/// under 150 MB, the results streamed as SQLite's are).
public enum ReportScaleBenchmark {
    public struct Measurement: Sendable, Codable {
        /// "SQLite" or "PostgreSQL".
        public var backend: String
        public var items: Int
        public var fillSeconds: Double
        public var renderSeconds: Double
        public var peakRSSMegabytes: Double
        public var htmlBytes: Int
        public var xmlBytes: Int
        public var xmlValid: Bool
    }

    /// One size, in this process: fill a store at `directory`, render everything, measure.
    public static func measure(items: Int, directory: String, postgres: String? = nil) async throws -> Measurement {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let store: any RunStore
        if let postgres {
            store = try await StoreLocation.open(postgres)
        } else {
            store = try Store(path: FilePath(directory).appending("bench.sqlite").string)
        }
        defer { Task { await store.close() } }
        let clock = ContinuousClock()
        var start = clock.now
        let runID = try await fill(
            store, items: items,
            id: postgres == nil ? "bench-\(items)" : "bench-\(items)-\(UUID().uuidString.prefix(8).lowercased())")
        let fill = (clock.now - start).inSeconds
        start = clock.now
        let written = try await ReportFiles.write(
            run: runID, from: store, under: FilePath(directory).appending("reports").string)
        let render = (clock.now - start).inSeconds
        let valid = ReportSchema.validate(written.path("report.xml")).isEmpty
        func size(_ name: String) -> Int {
            (try? FileManager.default.attributesOfItem(atPath: written.path(name))[.size] as? Int) ?? 0
        }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Measurement(
            backend: postgres == nil ? "SQLite" : "PostgreSQL", items: items, fillSeconds: fill, renderSeconds: render,
            peakRSSMegabytes: Double(usage.ru_maxrss) / 1024,
            htmlBytes: size("index.html"), xmlBytes: size("report.xml"), xmlValid: valid)
    }

    static let models = ["model-a", "model-b", "model-c", "model-d"]
    static let suites: [(id: String, kind: SuiteKind, grader: GraderName)] = [
        ("classify", .classification, .label), ("math", .math, .numeric), ("code", .code, .code), ("ocr", .ocr, .ocr),
    ]

    /// A completed run of `items` results spread over 4 models and 4 suites. One function (65
    /// lines): the synthetic run's manifest and its results, written as one fixture.
    static func fill(_ store: any RunStore, items: Int, id: String) async throws -> String {
        let perGroup = max(1, items / (models.count * suites.count))
        let price = Price(inputPerMillion: nil, outputPerMillion: 0.5, date: "2026-11-23", source: "benchmark")
        let catalog = Catalog(
            endpoints: [Endpoint(name: "e", baseURLs: ["http://127.0.0.1:9/v1"])],
            models: models.map {
                ModelSpec(
                    id: $0, family: "Bench", endpoint: "e", capabilities: [.text, .vision], contextWindow: 1000,
                    price: price)
            })
        let manifest = RunManifest(
            id: id, plan: nil,
            suites: suites.map {
                SuiteRef(
                    id: $0.id, path: "synthetic/\($0.id)", kind: $0.kind, grader: $0.grader, cases: perGroup,
                    labels: $0.kind == .classification ? ["pos", "neg"] : nil)
            },
            models: models, epochs: 1, concurrency: 64, catalog: catalog, gitCommit: nil, status: .completed)
        try await store.createRun(manifest)
        var generator = SystemRandomNumberGenerator()
        var batch: [ItemResult] = []
        batch.reserveCapacity(10_000)
        for (modelIndex, model) in models.enumerated() {
            for suite in suites {
                for index in 0..<perGroup {
                    let right = Int.random(in: 0..<100, using: &generator) < 55 + modelIndex * 10
                    let evidence: [String: JSONValue] =
                        switch suite.kind {
                        case .classification: LabelEvidence(expected: index % 2 == 0 ? "pos" : "neg").evidence
                        case .ocr:
                            OCREvidence(
                                characterEdits: right ? 0 : 3, referenceCharacters: 40, wordEdits: right ? 0 : 1,
                                referenceWords: 8,
                                cer: right ? 0 : 0.075
                            ).evidence
                        default: [:]
                        }
                    let truth = index % 2 == 0 ? "pos" : "neg"
                    let latency = Double.random(in: 200...2000, using: &generator)
                    batch.append(
                        ItemResult(
                            runID: manifest.id, suiteID: suite.id, caseID: String(format: "%@-%07d", suite.id, index),
                            model: model, epoch: 1,
                            requestHash: "\(model)-\(suite.id)-\(index)", status: .graded,
                            expected: suite.kind == .classification ? truth : "42",
                            output:
                                "The answer, after some thought, is \(right ? 42 : 41). This line pads the output like a model would.",
                            finishReason: "stop",
                            grade: Grade(
                                outcome: right ? .pass : .fail, score: right ? 1 : 0,
                                extracted: suite.kind == .classification ? (right ? truth : "other") : "42",
                                rule: "synthetic", evidence: evidence),
                            usage: Usage(promptTokens: 120, completionTokens: 40),
                            cost: Cost(amount: 0.00002, basis: .outputOnly),
                            timing: Timing(ttftMs: latency / 5, latencyMs: latency), servedBy: "http://127.0.0.1:9/v1"))
                    if batch.count == 10_000 {
                        try await store.record(batch: batch)
                        batch.removeAll(keepingCapacity: true)
                    }
                }
            }
        }
        if !batch.isEmpty { try await store.record(batch: batch) }
        try await store.finishRun(manifest.id, status: .completed)
        return manifest.id
    }

    public static func text(_ measurements: [Measurement]) -> String {
        var out =
            "report scale benchmark: every report (HTML, XML + XSD validation, JUnit, JSON, Markdown) from the store\n"
        for m in measurements {
            out += String(
                format:
                    "  %-10@ %9d items  render %7.2f s  peak RSS %6.1f MB  index.html %6.1f KB  report.xml %7.1f MB  %@\n",
                m.backend, m.items,
                m.renderSeconds, m.peakRSSMegabytes, Double(m.htmlBytes) / 1024, Double(m.xmlBytes) / 1_048_576,
                m.xmlValid ? "valid" : "INVALID")
        }
        for backend in ["SQLite", "PostgreSQL"] {
            let runs = measurements.filter { $0.backend == backend }
            guard let small = runs.first, let large = runs.last else { continue }
            if runs.count >= 2 {
                out += String(
                    format: "  %@: time ratio %.2fx for %.0fx the items (target: at most 11x)\n", backend,
                    large.renderSeconds / small.renderSeconds,
                    Double(large.items) / Double(small.items))
            }
            let target = backend == "SQLite" ? "at most 500 MB" : "under 150 MB at 200,000"
            out += String(
                format: "  %@: peak RSS %.1f MB at %d items (target: %@)\n", backend, large.peakRSSMegabytes,
                large.items, target)
        }
        return out
    }
}
