import AssayConfig
import AssayCore
import Foundation
import SystemPackage

/// The images cases refer to (`input.image`: a path or a list of paths, relative to the
/// suite directory), read and checked before a run, as the data URLs requests carry.
public enum CaseImages {
    /// The largest image Assay sends (many APIs refuse more than 20 MB, and a request body
    /// holds it in base64, a third larger).
    public static let maxBytes = 8 * 1024 * 1024

    /// The paths `item` refers to, as written.
    public static func paths(of item: Case) -> [String] {
        filePaths(item.input["image"])
    }

    /// A case's file reference (`input.image`, `input.audio`): one path, or a list of them.
    static func filePaths(_ reference: JSONValue?) -> [String] {
        guard let reference else { return [] }
        return reference.arrayValue?.compactMap(\.stringValue) ?? reference.stringValue.map { [$0] } ?? []
    }

    /// Data URLs by path (as written in the case), for every image of `suite`. Every image
    /// that is missing, unreadable, too large or not PNG or JPEG is a problem at its case's line.
    public static func load(_ suite: Suite) throws(InputError) -> [String: String] {
        var urls: [String: String] = [:]
        var problems: [Diagnostic] = []
        let casesFile = FilePath(suite.directory).appending("cases.jsonl").string
        for item in suite.cases {
            for path in paths(of: item) where urls[path] == nil {
                do {
                    urls[path] = try dataURL(confined(path, to: suite.directory))
                } catch {
                    problems.append(
                        Diagnostic(
                            file: casesFile, line: item.line, "case '\(item.id)': image '\(path)': \(error.message)"))
                }
            }
        }
        if !problems.isEmpty { throw InputError(problems) }
        return urls
    }

    public struct ImageError: Error, Sendable {
        public var message: String
    }

    /// `path` (relative to the suite) as a real path inside `directory`: an absolute path, a
    /// `..` or a symbolic link that leads out of the suite is refused, so that a suite cannot
    /// send a file from elsewhere on the machine to an endpoint.
    public static func confined(_ path: String, to directory: String) throws(ImageError) -> String {
        guard !path.hasPrefix("/") else {
            throw ImageError(message: "an absolute path; paths are relative to the suite directory")
        }
        guard let base = realPath(directory) else {
            throw ImageError(message: "the suite directory \(directory) cannot be resolved")
        }
        guard let full = realPath(FilePath(directory).appending(path).string) else {
            throw ImageError(message: "the file is missing (looked for \(directory)/\(path))")
        }
        guard full != base, FilePath(full).starts(with: FilePath(base)) else {
            throw ImageError(message: "it leads out of the suite directory (to \(full)); files must be inside \(base)")
        }
        return full
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// `data:image/png;base64,...` for a PNG or JPEG file (recognised by its first bytes).
    public static func dataURL(_ path: String, maxBytes: Int = maxBytes) throws(ImageError) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw ImageError(message: "the file is missing (looked for \(path))")
        }
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        if let size = attributes?[.size] as? Int, size > maxBytes {
            throw ImageError(message: "\(size) bytes is over the \(maxBytes / 1024 / 1024) MB limit")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ImageError(message: "the file cannot be read")
        }
        guard data.count <= maxBytes else {
            throw ImageError(message: "\(data.count) bytes is over the \(maxBytes / 1024 / 1024) MB limit")
        }
        let type: String
        if data.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            type = "image/png"
        } else if data.starts(with: [0xFF, 0xD8, 0xFF]) {
            type = "image/jpeg"
        } else {
            throw ImageError(message: "not a PNG or JPEG image")
        }
        return "data:\(type);base64," + data.base64EncodedString()
    }
}
