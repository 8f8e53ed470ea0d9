import AssayCore
import Foundation
import SystemPackage

/// The catalog that travels inside the binary: `catalog/models.yaml` as it was when Assay was
/// built (the EmbedFiles plugin builds that file in: it is the one copy). It is the catalog
/// when neither `--catalog` (or a plan's `catalog:`) names a file nor `./catalog/models.yaml`
/// exists, so that `assay models` and `assay run` work from any directory; `assay catalog
/// init` writes a copy to edit.
public enum BuiltInCatalog {
    /// How messages and the run manifest name it.
    public static let name = "(built-in catalog)"

    /// The text of catalog/models.yaml when this binary was built.
    public static var yaml: String { EmbeddedFiles.modelsYaml }
}

extension CatalogFile {
    /// Which catalog a path means: the file, or the built-in catalog when the path is the
    /// default and no such file exists here.
    public enum Source: Sendable, Hashable, CustomStringConvertible {
        case file(String)
        case builtIn

        public var description: String {
            switch self {
            case .file(let path): path
            case .builtIn:
                "\(BuiltInCatalog.name): no \(CatalogFile.defaultPath) here; `assay catalog init` writes a copy to edit"
            }
        }
    }

    /// The catalog `path` means, looked up from `directory` (the current one by default).
    public static func source(for path: String, in directory: String? = nil) -> Source {
        let located = directory.map { FilePath($0).appending(path).string } ?? path
        return path == defaultPath && !FileManager.default.fileExists(atPath: located) ? .builtIn : .file(path)
    }
}
