import Foundation

/// Takes inline reasoning blocks (`<think>...</think>`, as R1 distills and Qwen3 on many
/// servers write them) out of a streamed answer, chunk by chunk: a tag split across chunks is
/// held back until it is whole, never half sent to either side.
///
/// A closing tag with no opening one before it (a chat template that opens the block in the
/// prompt, so the model's output starts inside it) means everything so far was reasoning: the
/// splitter says so (`closedWithoutOpening`) and its caller moves it. After the first block is
/// closed, the rest is answer, tags and all.
struct ThinkSplitter: Sendable {
    enum Piece: Sendable, Hashable {
        case reasoning(String)
        case answer(String)
        /// The answer so far was reasoning (an orphan closing tag).
        case closedWithoutOpening
    }

    let open: String
    let close: String
    private var inside = false
    /// A block was opened or closed: what follows is answer only.
    private var done = false
    private var held = ""
    /// Tag characters taken out, for the check that nothing streamed in was lost.
    private(set) var removedCharacters = 0

    init(tag: String) {
        open = "<\(tag)>"
        close = "</\(tag)>"
    }

    mutating func feed(_ text: String) -> [Piece] {
        // No '<': no tag starts or ends here, and nothing is held back (the usual chunk).
        if held.isEmpty, !text.utf8.contains(UInt8(ascii: "<")) {
            guard !text.isEmpty else { return [] }
            return [inside && !done ? .reasoning(text) : .answer(text)]
        }
        var rest = held + text
        held = ""
        var pieces: [Piece] = []
        while !rest.isEmpty {
            if done {
                pieces.append(.answer(rest))
                return pieces
            }
            let tags = inside ? [close] : [open, close]
            let found = tags.compactMap { tag in rest.range(of: tag).map { (tag, $0) } }.min {
                $0.1.lowerBound < $1.1.lowerBound
            }
            guard let (tag, range) = found else {
                // Hold back an ending that may be the start of a tag.
                let keep = tags.map { Self.overlap(rest, $0) }.max() ?? 0
                let emit = String(rest.dropLast(keep))
                held = String(rest.suffix(keep))
                if !emit.isEmpty { pieces.append(inside ? .reasoning(emit) : .answer(emit)) }
                return pieces
            }
            let before = String(rest[..<range.lowerBound])
            if !before.isEmpty { pieces.append(inside ? .reasoning(before) : .answer(before)) }
            removedCharacters += tag.count
            if tag == open {
                inside = true
            } else {
                if !inside { pieces.append(.closedWithoutOpening) }
                inside = false
                done = true
            }
            rest = String(rest[range.upperBound...])
        }
        return pieces
    }

    /// What is held back at the end of the stream, as it stands.
    mutating func finish() -> [Piece] {
        defer { held = "" }
        guard !held.isEmpty else { return [] }
        return [inside ? .reasoning(held) : .answer(held)]
    }

    /// Whether any tag was taken out.
    var split: Bool { removedCharacters > 0 }

    /// The length of the longest ending of `text` that begins `tag` (a proper prefix).
    static func overlap(_ text: String, _ tag: String) -> Int {
        for length in stride(from: min(tag.count - 1, text.count), to: 0, by: -1)
        where text.hasSuffix(tag.prefix(length)) {
            return length
        }
        return 0
    }
}
