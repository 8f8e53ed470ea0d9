import AssayCore
import Foundation

/// Text as the OCR grader compares it.
///
/// NFKC first (full-width ＡＢＣ，１ become ABC,1); then the CJK punctuation NFKC leaves
/// alone is mapped to its ASCII form: 。 to `.`, 、 to `,`, 「」『』“”〝〞 to `"`, ‘’ to `'`,
/// 《》〈〉【】 to `<>` and `[]`, ～ to `~`, ・ and · to `.`, — and ─ to `-`. Case is folded
/// unless the suite says `case_sensitive: true`.
enum TranscriptText {
    static let punctuation: [Unicode.Scalar: Unicode.Scalar] = [
        "。": ".", "、": ",", "「": "\"", "」": "\"", "『": "\"", "』": "\"", "“": "\"", "”": "\"", "〝": "\"", "〞": "\"",
        "‘": "'", "’": "'", "《": "<", "》": ">", "〈": "<", "〉": ">", "【": "[", "】": "]", "〔": "[", "〕": "]",
        "～": "~", "・": ".", "·": ".", "—": "-", "─": "-", "–": "-",
    ]

    static func normalize(_ text: String, caseSensitive: Bool) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        for scalar in text.precomposedStringWithCompatibilityMapping.unicodeScalars {
            let mapped = punctuation[scalar] ?? scalar
            if !caseSensitive, mapped.properties.changesWhenLowercased,
                let lower = mapped.properties.lowercaseMapping.unicodeScalars.first,
                mapped.properties.lowercaseMapping.unicodeScalars.count == 1
            {
                out.append(lower)
            } else {
                out.append(mapped)
            }
        }
        return out
    }

    /// Characters for CER: whitespace dropped unless the suite keeps it.
    static func characters(_ scalars: [Unicode.Scalar], keepWhitespace: Bool) -> [Unicode.Scalar] {
        keepWhitespace ? collapseWhitespace(scalars) : scalars.filter { !$0.properties.isWhitespace }
    }

    /// Words for WER: whitespace-separated runs, with every CJK character a word of its own
    /// (Chinese is not written with spaces; wenet's convention).
    static func words(_ scalars: [Unicode.Scalar]) -> [String] {
        var words: [String] = []
        var current = ""
        func flush() {
            if !current.isEmpty { words.append(current) }
            current = ""
        }
        for scalar in scalars {
            if scalar.properties.isWhitespace {
                flush()
            } else if isCJK(scalar) {
                flush()
                words.append(String(scalar))
            } else {
                current.unicodeScalars.append(scalar)
            }
        }
        flush()
        return words
    }

    static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x3134F, 0x3040...0x30FF: true
        default: false
        }
    }

    static func collapseWhitespace(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        for scalar in scalars {
            if scalar.properties.isWhitespace {
                if let last = out.last, last != " " { out.append(" ") }
            } else {
                out.append(scalar)
            }
        }
        while out.last == " " { out.removeLast() }
        while out.first == " " { out.removeFirst() }
        return out
    }

    /// An answer wrapped in a code fence (```text ... ```) is read without the fence.
    static func unfenced(_ answer: String) -> String {
        let lines = answer.lines()
        guard let open = lines.firstIndex(where: { $0.hasPrefix("```") }),
            let close = lines.lastIndex(where: { $0.hasPrefix("```") }), close > open
        else { return answer }
        return lines[(open + 1)..<close].joined(separator: "\n")
    }
}
