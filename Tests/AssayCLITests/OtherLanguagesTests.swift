import AssayTestSupport
import Foundation
import Testing

/// The package's Python, XML Schema and YAML live in files of their own language, where
/// their own tools read them (`scripts/check-embedded`, `assay validate`), not in Swift
/// strings. Tests keep the YAML, Python and XML that is their input beside the assertion
/// about it (an error at `suite.yaml:3`, a hostile answer): that text is the test.
struct OtherLanguagesTests {
    /// What in a string literal marks it as another language's text.
    static func language(of text: String) -> String? {
        if text.contains("<xs:") || text.contains("<xsd:") { return "XML Schema" }
        guard text.contains(":") || text.contains("import ") else { return nil }
        let lines = text.split(separator: "\n").map(String.init) + text.components(separatedBy: "\\n").dropFirst()
        let python = lines.filter {
            $0.contains(#/^\s*(def \w+\(.*\):|import \w+$|from [\w.]+ import \w|class \w+[(:])/#)
        }
        if !python.isEmpty { return "Python" }
        let yaml = lines.filter { $0.contains(#/^\s*(- )?[a-z_]+:( |$)/#) }
        return yaml.count >= 2 ? "YAML" : nil
    }

    @Test func theMarksFindEachLanguage() {
        #expect(Self.language(of: "id: x\nkind: code\n") == "YAML")
        #expect(Self.language(of: #"id: x\nkind: code\n"#) == "YAML")
        #expect(Self.language(of: "models:\n  - id: m\n") == "YAML")
        #expect(Self.language(of: "import json\ndef check(candidate):\n    pass") == "Python")
        #expect(Self.language(of: #"<xs:element name="run"/>"#) == "XML Schema")
        #expect(Self.language(of: "expected: \\(value)") == nil, "one key-like line is prose")
        #expect(Self.language(of: "def check(") == nil, "a name searched for is not code")
        #expect(Self.language(of: "the run stopped: the budget ran out") == nil)
    }

    @Test func noPythonXSDOrYAMLSitsInASwiftSource() throws {
        let files = try SwiftStringLiterals.swiftFiles(under: "Sources")
        #expect(files.count > 100)
        var found: [String] = []
        for file in files {
            for literal in SwiftStringLiterals.scan(file.text) {
                if let language = Self.language(of: literal.text) {
                    found.append("\(file.path):\(literal.line): \(language): \(literal.text.prefix(80))")
                }
            }
        }
        #expect(found.isEmpty, "\n\(found.joined(separator: "\n"))")
        // The same scan over the tests' fixtures finds their YAML: it can see what it looks for.
        let fixtures = try SwiftStringLiterals.swiftFiles(under: "Tests/AssayTestSupport")
            .filter { $0.path.hasSuffix("/Fixtures.swift") }
        #expect(fixtures.count == 1)
        #expect(
            fixtures.flatMap { SwiftStringLiterals.scan($0.text) }.contains { Self.language(of: $0.text) == "YAML" })
    }
}
