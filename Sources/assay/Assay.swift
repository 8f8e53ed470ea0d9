import ArgumentParser
import AssayCore

@main
struct Assay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assay",
        abstract: "Evaluate LLM model families behind OpenAI-compatible endpoints: quality, cost and latency.",
        discussion: """
            Assay sends task suites to models, grades every answer with a deterministic checker, and
            records tokens, cost and latency from the same requests.

            Start with:
              assay models                                   # what the catalog holds, with prices
              assay validate evalsets                        # check every suite
              assay run --plan plans/local.yaml              # run a plan, write reports/<run>/summary.json
              assay report latest                            # rebuild the report from the store
              assay compare v3.2 v4-flash --run latest       # which items a model upgrade fixes and breaks
              assay gate --policy gates/upgrade.yaml --baseline RUN@v3.2 --candidate latest@v4-flash
              assay route simulate routing/cheap-first.yaml --run latest

            Exit codes: 0 ok, 1 gate failed, 2 bad input or configuration, 3 run incomplete.
            """,
        version: AssayVersion.current,
        subcommands: [
            RunCommand.self, ReportCommand.self, CompareCommand.self, GateCommand.self, RouteCommand.self,
            ModelsCommand.self, CatalogCommand.self, PricesCommand.self, ProjectCommand.self,
            ValidateCommand.self, ImportCommand.self, GenerateCommand.self, ServeTestCommand.self, MergeCommand.self,
            StoreCommand.self, LabelCommand.self, PublishCommand.self,
        ]
    )

    /// ArgumentParser's own run, but a command line it cannot parse is bad input like any
    /// other: exit code 2 (DESIGN.md's), not its usual 64.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
            Terminal.standardError(fullMessage(for: error) + "\n")
            exit(withError: ExitStatus.badInput)
        }
    }
}
