import ArgumentParser
import AssayConfig
import AssayCore
import Foundation
import SystemPackage

struct CatalogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract:
            "The model catalog: a copy of the built-in one to edit (`assay models --catalog-path` says which is in use).",
        subcommands: [Init.self]
    )

    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Write the built-in catalog to a file, to edit (prices, endpoints, your own models).",
            discussion: """
                Assay carries a catalog inside the binary and uses it when neither --catalog (or a
                plan's `catalog:`) names a file nor ./catalog/models.yaml exists. Write a copy where
                Assay looks first, then edit it:

                  assay catalog init                      # writes catalog/models.yaml
                  assay catalog init --out my-models.yaml && assay models --catalog my-models.yaml
                """
        )

        @Option(help: ArgumentHelp("Where to write it.", valueName: "file"))
        var out = CatalogFile.defaultPath

        @Flag(help: "Replace the file if it exists.")
        var force = false

        func run() async throws {
            try await withExitStatus {
                if FileManager.default.fileExists(atPath: out) && !force {
                    throw InputError(file: out, "exists; --force replaces it")
                }
                let directory = FilePath(out).removingLastComponent().string
                do {
                    if !directory.isEmpty {
                        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                    }
                    try Data(BuiltInCatalog.yaml.utf8).write(to: URL(fileURLWithPath: out))
                } catch {
                    throw InputError(file: out, "cannot write: \(error.localizedDescription)")
                }
                print("wrote the built-in catalog to \(out)")
            }
        }
    }
}
