import AssayCore
import Crypto
import Foundation

/// A suite's fingerprint: SHA-256, in hex, of what decides its results (prompt, grader and
/// its settings, generation, structured output, required capabilities; each case's id, input,
/// expected answer and tags), encoded as JSON with sorted keys. Where the suite was read from
/// and the lines its cases sat on do not count: a copied suite is the same suite, an edited
/// case makes a new one. A published site compares a suite's results across runs only while
/// this is the same (`SuiteRef.fingerprint`).
///
/// The JSON is the bytes Foundation's `JSONEncoder` writes (`.sortedKeys`,
/// `.withoutEscapingSlashes`) for `Canonical`, so that fingerprints stored by earlier versions
/// still match. The suite's own fields go through the encoder; the cases, which are nearly all
/// of the bytes, are written by `CanonicalJSON` in the encoder's spelling and hashed as they
/// are written (the encoder took 0.15 s for 20,000 small cases, and more for tools suites).
/// `SuiteFingerprintTests` holds the two to the same bytes on every shipped suite.
enum SuiteFingerprint {
    struct Canonical: Encodable {
        struct CaseEntry: Encodable {
            var id: String
            var input: [String: JSONValue]
            var expected: JSONValue
            var tags: [String]
        }

        var id: String
        var kind: SuiteKind
        var grader: GraderSpec
        var prompt: PromptTemplate
        var requires: [String]
        var generation: Generation
        var responseFormat: ResponseFormat?
        var cases: [CaseEntry]
    }

    static func of(_ suite: Suite) -> String? {
        // The suite's fields with no cases: `"cases"` sorts first, so the encoder writes
        // `{"cases":[]` and then the rest.
        let header = Canonical(
            id: suite.id, kind: suite.kind, grader: suite.grader, prompt: suite.prompt,
            requires: suite.requires.map(\.rawValue).sorted(), generation: suite.generation,
            responseFormat: suite.responseFormat, cases: [])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let opening = Array(#"{"cases":["#.utf8)
        guard let encoded = try? encoder.encode(header), encoded.starts(with: opening + [UInt8(ascii: "]")]) else {
            return nil
        }
        var hasher = SHA256()
        hasher.update(data: opening)
        var json = CanonicalJSON()
        for (index, item) in suite.cases.enumerated() {
            json.bytes.removeAll(keepingCapacity: true)
            if index > 0 { json.bytes.append(UInt8(ascii: ",")) }
            json.write(
                .object([
                    "id": .string(item.id), "input": .object(item.input), "expected": item.expected,
                    "tags": .array(item.tags.map(JSONValue.string)),
                ]))
            hasher.update(data: json.bytes)
        }
        // A value the encoder refuses (a non-finite double) leaves the suite without one, as before.
        guard !json.refused else { return nil }
        hasher.update(data: encoded.dropFirst(opening.count))
        return RequestBuilder.hex(hasher.finalize())
    }
}

/// JSON as Foundation's `JSONEncoder` spells it with `.sortedKeys` and
/// `.withoutEscapingSlashes`: keys in UTF-8 byte order; `\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t`
/// and `\u00xx` (lower-case) for the other control characters, everything else as it is;
/// a double as the encoder writes it (asked of the encoder: its rules are its own).
struct CanonicalJSON {
    var bytes: [UInt8] = []
    /// Whether a value was one the encoder refuses (NaN, an infinity).
    private(set) var refused = false

    mutating func write(_ value: JSONValue) {
        switch value {
        case .null: bytes.append(contentsOf: "null".utf8)
        case .bool(let flag): bytes.append(contentsOf: (flag ? "true" : "false").utf8)
        case .int(let number): bytes.append(contentsOf: String(number).utf8)
        case .double(let number):
            guard let spelled = Self.encoderDouble(number) else {
                refused = true
                return
            }
            bytes.append(contentsOf: spelled)
        case .string(let text): writeString(text)
        case .array(let elements):
            bytes.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                write(element)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            bytes.append(UInt8(ascii: "{"))
            let keys = members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for (index, key) in keys.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                writeString(key)
                bytes.append(UInt8(ascii: ":"))
                if let member = members[key] { write(member) }
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    mutating func writeString(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): bytes.append(contentsOf: #"\\"#.utf8)
            case 0x08: bytes.append(contentsOf: #"\b"#.utf8)
            case 0x0C: bytes.append(contentsOf: #"\f"#.utf8)
            case 0x0A: bytes.append(contentsOf: #"\n"#.utf8)
            case 0x0D: bytes.append(contentsOf: #"\r"#.utf8)
            case 0x09: bytes.append(contentsOf: #"\t"#.utf8)
            case ..<0x20:
                let digits = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: #"\u00"#.utf8)
                bytes.append(digits[Int(byte >> 4)])
                bytes.append(digits[Int(byte & 0x0F)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// The encoder's own spelling of `number` (a double in a case is rare: asking it costs little).
    static func encoderDouble(_ number: Double) -> [UInt8]? {
        guard let data = try? JSONEncoder().encode([number]), data.count > 2 else { return nil }
        return Array(data.dropFirst().dropLast())
    }
}
