import AssayCore
import Crypto
import Foundation

/// A suite's fingerprint: SHA-256, in hex, of what decides its results (prompt, grader and
/// its settings, generation, structured output, required capabilities; each case's id, input,
/// expected answer and tags), encoded as JSON with sorted keys. Where the suite was read from
/// and the lines its cases sat on do not count: a copied suite is the same suite, an edited
/// case makes a new one. A published site compares a suite's results across runs only while
/// this is the same (`SuiteRef.fingerprint`).
enum SuiteFingerprint {
    private struct Canonical: Encodable {
        struct CaseEntry: Encodable {
            var id: String
            var input: [String: JSONValue]
            var expected: JSONValue
            var tags: [String]
        }

        var id: String
        var kind: SuiteKind
        var grader: GraderSpec
        var prompt: PromptTemplate
        var requires: [String]
        var generation: Generation
        var responseFormat: ResponseFormat?
        var cases: [CaseEntry]
    }

    static func of(_ suite: Suite) -> String? {
        let canonical = Canonical(
            id: suite.id, kind: suite.kind, grader: suite.grader, prompt: suite.prompt,
            requires: suite.requires.map(\.rawValue).sorted(), generation: suite.generation,
            responseFormat: suite.responseFormat,
            cases: suite.cases.map {
                Canonical.CaseEntry(id: $0.id, input: $0.input, expected: $0.expected, tags: $0.tags)
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(canonical) else { return nil }
        return SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}
