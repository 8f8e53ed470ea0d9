import AssayCore
import AssayEvalSets
import AssayTestSupport
import Crypto
import Foundation
import Testing

@testable import AssayRunner

/// A suite's fingerprint is written without Foundation's encoder (for speed) but must be the
/// same bytes, so that fingerprints stored by earlier versions still match: checked here
/// against the encoder itself on every shipped suite and on cases made to differ where the two
/// could (control characters, keys out of order and decomposed, doubles, nulls).
struct SuiteFingerprintTests {
    /// The fingerprint as it was worked out before: the encoder over the whole suite.
    static func byEncoder(_ suite: Suite) throws -> String {
        let canonical = SuiteFingerprint.Canonical(
            id: suite.id, kind: suite.kind, grader: suite.grader, prompt: suite.prompt,
            requires: suite.requires.map(\.rawValue).sorted(), generation: suite.generation,
            responseFormat: suite.responseFormat,
            cases: suite.cases.map {
                SuiteFingerprint.Canonical.CaseEntry(id: $0.id, input: $0.input, expected: $0.expected, tags: $0.tags)
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return SHA256.hash(data: try encoder.encode(canonical)).map { String(format: "%02x", $0) }.joined()
    }

    @Test func everyShippedSuiteKeepsItsFingerprint() throws {
        let root = PackagePaths.root + "/evalsets"
        let names = try FileManager.default.contentsOfDirectory(atPath: root).sorted()
        #expect(names.count >= 10)
        for name in names where FileManager.default.fileExists(atPath: "\(root)/\(name)/suite.yaml") {
            let suite = try SuiteLoader.load("\(root)/\(name)")
            #expect(SuiteFingerprint.of(suite) == (try Self.byEncoder(suite)), "\(name)")
        }
    }

    @Test func casesWrittenToDifferKeepTheirFingerprint() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        var controls = ""
        for scalar in 0..<0x20 { controls.unicodeScalars.append(Unicode.Scalar(UInt8(scalar))) }
        let strange = controls + "\"\\/ \u{7F} é e\u{301} 中 \u{2028}\u{2029}\u{FEFF} 😀 ＡＢ"
        let cases: [JSONValue] = [
            [
                "id": "a", "input": ["text": .string(strange), "Z": 1, "e\u{301}x": 2, "\u{E9}": 3, "f": 4, "_": 5],
                "expected": ["label": "pos"], "tags": ["t\u{0}", "中"],
            ],
            [
                "id": "b",
                "input": [
                    "text": "x", "n": 1.5, "big": 1e16, "whole": 100.0, "tiny": 1e-7, "neg": -0.0,
                    "list": [1, 2.25, nil, true],
                ],
                "expected": ["answer": 1e15],
            ],
            ["id": "c\u{8}\u{C}", "input": ["text": ""], "expected": ["label": "\u{1}", "none": nil]],
        ]
        try dir.write(
            "s/suite.yaml", #"{"id": "s", "kind": "classification", "grader": "exact-label", "prompt": "{{text}}"}"#)
        try dir.write("s/cases.jsonl", cases.map(\.compactJSON).joined(separator: "\n") + "\n")
        let suite = try SuiteLoader.load(dir.path("s"))
        #expect(suite.cases.count == 3)
        #expect(SuiteFingerprint.of(suite) == (try Self.byEncoder(suite)))
        // And a fingerprint still tells an edited case from the original.
        var edited = suite
        edited.cases[0].input["f"] = 5
        #expect(SuiteFingerprint.of(edited) != SuiteFingerprint.of(suite))
    }
}
