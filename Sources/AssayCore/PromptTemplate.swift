import Foundation

/// A prompt with `{{field}}` slots filled from a case's input.
///
/// Slot names are letters, digits, `_`, `-` and `.`; spaces inside the braces are allowed
/// (`{{ question }}`). Text that is not a well-formed slot is left as it is, so a prompt
/// may show literal braces.
public struct PromptTemplate: Sendable, Hashable, Codable {
    public var system: String?
    public var template: String

    public init(system: String? = nil, template: String) {
        self.system = system
        self.template = template
    }

    /// The slot names used by the system prompt and the template, in order of first use.
    public var slots: [String] {
        var seen = Set<String>()
        var names: [String] = []
        for text in [system ?? "", template] {
            for slot in Self.slots(in: text) where seen.insert(slot.name).inserted {
                names.append(slot.name)
            }
        }
        return names
    }

    /// Fills the slots; returns the slot names that `fields` does not have.
    public func render(_ fields: [String: JSONValue]) -> (system: String?, user: String, missing: [String]) {
        var missing: [String] = []
        let fill: (String) -> String = { text in
            Self.fill(text, fields: fields, missing: &missing)
        }
        let system = self.system.map(fill)
        let user = fill(template)
        return (system, user, missing)
    }

    struct Slot {
        var name: String
        var range: Range<String.Index>
    }

    /// Found byte for byte in UTF-8 (`{` and `}` are ASCII, so every index found is one of
    /// the text's own): every item's prompt is rendered through this, and Foundation's
    /// `range(of:)` goes through UTF-16 on Linux.
    static func slots(in text: String) -> [Slot] {
        let utf8 = text.utf8
        var result: [Slot] = []
        var searchStart = utf8.startIndex
        while let open = pair(UInt8(ascii: "{"), in: utf8, from: searchStart) {
            let inside = utf8.index(open, offsetBy: 2)
            guard let close = pair(UInt8(ascii: "}"), in: utf8, from: inside) else { break }
            let end = utf8.index(close, offsetBy: 2)
            let inner = text[inside..<close].trimmingSpaces()
            if !inner.isEmpty, inner.unicodeScalars.allSatisfy(isSlotScalar) {
                result.append(Slot(name: String(inner), range: open..<end))
                searchStart = end
            } else {
                searchStart = inside
            }
        }
        return result
    }

    /// Where `byte` first appears twice in a row in `utf8` from `start`.
    private static func pair(_ byte: UInt8, in utf8: String.UTF8View, from start: String.Index) -> String.Index? {
        var index = start
        while let found = utf8[index...].firstIndex(of: byte) {
            let next = utf8.index(after: found)
            if next < utf8.endIndex && utf8[next] == byte { return found }
            index = next
        }
        return nil
    }

    private static func isSlotScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "_", "-", ".": return true
        default: return false
        }
    }

    private static func fill(_ text: String, fields: [String: JSONValue], missing: inout [String]) -> String {
        let slots = slots(in: text)
        guard !slots.isEmpty else { return text }
        var out = ""
        var cursor = text.startIndex
        for slot in slots {
            out += text[cursor..<slot.range.lowerBound]
            if let value = fields[slot.name] {
                out += value.templateText
            } else {
                if !missing.contains(slot.name) { missing.append(slot.name) }
                out += text[slot.range]
            }
            cursor = slot.range.upperBound
        }
        out += text[cursor...]
        return out
    }
}

extension Substring {
    func trimmingSpaces() -> Substring {
        var result = self
        while let first = result.first, first == " " { result = result.dropFirst() }
        while let last = result.last, last == " " { result = result.dropLast() }
        return result
    }
}
