import AssayCore

/// The JSON an answer holds: the whole answer, else the first fenced block that parses, else
/// the first `{...}` in the text that parses. Prose around it is allowed, and noted.
struct JSONAnswer {
    var value: JSONValue
    /// Text other than whitespace came with the JSON.
    var prose: Bool

    /// Bare `{` tried at most this many times, and at most this many bytes scanned for their
    /// closing braces in all, so that a long answer full of braces costs little.
    static let maxCandidates = 64
    static let maxScannedBytes = 4 << 20

    /// The JSON in `text`, or why there is none.
    static func find(in text: String) -> Result<JSONAnswer, JSONAnswerError> {
        let bytes = Array(text.utf8)
        let start = bytes.firstIndex { !isSpace($0) } ?? bytes.count
        let end = (bytes.lastIndex { !isSpace($0) } ?? -1) + 1
        guard start < end else { return .failure(JSONAnswerError(reason: "the answer is empty")) }
        var firstFailure: String?
        do throws(JSONParser.Failure) {
            return .success(JSONAnswer(value: try JSONParser.parse(bytes[start..<end]), prose: false))
        } catch {
            // Only an answer that looks like JSON as a whole reports its own failure.
            if bytes[start] == UInt8(ascii: "{") || bytes[start] == UInt8(ascii: "[") {
                firstFailure = "invalid JSON: \(error.description)"
            }
        }
        for fence in fences(bytes) {
            do throws(JSONParser.Failure) {
                let value = try JSONParser.parse(bytes[fence.content])
                let outside = bytes[start..<fence.whole.lowerBound] + bytes[fence.whole.upperBound..<end]
                return .success(JSONAnswer(value: value, prose: outside.contains { !isSpace($0) }))
            } catch {
                firstFailure = firstFailure ?? "the fenced block is not JSON: \(error.description)"
            }
        }
        var candidates = 0
        var scanned = 0
        for open in start..<end where bytes[open] == UInt8(ascii: "{") {
            candidates += 1
            guard candidates <= maxCandidates, scanned < maxScannedBytes else { break }
            let close = matchingBrace(bytes, from: open, limit: maxScannedBytes - scanned)
            scanned += (close ?? bytes.count) - open
            guard let close else {
                firstFailure = firstFailure ?? "the JSON object that starts at byte \(open) never closes"
                continue
            }
            do throws(JSONParser.Failure) {
                let value = try JSONParser.parse(bytes[open...close])
                return .success(JSONAnswer(value: value, prose: open > start || close + 1 < end))
            } catch {
                firstFailure = firstFailure ?? "invalid JSON: \(error.description)"
            }
        }
        return .failure(JSONAnswerError(reason: firstFailure ?? "no JSON object in the answer"))
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    /// Fenced blocks (```` ``` ````, with or without a language tag): the whole block and its content.
    private static func fences(_ bytes: [UInt8]) -> [(whole: Range<Int>, content: Range<Int>)] {
        var blocks: [(whole: Range<Int>, content: Range<Int>)] = []
        var index = 0
        while let open = fence(in: bytes, from: index) {
            var contentStart = open + 3
            while contentStart < bytes.count, bytes[contentStart] != 0x0A { contentStart += 1 }
            guard contentStart < bytes.count, let close = fence(in: bytes, from: contentStart) else { break }
            blocks.append((open..<close + 3, contentStart..<close))
            index = close + 3
        }
        return blocks
    }

    private static func fence(in bytes: [UInt8], from start: Int) -> Int? {
        let tick = UInt8(ascii: "`")
        var index = start
        while index + 2 < bytes.count {
            if bytes[index] == tick, bytes[index + 1] == tick, bytes[index + 2] == tick { return index }
            index += 1
        }
        return nil
    }

    /// The `}` that closes the `{` at `open`, skipping braces inside strings, within `limit` bytes.
    private static func matchingBrace(_ bytes: [UInt8], from open: Int, limit: Int) -> Int? {
        var depth = 0
        var inString = false
        var escaped = false
        for index in open..<min(bytes.count, open + limit) {
            let byte = bytes[index]
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"): depth += 1
            case UInt8(ascii: "}"):
                depth -= 1
                if depth == 0 { return index }
            default: break
            }
        }
        return nil
    }
}

/// Why an answer holds no JSON that can be read.
struct JSONAnswerError: Error, Sendable {
    var reason: String
}
