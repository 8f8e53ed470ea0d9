import AssayTestSupport
import Foundation
import Testing

/// No function under `Sources/` runs past 60 lines unless its documentation says why it must
/// be one ("One function ..."): issue 30's rule, held here so that it stays true as code lands.
struct FunctionLengthTests {
    static let limit = 60

    struct Long: CustomStringConvertible {
        var line: Int
        var length: Int
        var declaration: String
        var explained: Bool
        var description: String { "line \(line): \(length) lines: \(declaration)" }
    }

    static var declaration: some RegexComponent {
        #/^\s*(@\w+(\([^)]*\))?\s+)*((public|private|fileprivate|internal|package|static|class|mutating|nonisolated|override|final|convenience|required)\s+)*(func\s+\w+|init[?!]?\s*[(<]|subscript\s*[(<])/#
    }

    /// Each function of `source` whose body (the lines between its braces) is longer than `limit`.
    static func longFunctions(in source: String) -> [Long] {
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let code = codeOnly(lines)
        // The regular expression only where a cheap look says it could match (debug builds run it slowly).
        let declares = lines.map { line in
            (line.contains("func ") || line.contains("init") || line.contains("subscript"))
                && line.contains(declaration)
        }
        var found: [Long] = []
        for (index, line) in lines.enumerated() where declares[index] {
            // The body's opening brace: on the declaration or within its next lines (a long signature).
            var depth = 0
            var opened: Int?
            var closed: Int?
            var row = index
            scan: while row < lines.count {
                if row > index + 10 && opened == nil { break }
                if row > index && opened == nil && (declares[row] || lines[row].isEmpty) { break }
                for character in code[row] {
                    if character == "{" {
                        depth += 1
                        if opened == nil { opened = row }
                    } else if character == "}" {
                        depth -= 1
                    }
                }
                // Judged at the line's end: a default closure before the body opens and closes on it.
                if opened != nil && depth <= 0 {
                    closed = row
                    break scan
                }
                row += 1
            }
            guard let opened, let closed, closed - opened - 1 > limit else { continue }
            var documentation = ""
            var above = index - 1
            while above >= 0, lines[above].trimmingCharacters(in: .whitespaces).hasPrefix("//") {
                documentation += lines[above]
                above -= 1
            }
            found.append(
                Long(
                    line: index + 1, length: closed - opened - 1,
                    declaration: line.trimmingCharacters(in: .whitespaces),
                    explained: documentation.contains("One function")))
        }
        return found
    }

    /// Each line with its string literals, multi-line ones included, and its comment taken out:
    /// what is left are the braces that count.
    static func codeOnly(_ lines: [String]) -> [String] {
        var inBlock = false
        return lines.map { line in
            if line.contains("\"\"\"") {
                inBlock.toggle()
                return ""
            }
            if inBlock { return "" }
            var text = line.contains("\"") ? line.replacing(#/"(?:[^"\\]|\\.)*"/#, with: "\"\"") : line
            if let comment = text.firstRange(of: "//") { text = String(text[..<comment.lowerBound]) }
            return text
        }
    }

    @Test func theCountSeesBodiesNotStringsOrComments() {
        let body = (0..<61).map { _ in "        x += 1" }.joined(separator: "\n")
        let long = "    func long() {\n\(body)\n    }\n"
        #expect(Self.longFunctions(in: long).map(\.length) == [61])
        #expect(Self.longFunctions(in: long).first?.explained == false)
        #expect(
            Self.longFunctions(in: "    /// One function on purpose: the order reads in one place.\n" + long).first?
                .explained == true)
        let withBraces = "    func short() {\n        let a = \"{{{\" // {\n    }\n" + long
        #expect(Self.longFunctions(in: withBraces).map(\.line) == [4], "braces in strings and comments do not count")
        let sixty = (0..<60).map { _ in "        x += 1" }.joined(separator: "\n")
        #expect(Self.longFunctions(in: "    init(a: Int) {\n\(sixty)\n    }\n").isEmpty)
    }

    @Test func noFunctionRunsPastSixtyLinesUnexplained() throws {
        let files = try SwiftStringLiterals.swiftFiles(under: "Sources")
        #expect(files.count > 100)
        var unexplained: [String] = []
        var explained: [String] = []
        for file in files {
            for long in Self.longFunctions(in: file.text) {
                if long.explained { explained.append(file.path) } else { unexplained.append("\(file.path):\(long)") }
            }
        }
        // It sees the long functions that say why (Plan.problems, MathEquivalence.compare, ...).
        #expect(explained.contains("Sources/AssayConfig/Plan/Plan.swift"), "\(explained)")
        #expect(
            unexplained.isEmpty,
            "split these, or say in their documentation why each must be one function (\"One function ...\"):\n\(unexplained.joined(separator: "\n"))"
        )
    }
}
