import AssayAnalysis
import AssayCore
import AssayRuns
import AssayStore
import Foundation
import SystemPackage

/// Writes a run's reports under `reports/<run-id>/`: index.html, report.xml, junit.xml,
/// summary.json and summary.md, and refreshes `reports/index.html`.
///
/// Two passes over the store, each one result at a time: the summary, then every item into
/// report.xml, junit.xml and the HTML drill-down together. Files appear whole or not at
/// all (each is written aside and renamed).
public enum ReportFiles {
    public static let fileNames = ["index.html", "report.xml", "junit.xml", "summary.json", "summary.md"]

    /// The HTML drill-down shows at most this many items.
    public static let drillDownLimit = 2_000

    public struct Written: Sendable {
        public var directory: String
        public var summary: RunSummary

        public func path(_ name: String) -> String { FilePath(directory).appending(name).string }
    }

    /// With `repricing`, costs are computed again from each answer's stored usage with other
    /// prices (`assay report --reprice`), and the reports say so.
    public static func write(
        run id: String, from store: any RunStore, under reportsDirectory: String, repricing: Repricing? = nil
    ) async throws -> Written {
        try await write(run: id, from: store, under: reportsDirectory, repricing: repricing, nav: .empty, index: true)
    }

    /// `nav`: links the page shows under its title (a published site's way back, and its
    /// decisions on the run); `index`: whether to refresh `index.html` beside the run's folder.
    static func write(
        run id: String, from store: any RunStore, under reportsDirectory: String, repricing: Repricing?, nav: HTML,
        index: Bool
    ) async throws -> Written {
        let summary = try await RunSummary.load(run: id, from: store, repricing: repricing)
        guard RunManifest.isSafeID(summary.run.id) else {
            throw InputError(
                file: store.location,
                "run id '\(summary.run.id.prefix(80))' is not a run id (letters, digits, '.', '_', '-'): it will not name a directory"
            )
        }
        let directory = FilePath(reportsDirectory).appending(summary.run.id).string
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw InputError(file: directory, "cannot create the report directory: \(error.localizedDescription)")
        }
        func path(_ name: String) -> String { FilePath(directory).appending(name).string }
        try writeText(SummaryJSON.render(summary), to: path("summary.json"))
        try writeText(SummaryMarkdown.render(summary), to: path("summary.md"))

        let total = summary.models.reduce(0) { $0 + $1.overall.n + $1.overall.unsupported }
        let groups = summary.models.reduce(0) { $0 + $1.suites.count }
        let xmlPath = path("report.xml"), junitPath = path("junit.xml")
        // Each writer its own partial file, renamed over the last: workers of a shared run
        // that finish together may write one report directory at the same moment.
        let partial = ".partial-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
        var drillDown = try await store.withResults(run: summary.run.id) { cursor in
            let xml = try ReportXML(path: xmlPath + partial, summary: summary, items: total)
            let junit = try JUnitXML(path: junitPath + partial, summary: summary)
            var drillDown = DrillDown(
                maximum: drillDownLimit, groups: groups,
                prices: Dictionary(
                    summary.models.compactMap { model in model.price.map { (model.model, $0) } },
                    uniquingKeysWith: { first, _ in first }))
            while let stored = try cursor.next() {
                let result = repricing?.result(stored) ?? stored
                xml.add(result)
                junit.add(result)
                drillDown.consider(result)
            }
            try xml.finish()
            try junit.finish()
            return drillDown
        }
        try move(xmlPath + partial, to: xmlPath)
        try move(junitPath + partial, to: junitPath)

        // Results keep their prompt; older stores have it only in the response cache.
        let older = drillDown.items.filter { $0.prompt == nil && !$0.requestHash.isEmpty }.map(\.requestHash)
        if !older.isEmpty {
            let bodies = try await store.requestBodies(hashes: older)
            drillDown.attachPrompts { hash in bodies[hash].map(PromptText.fromRequestBody) }
        }
        try writeText(HTMLReport.render(summary, drillDown: drillDown, nav: nav), to: path("index.html"))
        if index { try await ReportIndex.write(under: reportsDirectory, store: store) }
        return Written(directory: directory, summary: summary)
    }

    static func writeText(_ text: String, to path: String) throws(InputError) {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw InputError(file: path, "cannot write the report: \(error.localizedDescription)")
        }
    }

    /// rename(2): replaces what is at `path` in one step, so a reader never finds it missing.
    static func move(_ from: String, to path: String) throws(InputError) {
        guard rename(from, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: from)
            throw InputError(file: path, "cannot write the report: \(reason)")
        }
    }
}

/// The text of a cached request, for results stored without their prompt: written as a
/// result's own prompt is (`Transcript`: images as `[image]`, clips as `[audio]`; their bytes
/// stay in the store).
enum PromptText {
    static func fromRequestBody(_ body: String) -> String {
        guard let request = try? JSONDecoder().decode(JSONValue.self, from: Data(body.utf8)),
            let messages = request["messages"]?.arrayValue
        else { return body }
        return Transcript.text(
            of: messages.map { message in
                let parts: [ContentPart] =
                    if let text = message["content"]?.stringValue { [.text(text)] } else {
                        (message["content"]?.arrayValue ?? []).map(part)
                    }
                return (role: message["role"]?.stringValue ?? "?", parts: parts)
            })
    }

    /// A content part of the wire's request body, typed.
    static func part(_ json: JSONValue) -> ContentPart {
        switch json["type"]?.stringValue {
        case "image_url": .imageURL(json["image_url"]?["url"]?.stringValue ?? "")
        case "input_audio":
            .inputAudio(
                data: json["input_audio"]?["data"]?.stringValue ?? "",
                format: json["input_audio"]?["format"]?.stringValue ?? "")
        default: .text(json["text"]?.stringValue ?? "")
        }
    }
}

extension DrillDown {
    /// Fills in the prompts the results did not keep.
    mutating func attachPrompts(_ prompt: (String) -> String?) {
        mapItems { item in
            guard item.prompt == nil else { return item }
            var copy = item
            copy.prompt = prompt(item.requestHash).map { HTMLText.truncated($0, Self.textLimit) }
            return copy
        }
    }
}
