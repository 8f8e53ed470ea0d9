import Foundation

/// A directory under the system's temporary directory, for one test's files.
public struct TempDirectory: Sendable {
    public let path: String

    public init(_ label: String = "assay-test") throws {
        let base = FileManager.default.temporaryDirectory.path
        path = "\(base)/\(label)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Writes `contents` at `relative` (creating folders) and returns the full path.
    @discardableResult
    public func write(_ relative: String, _ contents: String) throws -> String {
        let full = self.path(relative)
        try FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(contents.utf8).write(to: URL(fileURLWithPath: full))
        return full
    }

    public func path(_ relative: String) -> String {
        (path as NSString).appendingPathComponent(relative)
    }

    public func read(_ relative: String) throws -> String {
        try String(contentsOfFile: self.path(relative), encoding: .utf8)
    }

    public func exists(_ relative: String) -> Bool {
        FileManager.default.fileExists(atPath: self.path(relative))
    }

    public func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
