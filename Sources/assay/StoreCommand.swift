import ArgumentParser
import AssayCore
import AssayRuns
import AssayStore
import Foundation

struct StoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Move runs between stores (a SQLite file, a shared PostgreSQL).",
        subcommands: [Copy.self]
    )

    struct Copy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy runs (results, attempts, manifests) and the response cache from one store to another.",
            discussion: """
                Either side may be a SQLite file or a postgres:// URL: bring a run
                that workers made in the shared PostgreSQL into a file to archive or
                attach to a CI job, or put a laptop's runs where the team's reports
                read them. Nothing is overwritten: a run already in the target is an
                error (exit 2) and nothing is copied. The cache entries the target
                lacks are added, so a run re-made there costs nothing.

                Examples:
                  assay store copy postgres://db.internal/assay x.sqlite --run sweep-42
                  assay store copy .assay/assay.sqlite postgres://db.internal/assay
                """
        )

        @Argument(help: ArgumentHelp("The store to copy from.", valueName: "from"))
        var source: String

        @Argument(help: ArgumentHelp("The store to copy into (created when it is a new file).", valueName: "to"))
        var target: String

        @Option(
            name: .customLong("run"),
            help: ArgumentHelp("Copy only this run (repeatable); every run by default.", valueName: "id"))
        var runs: [String] = []

        func run() async throws {
            try await withExitStatus(readingStore: true) {
                if source == target { throw InputError(file: target, "the store copied into is the store copied from") }
                let from = try await StoredRuns.open(source)
                let newFile = !StoreLocation.isPostgres(target) && !FileManager.default.fileExists(atPath: target)
                let into = try await StoredRuns.openForWriting(target)
                do {
                    let outcome = try await RunMerge.merge([from], into: into, only: runs.isEmpty ? nil : Set(runs))
                    print(
                        "copied \(outcome.runs.count) run\(outcome.runs.count == 1 ? "" : "s") (\(outcome.runs.joined(separator: ", "))) into \(into.location): "
                            + "\(outcome.results) results, \(outcome.attempts) attempts, \(outcome.cacheEntries) cached answers"
                    )
                } catch {
                    if newFile {
                        for suffix in ["", "-wal", "-shm"] {
                            try? FileManager.default.removeItem(atPath: target + suffix)
                        }
                    }
                    throw error
                }
            }
        }
    }
}
