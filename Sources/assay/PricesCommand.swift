import ArgumentParser
import AssayAnalysis
import AssayConfig
import AssayCore
import AssayReports
import Foundation

struct PricesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prices",
        abstract: "Keep the catalog's prices current from a maintained price map.",
        subcommands: [Import.self]
    )

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract:
                "Fill the catalog's prices from LiteLLM's price map: shows the changes, writes them with --write.",
            discussion: """
                LiteLLM's model_prices_and_context_window.json is the price map most LLM tooling
                reads (input, cached-input and output prices per provider and model). It ships in
                the PyPI package litellm:

                  pip download litellm --no-deps -d /tmp/litellm && cd /tmp/litellm && \\
                    unzip -o litellm-*.whl litellm/model_prices_and_context_window_backup.json

                A catalog model takes its price from the entry it names:

                  - {id: deepseek-v3.2, ..., prices_from: {litellm: "deepinfra/deepseek-ai/DeepSeek-V3.2"},
                     price: {input: null, output: 0.38}}

                Each updated price gets the entry as its source and today (or --date) as its date.
                A price marked `pinned: true`, one in another currency than USD, and one with an
                off-peak window are kept as they are, and listed. Runs already stored keep the
                prices they ran with; `assay report RUN --reprice` prices their tokens again.

                Examples:
                  assay prices import litellm model_prices_and_context_window_backup.json
                  assay prices import litellm map.json --catalog catalog/models.yaml --write
                """
        )

        @Argument(help: ArgumentHelp("The map's format (litellm).", valueName: "format"))
        var format: String

        @Argument(help: ArgumentHelp("The price map (JSON).", valueName: "file"))
        var file: String

        @Option(help: ArgumentHelp("The catalog file to update.", valueName: "file"))
        var catalog = CatalogFile.defaultPath

        @Option(
            help: ArgumentHelp(
                "The date written beside each imported price (YYYY-MM-DD); today by default.", valueName: "date"))
        var date: String?

        @Flag(help: "Write the changes into the catalog (without it, only show them).")
        var write = false

        func run() async throws {
            try await withExitStatus {
                guard format == "litellm" else {
                    throw InputError("unknown price map format '\(format)': the one known is litellm")
                }
                guard FileManager.default.fileExists(atPath: catalog) else {
                    throw InputError(
                        file: catalog, "no such catalog file: `assay catalog init` writes the built-in one here to edit"
                    )
                }
                let day = date ?? Self.today()
                guard PriceAge.isDate(day) else { throw InputError("--date \(day): not a date (YYYY-MM-DD)") }
                let quotes = try LiteLLMPrices.load(file)
                let yaml = try YAMLFile.load(catalog)
                let changes = try LiteLLMPrices.changes(catalog: yaml, quotes: quotes)
                guard !changes.isEmpty else {
                    print(
                        "no model in \(catalog) names a LiteLLM entry (prices_from: {litellm: \"<entry>\"}): nothing to import"
                    )
                    return
                }
                for change in changes { print(change.summary) }
                let updates = changes.filter { $0.action == .update }.count
                let kept = changes.filter { if case .kept = $0.action { true } else { false } }.count
                let summary =
                    "\(updates) to update, \(changes.count - updates - kept) unchanged, \(kept) kept, from \(quotes.count) entries in \(file)"
                guard write, updates > 0 else {
                    print(summary + (updates > 0 ? "; --write writes them" : ""))
                    return
                }
                let text = try TextFile.read(catalog)
                let updated = try LiteLLMPrices.apply(changes, to: text, path: catalog, date: day)
                // The result must still be a catalog, before it replaces the file.
                _ = try CatalogFile.read(YAMLFile.parse(updated, path: catalog))
                do {
                    try Data(updated.utf8).write(to: URL(fileURLWithPath: catalog), options: .atomic)
                } catch {
                    throw InputError(file: catalog, "cannot write: \(error.localizedDescription)")
                }
                print(summary.replacingOccurrences(of: "to update", with: "updated") + "; wrote \(catalog)")
            }
        }

        /// Today in UTC, as the catalog writes dates: the date part of the reports' timestamps.
        static func today() -> String { String(SummaryJSON.timestamp(Date()).prefix(10)) }
    }
}
