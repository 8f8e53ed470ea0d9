/// Parses JSON text (RFC 8259) from UTF-8 bytes into a `JSONValue`: how every streamed
/// chunk of every answer is read. Foundation's JSONDecoder into Codable structs was the
/// largest single cost of a run (a fifth of its CPU, `assay-bench throughput`); this reads
/// the bytes once, with no intermediate representation.
///
/// Strict where JSON is strict: one value and nothing after it but whitespace; no comments,
/// single quotes, leading zeros, `NaN` or bare control characters in strings; numbers must
/// fit a `Double` (an integer that fits an `Int` stays one). Lenient only where leniency
/// loses nothing: a trailing comma is read past (as JSONDecoder reads it), invalid UTF-8 and
/// unpaired `\u` surrogates become U+FFFD (JSONDecoder refuses the whole chunk), and a
/// repeated key keeps its last value. Hostile input cannot exhaust the stack: arrays and
/// objects nest at most `maxDepth` deep.
public struct JSONParser {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        /// Where, in bytes from the start.
        public var offset: Int
        public var reason: String
        public var description: String { "\(reason) at byte \(offset)" }
    }

    /// Deeper nesting is refused: no response Assay reads comes near it.
    public static let maxDepth = 512

    public static func parse(_ bytes: some Collection<UInt8>) throws(Failure) -> JSONValue {
        let parsed = bytes.withContiguousStorageIfAvailable { buffer in Self.result(buffer) }
        if let parsed { return try parsed.get() }
        return try Array(bytes).withUnsafeBufferPointer { Self.result($0) }.get()
    }

    private static func result(_ buffer: UnsafeBufferPointer<UInt8>) -> Result<JSONValue, Failure> {
        var parser = JSONParser(bytes: buffer)
        do throws(Failure) {
            parser.skipWhitespace()
            let value = try parser.value(depth: 0)
            parser.skipWhitespace()
            guard parser.index == buffer.count else { throw parser.failure("unexpected characters after the value") }
            return .success(value)
        } catch {
            return .failure(error)
        }
    }

    @usableFromInline let bytes: UnsafeBufferPointer<UInt8>
    @usableFromInline var index = 0
    /// How deep the pulled value is (`JSONParser+Pull`): objects and arrays entered, not left.
    var depth = 0

    @usableFromInline init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    @usableFromInline func failure(_ reason: String) -> Failure {
        Failure(offset: index, reason: reason)
    }

    var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    @usableFromInline mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): index += 1
            default: return
            }
        }
    }

    mutating func value(depth: Int) throws(Failure) -> JSONValue {
        guard let byte = current else { throw failure("unexpected end of input") }
        switch byte {
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw failure("unexpected character")
        }
    }

    mutating func literal(_ word: StaticString) throws(Failure) {
        let count = word.utf8CodeUnitCount
        guard bytes.count - index >= count else { throw failure("unexpected end of input") }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] {
            throw failure("unexpected character")
        }
        index += count
    }

    private mutating func object(depth: Int) throws(Failure) -> JSONValue {
        guard depth <= Self.maxDepth else { throw failure("nested deeper than \(Self.maxDepth)") }
        index += 1
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            index += 1
            return .object(members)
        }
        while true {
            guard current == UInt8(ascii: "\"") else { throw failure("expected a member name in quotes") }
            let key = try string()
            try colon()
            members[key] = try value(depth: depth)
            guard try another(before: UInt8(ascii: "}"), in: "an object") else {
                index += 1
                return .object(members)
            }
        }
    }

    private mutating func array(depth: Int) throws(Failure) -> JSONValue {
        guard depth <= Self.maxDepth else { throw failure("nested deeper than \(Self.maxDepth)") }
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            elements.append(try value(depth: depth))
            guard try another(before: UInt8(ascii: "]"), in: "an array") else {
                index += 1
                return .array(elements)
            }
        }
    }

    /// Past the `:` after a member's name, and the whitespace on either side of it.
    mutating func colon() throws(Failure) {
        skipWhitespace()
        guard current == UInt8(ascii: ":") else { throw failure("expected ':' after a member name") }
        index += 1
        skipWhitespace()
    }

    /// After a member or an element: true past a `,` that another follows; false at the
    /// container's `closing` bracket, left for the caller to read past (a trailing comma
    /// before it read past, as JSONDecoder reads it).
    mutating func another(before closing: UInt8, in container: String) throws(Failure) -> Bool {
        skipWhitespace()
        switch current {
        case UInt8(ascii: ",")?:
            index += 1
            skipWhitespace()
            return current != closing
        case closing?:
            return false
        default:
            throw failure("expected ',' or '\(Character(Unicode.Scalar(closing)))' in \(container)")
        }
    }

    /// A string, from its opening quote. Text with no escapes (the usual case) is taken in one
    /// piece; escapes are decoded into a byte buffer.
    mutating func string() throws(Failure) -> String {
        index += 1
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                defer { index += 1 }
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            index += 1
        }
        var decoded = Array(bytes[start..<index])
        while true {
            guard let byte = current else { throw Failure(offset: start - 1, reason: "unterminated string") }
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: decoded, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try escape(into: &decoded)
            case 0..<0x20:
                throw failure("a control character in a string must be escaped")
            default:
                decoded.append(byte)
                index += 1
            }
        }
    }

    /// One escape sequence, from its backslash.
    mutating func escape(into decoded: inout [UInt8]) throws(Failure) {
        index += 1
        guard let byte = current else { throw failure("unexpected end of input") }
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(byte)
        case UInt8(ascii: "b"): decoded.append(0x08)
        case UInt8(ascii: "f"): decoded.append(0x0C)
        case UInt8(ascii: "n"): decoded.append(0x0A)
        case UInt8(ascii: "r"): decoded.append(0x0D)
        case UInt8(ascii: "t"): decoded.append(0x09)
        case UInt8(ascii: "u"):
            var code = try hex4()
            if (0xD800...0xDBFF).contains(code), bytes.count - index >= 6, bytes[index] == UInt8(ascii: "\\"),
                bytes[index + 1] == UInt8(ascii: "u")
            {
                let resume = index
                index += 2
                let low = try hex4()
                if (0xDC00...0xDFFF).contains(low) {
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                } else {
                    index = resume
                }
            }
            if let encoded = UTF8.encode(Unicode.Scalar(code) ?? "\u{FFFD}") { decoded.append(contentsOf: encoded) }
        default:
            index -= 1
            throw failure("invalid escape")
        }
    }

    mutating func hex4() throws(Failure) -> UInt32 {
        guard bytes.count - index >= 4 else { throw failure("unexpected end of input in a \\u escape") }
        var code: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("invalid \\u escape")
            }
            code = code << 4 | UInt32(digit)
            index += 1
        }
        return code
    }

    mutating func number() throws(Failure) -> JSONValue {
        let start = index
        if current == UInt8(ascii: "-") { index += 1 }
        guard let first = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
            throw failure("invalid number")
        }
        index += 1
        if first != UInt8(ascii: "0") { skipDigits() }
        var integral = true
        if current == UInt8(ascii: ".") {
            integral = false
            index += 1
            guard digits() else { throw failure("invalid number: no digit after '.'") }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            integral = false
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard digits() else { throw failure("invalid number: no digit in the exponent") }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        if integral, let int = Int(text) { return .int(int) }
        guard let double = Double(text), double.isFinite else {
            throw Failure(offset: start, reason: "number \(text) does not fit a Double")
        }
        return .double(double)
    }

    /// Skips one or more digits; false when there is none.
    private mutating func digits() -> Bool {
        let start = index
        skipDigits()
        return index > start
    }

    private mutating func skipDigits() {
        while let byte = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { index += 1 }
    }
}
