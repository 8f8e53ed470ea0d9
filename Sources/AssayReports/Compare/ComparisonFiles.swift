import AssayAnalysis
import AssayCore
import Foundation
import SystemPackage

/// Writes a comparison's files into one directory: index.html (to read), comparison.json
/// (for machines), summary.md (for a CI step summary or a pull-request comment), and,
/// when a gate judged it, junit.xml (a test case per rule).
public enum ComparisonFiles {
    public static func write(
        _ comparison: Comparison, verdicts: [Gate.Verdict]? = nil, routes: [RouteSimulation] = [], to directory: String
    ) throws(InputError) -> [String] {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw InputError(file: directory, "cannot create the report directory: \(error.localizedDescription)")
        }
        func path(_ name: String) -> String { FilePath(directory).appending(name).string }
        try ReportFiles.writeText(
            ComparisonHTML.render(comparison, verdicts: verdicts, routes: routes), to: path("index.html"))
        try ReportFiles.writeText(
            ComparisonJSON.render(comparison, verdicts: verdicts, routes: routes), to: path("comparison.json"))
        try ReportFiles.writeText(
            ComparisonMarkdown.render(comparison, verdicts: verdicts, routes: routes), to: path("summary.md"))
        var written = ["index.html", "comparison.json", "summary.md"]
        if let verdicts {
            do {
                try GateJUnit.write(
                    verdicts, name: "\(comparison.base) -> \(comparison.candidate)", to: path("junit.xml.partial"))
            } catch {
                throw InputError(file: error.path, error.message)
            }
            try ReportFiles.move(path("junit.xml.partial"), to: path("junit.xml"))
            written.append("junit.xml")
        }
        return written.map(path)
    }

    /// The decision to keep in the store: the page as a published site shows it (with links
    /// back to the site and to the runs it read) and comparison.json. `naming`: what makes
    /// the decision itself (its sides, its policy): asked again, it replaces the last.
    public static func decision(
        _ comparison: Comparison, kind: Decision.Kind, naming: [String], runs: [String],
        verdicts: [Gate.Verdict]? = nil, routes: [RouteSimulation] = [], at date: Date = Date()
    ) -> Decision {
        var decision = Decision(
            id: Decision.id(kind: kind, naming: naming), kind: kind,
            title: "\(comparison.base) → \(comparison.candidate)", runs: runs, createdAt: date,
            passed: verdicts.map { $0.allSatisfy(\.passed) }, page: "",
            json: ComparisonJSON.render(comparison, verdicts: verdicts, routes: routes))
        decision.page = ComparisonHTML.render(
            comparison, verdicts: verdicts, routes: routes, nav: SiteDecisions.decisionNav(decision))
        return decision
    }
}
