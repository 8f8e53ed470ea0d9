import AssayCore
import Crypto
import Foundation

/// The long part of a prompt, stored once (issue 34): the `prompts` table keeps each distinct
/// piece under its SHA-256, and a result keeps its prompt with the piece cut out, the piece's
/// hash, and where it was cut (`prompt_piece`, `prompt_piece_at`, `routed_piece_at`). A run of
/// 1,000 long-context cases over 50 haystacks stores 50 haystacks, not 1,000 (or 2,000: the
/// transcript and the routed prompt each held one).
///
/// The piece is the longest paragraph (text between blank lines) of the routed prompt (the
/// last user message), else of the transcript, when it is at least `minimumBytes` long: a
/// long-context case's haystack, which comes before its question. Shorter prompts are stored
/// whole, as before.
struct PromptPiece: Sendable, Hashable {
    /// Paragraphs shorter than this are stored in their row.
    static let minimumBytes = 4096

    var hash: String
    var text: String
    /// What stands for the text in the prompt and the request body when it came from a prompt
    /// file (`PromptFile.marker`); nil when the text itself is there.
    var marker: String?
    /// The store holds the text already (`PromptFilePieces`): `text` is empty, nothing is inserted.
    var inStore = false

    init(text: String, marker: String? = nil) {
        self.text = text
        self.marker = marker
        self.hash = SHA256.hash(data: Data(text.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// A prompt file's piece the store holds already, by its hash; its text goes into a JSON
    /// body as it is (`PromptFilePieces` remembers no other).
    init(storedHash: String, marker: String) {
        self.text = ""
        self.hash = storedHash
        self.marker = marker
        self.inStore = true
    }

    /// Whether the text goes into a JSON string as it is (nothing in it is escaped).
    var isJSONClean: Bool { inStore || PromptFile.escapedUTF8(text).count == text.utf8.count }

    /// The piece to store apart for this prompt and routed text; nil when none is long enough.
    static func of(prompt: String?, routed: String?) -> PromptPiece? {
        guard let source = routed ?? prompt, source.utf8.count >= minimumBytes else { return nil }
        var longest: Substring?
        for paragraph in source.split(separator: "\n\n", omittingEmptySubsequences: true)
        where paragraph.utf8.count > (longest?.utf8.count ?? minimumBytes - 1) {
            longest = paragraph
        }
        return longest.map { PromptPiece(text: String($0)) }
    }

    /// `text` with the piece's first occurrence cut out, and the UTF-8 offset of the cut; nil
    /// when the piece is not in it.
    func cut(from text: String) -> (rest: String, at: Int)? {
        Self.cut(marker ?? self.text, from: text)
    }

    /// `text` with `part`'s first occurrence cut out, and the UTF-8 offset of the cut; nil
    /// when `part` is not in it.
    static func cut(_ part: String, from text: String) -> (rest: String, at: Int)? {
        // Byte for byte in UTF-8 (Foundation's range(of:) goes through UTF-16 on Linux: two
        // copies of a 512 KB prompt per result).
        guard let range = text.utf8.firstRange(of: part.utf8) else { return nil }
        let at = text.utf8.distance(from: text.startIndex, to: range.lowerBound)
        return (String(text[..<range.lowerBound]) + String(text[range.upperBound...]), at)
    }

    /// `rest` with `piece` put back at the UTF-8 offset `at`; nil when the offset is not a
    /// character boundary of `rest` (a row not written this way).
    static func join(_ rest: String, _ piece: String, at: Int) -> String? {
        let utf8 = rest.utf8
        guard at >= 0, at <= utf8.count else { return nil }
        let index = utf8.index(utf8.startIndex, offsetBy: at)
        guard index.samePosition(in: rest.unicodeScalars) != nil else { return nil }
        return String(rest[..<index]) + piece + String(rest[index...])
    }

    /// What a response-cache body stored with its piece cut out starts with; a body stored
    /// whole is JSON, which starts with `{`.
    static let bodyMarker = "assay-piece:"

    /// A request body to store in the response cache: `assay-piece:HASH:AT:` and the body
    /// with this piece cut out; nil when the piece is not in it as it is (escaped in the JSON).
    func storedBody(_ body: String) -> String? {
        guard let marker else { return cut(from: body).map { "\(Self.bodyMarker)\(hash):\($0.at):\($0.rest)" } }
        // A body streamed from a prompt file holds the marker, escaped as JSON, in its place.
        let escapedMarker = String(decoding: PromptFile.escapedUTF8(marker), as: UTF8.self)
        guard let cut = Self.cut(escapedMarker, from: body) else { return nil }
        if isJSONClean { return "\(Self.bodyMarker)\(hash):\(cut.at):\(cut.rest)" }
        // The text is escaped in the JSON: the body is stored whole, as it was sent.
        return PromptPiece.join(cut.rest, String(decoding: PromptFile.escapedUTF8(text), as: UTF8.self), at: cut.at)
    }

    /// The piece a stored body names, where it was cut, and the rest; nil for a body stored whole.
    static func reference(inBody stored: String) -> (hash: String, at: Int, rest: String)? {
        guard stored.hasPrefix(bodyMarker) else { return nil }
        let fields = stored.dropFirst(bodyMarker.count).split(
            separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard fields.count == 3, let at = Int(fields[1]) else { return nil }
        return (String(fields[0]), at, String(fields[2]))
    }

    /// `bodies` with every stored reference put back whole, from `pieces` (hash -> text); a
    /// body whose piece is missing is left as it is stored.
    static func expand(_ body: String, pieces: [String: String]) -> String {
        guard let reference = reference(inBody: body), let piece = pieces[reference.hash] else { return body }
        return join(reference.rest, piece, at: reference.at) ?? body
    }

    /// The hashes the stored bodies name.
    static func hashes(inBodies bodies: some Sequence<String>) -> [String] {
        Array(Set(bodies.compactMap { reference(inBody: $0)?.hash }))
    }
}
