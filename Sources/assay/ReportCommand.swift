import ArgumentParser
import AssayAnalysis
import AssayConfig
import AssayCore
import AssayReports
import AssayStore

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Rebuild a run's report from the store, without calling any model.",
        discussion: """
            Reads the run's results from the store and writes reports/<run-id>/ again (index.html,
            report.xml, junit.xml, summary.json, summary.md) and reports/index.html, printing the
            summary table. RUN is a run id or 'latest'.

            Examples:
              assay report latest
              assay report latest --validate          # and check report.xml against its XSD
              assay report 20261123-161500-3fa2 --reports public/
              assay report --list
              assay report latest --reprice              # today's catalog prices on the run's tokens
              assay report --print-schema > assay-report-1.xsd
            """
    )

    @Argument(help: "The run id, or 'latest'.")
    var run: String?

    @Option(help: ArgumentHelp("The store: a SQLite file, or a postgres:// URL.", valueName: "file|url"))
    var store = Store.defaultPath

    @Option(help: ArgumentHelp("Where reports/<run>/ go.", valueName: "dir"))
    var reports = "reports"

    @Flag(help: "List the runs in the store.")
    var list = false

    @Flag(
        help:
            "Price the run's stored tokens again with the catalog's current prices (after `assay prices import`); the reports say so."
    )
    var reprice = false

    @Option(
        help: ArgumentHelp(
            "The catalog whose prices --reprice uses (default: ./catalog/models.yaml, else the built-in one).",
            valueName: "file"))
    var catalog: String?

    @OptionGroup var costs: CostAssumptionOption

    @Flag(help: "Validate report.xml against its schema (libxml2) after writing it.")
    var validate = false

    @Flag(name: .customLong("print-schema"), help: "Print the XSD of report.xml and exit.")
    var printSchema = false

    func run() async throws {
        if printSchema {
            print(ReportSchema.xsd, terminator: "")
            return
        }
        try await withExitStatus(readingStore: true) {
            let store = try await StoredRuns.open(self.store)
            if list {
                let runs = try await store.runs()
                var rows = [["run", "status", "started", "models", "suites"]]
                for run in runs {
                    rows.append([
                        run.id, run.status.rawValue, SummaryJSON.timestamp(run.startedAt),
                        run.models.joined(separator: ", "),
                        run.suites.map(\.id).joined(separator: ", "),
                    ])
                }
                print(TextTable.render(rows), terminator: "")
                return
            }
            guard let wanted = run else {
                throw InputError("give a run id or 'latest' (`assay report --list` shows the runs)")
            }
            let manifest = try await StoredRuns.manifest(wanted, in: store)
            var repricing: Repricing?
            if reprice {
                let path = catalog ?? CatalogFile.defaultPath
                let source = CatalogFile.source(for: path)
                let name = if case .file(let file) = source { file } else { "the built-in catalog" }
                repricing = Repricing(catalog: try CatalogFile.load(path), source: name)
            } else if catalog != nil {
                throw InputError("--catalog is for --reprice: a report otherwise uses the prices the run ran with")
            }
            if let ratio = try costs.ratio() {
                repricing = Repricing.assumingInput(ratio: ratio, for: manifest.catalog, after: repricing)
            }
            let written = try await ReportFiles.write(
                run: manifest.id, from: store, under: reports, repricing: repricing)
            print(SummaryTable.render(written.summary))
            print("report: \(written.path("index.html"))")
            if validate {
                let problems = ReportSchema.validate(written.path("report.xml"))
                guard problems.isEmpty else {
                    throw InputError(problems.map { Diagnostic(file: written.path("report.xml"), $0) })
                }
                print("report.xml is valid against urn:assay:report:1")
            }
        }
    }
}
