/// A nominal prompt length of a long-context suite, in tokens: `1k` is 1,024 tokens, `128k`
/// 131,072 (RULER's lengths are powers of two). Cases carry it as the tag `length:4k`, and
/// the needle's depth as `depth:50` (percent of the way into the haystack).
public struct ContextLength: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var tokens: Int

    public init(tokens: Int) {
        self.tokens = tokens
    }

    /// `4k`, `4K`, `128k` or a plain number of tokens (`3000`); nil for anything else, or
    /// for a length below 256 or above 10M tokens.
    public init?(parsing text: String) {
        let lowered = text.lowercased()
        let value: Int?
        if lowered.hasSuffix("k") {
            value = Int(lowered.dropLast()).flatMap { $0 <= 10_000 ? $0 * 1024 : nil }
        } else {
            value = Int(lowered)
        }
        guard let value, value >= 256, value <= 10_000_000 else { return nil }
        tokens = value
    }

    /// `4k` for a multiple of 1,024, else the number.
    public var description: String {
        tokens % 1024 == 0 ? "\(tokens / 1024)k" : "\(tokens)"
    }

    /// The case tag: `length:4k`.
    public var tag: String { Self.lengthTag + description }

    public static func < (lhs: ContextLength, rhs: ContextLength) -> Bool { lhs.tokens < rhs.tokens }

    public static let lengthTag = "length:"
    public static let depthTag = "depth:"

    /// The length a case's tags name, if any.
    public static func of(tags: [String]) -> ContextLength? {
        tags.lazy.compactMap { tag in
            tag.hasPrefix(lengthTag) ? ContextLength(parsing: String(tag.dropFirst(lengthTag.count))) : nil
        }.first
    }

    /// The needle depth (percent) a case's tags name, if any.
    public static func depth(tags: [String]) -> Int? {
        tags.lazy.compactMap { tag in tag.hasPrefix(depthTag) ? Int(tag.dropFirst(depthTag.count)) : nil }.first
    }
}
