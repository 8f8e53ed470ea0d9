import ArgumentParser
import AssayAnalysis
import AssayCore
import AssayGraders
import AssayProviders
import AssayReports
import AssayRunner
import AssayStore
import Foundation

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run suites against models; grade, store and summarise every answer.",
        discussion: """
            Every case of every suite is sent to every model (epochs times), graded by the suite's
            grader and stored in the SQLite store as soon as it is graded. At the end, a summary
            table is printed and reports/<run-id>/ gets index.html (the report to read),
            report.xml (validated by its XSD), junit.xml, summary.json and summary.md.

            API keys come from the environment variables the catalog names (`assay models` lists
            them); a missing one stops the run before the first request.

            Examples:
              assay run --plan plans/local.yaml
              assay run --suite evalsets/smoke-sentiment --model v4-flash --model qwen3-8b
              assay run --plan plans/local.yaml --base-url local=http://127.0.0.1:9000/v1 --epochs 3

            Exit code 3 when some requests failed (they count as wrong answers), 2 for bad input.
            """
    )

    @OptionGroup var options: RunOptions

    @Flag(help: "Print no progress.")
    var quiet = false

    func run() async throws {
        try await withExitStatus {
            let plan = try options.resolvedPlan()
            let setup = try await RunSetup.prepare(plan)
            if setup.sandbox?.isSandboxed == false {
                Terminal.note("warning: bubblewrap is unavailable; model-written code runs UNSANDBOXED (--unsafe-no-sandbox)")
            }
            let store = try Store(path: plan.store)
            let clients = try await EndpointClients.make(
                endpoints: setup.endpoints, environment: ProcessInfo.processInfo.environment,
                connectionsPerHost: plan.concurrency)
            let progress = ProgressPrinter(enabled: !quiet, live: Terminal.standardErrorIsTTY)
            let manifest: RunManifest
            do {
                let runner = Runner(setup: setup, store: store, providers: clients.providers)
                manifest = try await runner.run(onEvent: progress.handle)
                progress.stop()
                await clients.shutdown()
            } catch {
                progress.stop()
                await clients.shutdown()
                throw error
            }
            let written = try await ReportFiles.write(run: manifest.id, from: store, under: plan.reports)
            let summary = written.summary
            print(SummaryTable.render(summary))
            print("run \(manifest.id) \(manifest.status.rawValue); stored in \(plan.store)")
            print("report: \(written.path("index.html"))")
            print("also: report.xml, junit.xml, summary.json, summary.md in \(written.directory)")
            let errors = summary.models.reduce(0) { $0 + $1.overall.errors }
            if errors > 0 || manifest.status != .completed {
                Terminal.note(
                    "run incomplete: \(errors) request\(errors == 1 ? "" : "s") failed and count as wrong answers"
                        + (manifest.status != .completed ? " (run \(manifest.status.rawValue))" : ""))
                throw ExitStatus.incomplete
            }
        }
    }
}
