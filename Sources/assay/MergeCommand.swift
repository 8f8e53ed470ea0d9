import ArgumentParser
import AssayCore
import AssayRuns
import AssayStore
import Foundation
import SystemPackage

struct MergeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Join the stores of a sharded run (assay run --shard K/N) into one store.",
        discussion: """
            Each CI job of a matrix runs one shard (`assay run --plan P --shard 3/8`) into a store
            of its own; the shards share a run id (--run-id, or one derived from the plan and the
            commit). `assay merge` joins those stores into a new one, where `assay report`,
            `compare`, `gate` and `route` read the run as if it had run in one piece.

            The shards' manifests must agree (suites, models, epochs, settings, catalog and
            prices, commit): otherwise exit 2, naming the difference. An item in two stores keeps
            its completed result over a failed request; two completed answers to one item are an
            error unless they are the same result (a store merged with a copy of itself) or
            --prefer says which store wins. Every attempt is kept (once), and the response
            caches are joined, so a re-run anywhere costs nothing.

            Example:
              assay merge shard-*/assay.sqlite --into merged.sqlite
              assay report plan-3f2a9c1d04be --store merged.sqlite
            """
    )

    @Argument(help: ArgumentHelp("The shards' stores.", valueName: "store"))
    var stores: [String]

    @Option(help: ArgumentHelp("The store to write (a new file).", valueName: "file"))
    var into: String

    @Option(
        help: ArgumentHelp(
            "When an item was answered in two stores: keep the first's or the last's, in the order given.",
            valueName: "first|last"))
    var prefer: RunMerge.Preference?

    func validate() throws {
        if stores.isEmpty { throw ValidationError("name the shards' stores to merge") }
    }

    func run() async throws {
        try await withExitStatus(readingStore: true) {
            let outcome = try await merge()
            print(
                "merged \(stores.count) stores into \(into): run\(outcome.runs.count == 1 ? "" : "s") \(outcome.runs.joined(separator: ", ")); "
                    + "\(outcome.results) results (\(outcome.duplicates) found twice), \(outcome.attempts) attempts, \(outcome.cacheEntries) cached answers"
            )
            print("report it: assay report \(outcome.runs.first ?? "RUN") --store \(into)")
        }
    }

    /// Merges the stores; bad input leaves nothing behind: a new store is removed again (the
    /// merge checks everything before it writes).
    ///
    /// (Written as plain statements: Swift 6.3.1's optimizer crashed on this async function
    /// when the inputs were opened in a throwing `map` closure, in release builds.)
    private func merge() async throws -> RunMerge.Outcome {
        let here = FilePath(FileManager.default.currentDirectoryPath)
        let target = here.pushing(FilePath(into)).lexicallyNormalized()
        var inputs: [any RunStore] = []
        for path in stores {
            if here.pushing(FilePath(path)).lexicallyNormalized() == target {
                throw InputError(file: into, "the store merged into is one of the stores merged: give a new file")
            }
            inputs.append(try await StoredRuns.open(path))
        }
        let existed = FileManager.default.fileExists(atPath: into)
        let store = StoredRuns.keep(try Store(path: into))
        do {
            return try await RunMerge.merge(inputs, into: store, prefer: prefer)
        } catch {
            if !existed { Self.remove(into) }
            throw error
        }
    }

    private static func remove(_ path: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}

extension RunMerge.Preference: ExpressibleByArgument {}
