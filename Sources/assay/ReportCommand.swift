import ArgumentParser
import AssayAnalysis
import AssayCore
import AssayReports
import AssayStore
import Foundation

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Rebuild a run's report from the store, without calling any model.",
        discussion: """
            Reads the run's results from the store and writes reports/<run-id>/summary.json again,
            printing the summary table. RUN is a run id or 'latest'.

            Examples:
              assay report latest
              assay report 20261123-161500-3fa2 --reports public/
              assay report --list
            """
    )

    @Argument(help: "The run id, or 'latest'.")
    var run: String?

    @Option(help: ArgumentHelp("The SQLite store.", valueName: "file"))
    var store = Store.defaultPath

    @Option(help: ArgumentHelp("Where reports/<run>/ go.", valueName: "dir"))
    var reports = "reports"

    @Flag(help: "List the runs in the store.")
    var list = false

    func run() async throws {
        try await withExitStatus {
            guard FileManager.default.fileExists(atPath: store) else {
                throw InputError(file: store, "no store here; `assay run` creates it, or pass --store FILE")
            }
            let store = try Store(path: self.store)
            let runs = try await store.runs()
            if list {
                var rows = [["run", "status", "started", "models", "suites"]]
                for run in runs {
                    rows.append([
                        run.id, run.status.rawValue, SummaryJSON.timestamp(run.startedAt), run.models.joined(separator: ", "),
                        run.suites.map(\.id).joined(separator: ", "),
                    ])
                }
                print(TextTable.render(rows), terminator: "")
                return
            }
            guard let wanted = run else {
                throw InputError("give a run id or 'latest' (`assay report --list` shows the runs)")
            }
            let id = wanted == "latest" ? runs.first?.id : wanted
            guard let id else { throw InputError(file: self.store, "the store has no runs yet") }
            let summary = try await RunSummary.load(run: id, from: store)
            print(SummaryTable.render(summary))
            print("summary: \(try ReportFiles.write(summary, under: reports))")
        }
    }
}
