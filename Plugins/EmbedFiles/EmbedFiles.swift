import Foundation
import PackagePlugin

/// Builds files of other languages into a target as Swift strings (`EmbeddedFiles.runnerPy`),
/// so that the binary carries them and needs nothing beside it at run time.
///
/// A target's own `.py`, `.xsd`, `.yaml` and `.txt` files are embedded, and the files of the package
/// that `outside` names for it: the catalog and the report schema stay where users find them,
/// at the package's root, and are the one copy.
@main
struct EmbedFiles: BuildToolPlugin {
    /// The extensions of a target's own files that are embedded.
    static let extensions: Set<String> = ["py", "xsd", "yaml", "txt"]

    /// Files outside a target's folder that it embeds too, by target, from the package's root.
    static let outside: [String: [String]] = [
        "AssayConfig": ["catalog/models.yaml"],
        "AssayReports": ["schemas/assay-report-1.xsd"],
    ]

    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        guard let target = target as? SourceModuleTarget else { return [] }
        let own = target.sourceFiles.map(\.url).filter { Self.extensions.contains($0.pathExtension) }
        let inputs = (own + (Self.outside[target.name] ?? []).map { context.package.directoryURL.appending(path: $0) })
            .sorted { $0.path < $1.path }
        guard !inputs.isEmpty else { return [] }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedFiles.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(inputs.map(\.lastPathComponent).joined(separator: ", ")) in \(target.name)",
                executable: try context.tool(named: "embed-files").url,
                arguments: [output.path] + inputs.map(\.path),
                inputFiles: inputs,
                outputFiles: [output])
        ]
    }
}
