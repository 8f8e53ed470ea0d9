import Foundation

/// The string literals of Swift source text, each with the line it starts on: one-line
/// literals (escaped quotes skipped) and multi-line ones (`"""` blocks, their lines joined by
/// newlines). For tests that hold the package's sources to a rule about what their strings
/// may contain; a scan, not a parser (a `"""` inside a one-line string would confuse it).
public enum SwiftStringLiterals {
    public struct Literal: Sendable, Equatable {
        public var line: Int
        public var text: String
    }

    public static func scan(_ source: String) -> [Literal] {
        var literals: [Literal] = []
        var block: (line: Int, lines: [Substring])?
        for (index, line) in source.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.contains("\"\"\"") {
                if let open = block {
                    literals.append(Literal(line: open.line, text: open.lines.joined(separator: "\n")))
                    block = nil
                } else {
                    block = (index + 2, [])
                }
            } else if block != nil {
                block?.lines.append(line)
            } else {
                for match in line.matches(of: #/"((?:[^"\\]|\\.)*)"/#) {
                    literals.append(Literal(line: index + 1, text: String(match.output.1)))
                }
            }
        }
        return literals
    }

    /// The Swift files under `folder` (relative to the package), with their paths relative to the package.
    public static func swiftFiles(under folder: String) throws -> [(path: String, text: String)] {
        let root = URL(fileURLWithPath: PackagePaths.root)
        guard let walker = FileManager.default.enumerator(atPath: root.appendingPathComponent(folder).path) else {
            return []
        }
        var files: [(path: String, text: String)] = []
        for case let relative as String in walker where relative.hasSuffix(".swift") {
            let path = folder + "/" + relative
            files.append((path, try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)))
        }
        return files.sorted { $0.path < $1.path }
    }
}
