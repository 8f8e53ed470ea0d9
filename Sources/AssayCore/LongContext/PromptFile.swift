import Foundation

/// A long part of a prompt that stays on disk (issue 34): a case's `input.<slot>_file`, such
/// as a long-context haystack (`context_file: "haystacks/en-1.txt"`), fills the template's
/// `{{<slot>}}` with the file's text only on the wire. Until then the request's messages hold
/// `marker` in its place, so that neither a loaded suite nor a request in flight (its
/// transcript, its routed prompt, its body) holds the text: the body is streamed from the
/// file when it is sent, and the store keeps the text once, in `prompts`.
public struct PromptFile: Sendable, Hashable {
    /// The file's absolute path.
    public var path: String
    /// Its CJK and other Unicode scalars, counted as `TokenEstimate` counts them.
    public var cjk: Int
    public var other: Int
    /// Its UTF-8 bytes as they go into a JSON string (escaped as `JSONValue` escapes them).
    public var escapedBytes: Int

    public init(path: String, cjk: Int, other: Int, escapedBytes: Int) {
        self.path = path
        self.cjk = cjk
        self.other = other
        self.escapedBytes = escapedBytes
    }

    /// What stands for the file's text in a request's messages, transcript and routed prompt.
    public var marker: String { Self.marker(path) }

    /// The marker for the file at `path`: the path between two U+FFFC (object replacement
    /// characters), which no prompt text is expected to hold.
    public static func marker(_ path: String) -> String { "\u{FFFC}assay-file:\(path)\u{FFFC}" }

    /// The input field whose file fills `slot`.
    public static func field(for slot: String) -> String { slot + suffix }

    /// What ends a field that names a file filling a slot.
    public static let suffix = "_file"

    /// The first marker in `text`: where it is and the path it names; nil when there is none.
    /// Searched byte for byte in UTF-8: every result's prompt is searched when it is stored,
    /// and Foundation's `range(of:)` goes through UTF-16 on Linux (1% of a run's CPU).
    public static func reference(in text: String) -> (range: Range<String.Index>, path: String)? {
        // U+FFFC's first byte: almost no prompt has one, and a byte is found fast.
        guard text.utf8.contains(0xEF) else { return nil }
        let open = "\u{FFFC}assay-file:".utf8
        guard let start = text.utf8.firstRange(of: open),
            let end = text.utf8[start.upperBound...].firstRange(of: "\u{FFFC}".utf8)
        else { return nil }
        return (start.lowerBound..<end.upperBound, String(text[start.upperBound..<end.lowerBound]))
    }

    /// Reads the file at `path` once, to count what the estimate and the body's length need.
    public static func measure(path: String) throws(InputError) -> PromptFile {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw InputError(file: path, "cannot read the prompt file: \(error.localizedDescription)")
        }
        var cjk = 0
        var other = 0
        for scalar in text.unicodeScalars {
            if TokenEstimate.isCJK(scalar) { cjk += 1 } else { other += 1 }
        }
        return PromptFile(path: path, cjk: cjk, other: other, escapedBytes: escapedUTF8(text).count)
    }

    /// The estimated tokens of `text` (which holds this file's marker) with the marker read
    /// as the file's text.
    public func tokens(in text: String, rule: TokenEstimate = .standard) -> Int {
        var cjk = self.cjk
        var other = self.other
        let rest = text.replacingOccurrences(of: marker, with: "")
        for scalar in rest.unicodeScalars {
            if TokenEstimate.isCJK(scalar) { cjk += 1 } else { other += 1 }
        }
        return TokenEstimate.count(cjk: cjk, other: other, rule)
    }

    /// `text` as it goes inside a JSON string literal, without the quotes.
    public static func escapedUTF8(_ text: String) -> [UInt8] {
        var literal = ""
        JSONValue.writeString(text, to: &literal)
        return Array(literal.utf8.dropFirst().dropLast())
    }
}
