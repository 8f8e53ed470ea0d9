/// A prompt's length in tokens, estimated before it is sent, by a documented rule.
///
/// The rule (docs/ARCHITECTURE.md, "Long context"): Han characters, kana and hangul count
/// 1/1.5 of a token each (about 1.5 such characters to a token, as the tokenizers of the
/// catalog's families cut Chinese text); every other character, spaces included, counts 1/4
/// (OpenAI's "about 4 characters to a token" for English). The sum is rounded up. A family
/// whose tokenizer is known to differ gets its own ratios in `ratios`; none is listed today,
/// because no family's figure has been measured against its server. The estimate decides what
/// is sent (a prompt past a model's window is not); reports use the `prompt_tokens` the server
/// reports, and show how far the estimate was from it.
public struct TokenEstimate: Sendable, Hashable {
    /// Characters per token for CJK text.
    public var cjkCharactersPerToken: Double
    /// Characters per token for everything else.
    public var otherCharactersPerToken: Double

    public init(cjkCharactersPerToken: Double = 1.5, otherCharactersPerToken: Double = 4) {
        self.cjkCharactersPerToken = cjkCharactersPerToken
        self.otherCharactersPerToken = otherCharactersPerToken
    }

    /// The rule every family uses unless `ratios` names it.
    public static let standard = TokenEstimate()

    /// Families whose tokenizers have ratios of their own, by catalog `family`. Empty: the
    /// standard rule holds for every family until one is measured.
    public static let ratios: [String: TokenEstimate] = [:]

    /// The rule for a catalog family.
    public static func forFamily(_ family: String?) -> TokenEstimate {
        family.flatMap { ratios[$0] } ?? standard
    }

    /// The estimated tokens of `text`.
    public func tokens(_ text: String) -> Int {
        var cjk = 0
        var other = 0
        for scalar in text.unicodeScalars {
            if Self.isCJK(scalar) { cjk += 1 } else { other += 1 }
        }
        return Self.count(cjk: cjk, other: other, self)
    }

    /// The estimated tokens of text with `cjk` CJK characters and `other` other characters.
    public static func count(cjk: Int, other: Int, _ rule: TokenEstimate = .standard) -> Int {
        let tokens = Double(cjk) / rule.cjkCharactersPerToken + Double(other) / rule.otherCharactersPerToken
        return Int(tokens.rounded(.up))
    }

    /// Han ideographs (with extension A and the compatibility block), CJK punctuation,
    /// kana, hangul and full-width forms.
    public static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x3000...0x303F, 0x3040...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xAC00...0xD7AF,
            0xF900...0xFAFF, 0xFF00...0xFFEF, 0x20000...0x2FA1F:
            true
        default: false
        }
    }
}
