import Foundation

/// Text as the label grader compares it: NFKC (full-width letters, digits and punctuation
/// become ASCII), traditional Chinese folded to simplified, lower case, quotes and brackets
/// of every script turned into spaces.
enum LabelText {
    static let quotes: Set<Unicode.Scalar> = [
        "\"", "'", "`", "“", "”", "‘", "’", "「", "」", "『", "』", "《", "》", "〈", "〉", "【", "】", "(", ")", "[", "]", "*",
    ]

    static func normalize(_ text: String) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        for scalar in text.precomposedStringWithCompatibilityMapping.unicodeScalars {
            if quotes.contains(scalar) {
                out.append(" ")
                continue
            }
            let folded = ChineseVariants.fold(scalar)
            let lower = folded.properties.lowercaseMapping.unicodeScalars
            if lower.count == 1, let single = lower.first { out.append(single) } else { out.append(folded) }
        }
        return out
    }

    /// Whether `scalar` is part of a Latin-script word (so a match must not touch one).
    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "_"
            || (scalar.value >= 0xC0 && scalar.value < 0x2000 && scalar.properties.isAlphabetic)
    }
}
