import AssayCore
import Foundation
import SystemPackage

/// Right when every expected value appears in the answer: RULER's "string match all".
///
/// The expected values are `expected.values` (a list of text), else `expected.answer` or
/// `expected` as one text. Answer and values are normalised alike: NFKC (full-width digits and
/// letters become ASCII), lowercased, and runs of whitespace made one space. A value counts as
/// found where it stands as a whole word: the characters on either side of a match are not
/// letters or digits when the value's own edge is one (so `12345` is not found in `123456`;
/// CJK characters count as no part of a word, so a Chinese value, with no spaces between
/// words, matches anywhere, and so does a number written right after Chinese text). The score is 1 when all
/// are found and 0 otherwise: a multi-value case with one value missing is wrong. An empty
/// answer is invalid.
public struct AllValuesGrader: Grader {
    public init(settings: [String: JSONValue], suite: Suite) throws(InputError) {
        var problems = suite.unknownGraderSettings(settings, grader: "all-values")
        for item in suite.cases where (Self.values(item.expected) ?? []).isEmpty {
            problems.append(
                Diagnostic(
                    file: FilePath(suite.directory).appending("cases.jsonl").string, line: item.line,
                    "case '\(item.id)': the all-values grader needs 'expected.values' (a list of text) or 'expected.answer'"
                ))
        }
        if !problems.isEmpty { throw InputError(problems) }
    }

    public func grade(_ item: Case, answer: String) async -> Grade {
        let values = Self.values(item.expected) ?? []
        let text = Self.normalize(answer)
        guard !text.isEmpty else {
            return Grade(
                outcome: .invalid, score: 0, extracted: "", rule: "whole answer",
                evidence: ValuesEvidence(found: [], missing: values))
        }
        var found: [String] = []
        var missing: [String] = []
        for value in values {
            if Self.contains(text, word: Self.normalize(value)) { found.append(value) } else { missing.append(value) }
        }
        let right = missing.isEmpty && !values.isEmpty
        return Grade(
            outcome: right ? .pass : .fail, score: right ? 1 : 0, extracted: String(text.prefix(200)),
            rule: "every value, as a whole word, after NFKC, case and whitespace folding",
            evidence: ValuesEvidence(found: found, missing: missing))
    }

    /// The expected values of a case; nil when it names none.
    static func values(_ expected: JSONValue) -> [String]? {
        if let list = expected["values"]?.arrayValue { return list.compactMap(\.stringValue) }
        if let answer = expected["answer"]?.stringValue ?? expected.stringValue { return [answer] }
        return nil
    }

    static func normalize(_ text: String) -> String {
        let folded = text.precomposedStringWithCompatibilityMapping.lowercased()
        return folded.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Whether `word` occurs in `text` with no letter or digit glued to an edge that is one.
    static func contains(_ text: String, word: String) -> Bool {
        guard !word.isEmpty else { return false }
        let chars = Array(text.unicodeScalars)
        let needle = Array(word.unicodeScalars)
        guard needle.count <= chars.count, let first = needle.first, let last = needle.last else { return false }
        let guardStart = isWordCharacter(first)
        let guardEnd = isWordCharacter(last)
        var index = 0
        while index + needle.count <= chars.count {
            if chars[index] == first && Array(chars[index..<index + needle.count]) == needle {
                let before = index > 0 ? chars[index - 1] : nil
                let after = index + needle.count < chars.count ? chars[index + needle.count] : nil
                let startOK = !guardStart || before.map { !isWordCharacter($0) } ?? true
                let endOK = !guardEnd || after.map { !isWordCharacter($0) } ?? true
                if startOK && endOK { return true }
            }
            index += 1
        }
        return false
    }

    /// A letter or digit of a script that spaces its words: a Han character beside a number
    /// (答案是1234567) is no part of it.
    static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        !TokenEstimate.isCJK(scalar) && (scalar.properties.isAlphabetic || scalar.properties.numericType != nil)
    }
}
