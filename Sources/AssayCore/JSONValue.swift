/// A JSON value: what case inputs, expectations, grader settings and grade evidence are made of.
///
/// Integers are kept apart from floating-point numbers so that an id or a count written as
/// `12` in a file comes back as `12`, not `12.0`; but as in JSON, numbers compare by value:
/// `.int(1) == .double(1.0)`.
public enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
}

extension JSONValue: Hashable {
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.double(let a), .double(let b)): return a == b
        case (.int(let a), .double(let b)), (.double(let b), .int(let a)): return Double(a) == b
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)): return a == b
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let value): hasher.combine(value)
        // Numbers hash as doubles, so that equal numbers hash alike whatever their case.
        case .int(let value): hasher.combine(Double(value))
        case .double(let value): hasher.combine(value)
        case .string(let value): hasher.combine(value)
        case .array(let value): hasher.combine(value)
        case .object(let value): hasher.combine(value)
        }
    }
}

extension JSONValue {
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var intValue: Int? {
        switch self {
        case .int(let value): return value
        case .double(let value) where value.rounded() == value && abs(value) < 9e15: return Int(value)
        default: return nil
        }
    }

    public var doubleValue: Double? {
        switch self {
        case .int(let value): return Double(value)
        case .double(let value): return value
        default: return nil
        }
    }

    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    public var objectValue: [String: JSONValue]? {
        if case .object(let value) = self { return value }
        return nil
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    public subscript(key: String) -> JSONValue? {
        objectValue?[key]
    }

    /// The text a template slot shows for this value: strings as they are, numbers and
    /// booleans in their JSON spelling, arrays and objects as compact JSON.
    public var templateText: String {
        switch self {
        case .null: return ""
        case .string(let value): return value
        default: return compactJSON
        }
    }

    /// Compact JSON with sorted keys: deterministic, so it can be hashed and compared.
    public var compactJSON: String {
        var out = JSONBytes()
        out.write(self, keepingDoubles: false)
        return out.string
    }

    /// This object's `compactJSON` with one more member, `key`, whose value is given written
    /// already (`json`, as `compactJSON` writes it): the same bytes as the object with that
    /// value in it, without writing the value again (a suite's schema, in every request).
    /// Anything but an object is written as `compactJSON` writes it, without the member.
    public func compactJSON(adding key: String, encoded json: String) -> String {
        guard case .object(var members) = self else { return compactJSON }
        members[key] = .null
        var out = JSONBytes()
        out.append("{")
        for (index, (name, member)) in members.sorted(by: { $0.key < $1.key }).enumerated() {
            if index > 0 { out.append(",") }
            out.writeString(name)
            out.append(":")
            if name == key { out.append(json) } else { out.write(member, keepingDoubles: false) }
        }
        out.append("}")
        return out.string
    }

    /// Compact JSON with sorted keys in which a double stays a double (`5.0`, not `5`): for
    /// files whose values are read back as the same types (a suite `assay import` writes,
    /// where BFCL's float answers must not come back as integers).
    public var exactJSON: String {
        var out = JSONBytes()
        out.write(self, keepingDoubles: true)
        return out.string
    }

    /// JSON with sorted keys and two-space indentation, ending with a newline: for files
    /// people read and diff.
    public var prettyJSON: String {
        var out = JSONBytes()
        out.writePretty(self, depth: 0)
        out.append("\n")
        return out.string
    }

    /// Writes `value` as a JSON string literal, escaping what RFC 8259 requires.
    public static func writeString(_ value: String, to out: inout String) {
        var bytes = JSONBytes()
        bytes.writeString(value)
        out += bytes.string
    }
}

/// JSON written as UTF-8 bytes, made a `String` once at the end: appending to a byte array
/// costs a fraction of appending to a `String` piece by piece, and request bodies and grade
/// evidence are written for every item.
struct JSONBytes {
    private var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(256) }

    var string: String { String(decoding: bytes, as: UTF8.self) }

    mutating func append(_ text: String) { bytes.append(contentsOf: text.utf8) }

    mutating func write(_ value: JSONValue, keepingDoubles: Bool) {
        switch value {
        case .null: append("null")
        case .bool(let value): append(value ? "true" : "false")
        case .int(let value): append(String(value))
        case .double(let value):
            if value.isFinite {
                if value.rounded() == value && abs(value) < 1e15 {
                    append(String(Int(value)))
                    if keepingDoubles { append(".0") }
                } else {
                    append(String(value))
                }
            } else {
                append("null")
            }
        case .string(let value): writeString(value)
        case .array(let values):
            bytes.append(UInt8(ascii: "["))
            for (index, value) in values.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                write(value, keepingDoubles: keepingDoubles)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            bytes.append(UInt8(ascii: "{"))
            writeMembers(members, keepingDoubles: keepingDoubles)
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// An object's members in the order of their keys: their indexes sorted in a buffer on the
    /// stack, so that nothing is allocated and no key is looked up again (a request's body
    /// and a grade's evidence have dozens of small objects).
    private mutating func writeMembers(_ members: [String: JSONValue], keepingDoubles: Bool) {
        withUnsafeTemporaryAllocation(of: Dictionary<String, JSONValue>.Index.self, capacity: members.count) {
            order in
            var count = 0
            var index = members.startIndex
            while index != members.endIndex {
                order.initializeElement(at: count, to: index)
                count += 1
                members.formIndex(after: &index)
            }
            var sorted = order
            if count > 1 { sorted.sort { members[$0].key < members[$1].key } }
            for position in 0..<count {
                if position > 0 { bytes.append(UInt8(ascii: ",")) }
                let (key, member) = members[order[position]]
                writeString(key)
                bytes.append(UInt8(ascii: ":"))
                write(member, keepingDoubles: keepingDoubles)
            }
            _ = order.deinitialize()
        }
    }

    mutating func writePretty(_ value: JSONValue, depth: Int) {
        let indent = String(repeating: "  ", count: depth + 1)
        let closing = String(repeating: "  ", count: depth)
        switch value {
        case .array(let values) where !values.isEmpty:
            append("[\n")
            for (index, value) in values.enumerated() {
                append(indent)
                writePretty(value, depth: depth + 1)
                append(index < values.count - 1 ? ",\n" : "\n")
            }
            append(closing + "]")
        case .object(let members) where !members.isEmpty:
            append("{\n")
            let keys = members.keys.sorted()
            for (index, key) in keys.enumerated() {
                append(indent)
                writeString(key)
                append(": ")
                if let member = members[key] { writePretty(member, depth: depth + 1) }
                append(index < keys.count - 1 ? ",\n" : "\n")
            }
            append(closing + "}")
        default:
            write(value, keepingDoubles: false)
        }
    }

    /// A JSON string literal, escaping what RFC 8259 requires. The bytes that need an escape
    /// are all ASCII, so UTF-8 is escaped byte by byte.
    mutating func writeString(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        // Most text needs no escape: copied whole.
        if !value.utf8.contains(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 < 0x20 }) {
            bytes.append(contentsOf: value.utf8)
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): append("\\\"")
            case UInt8(ascii: "\\"): append("\\\\")
            case 0x0A: append("\\n")
            case 0x0D: append("\\r")
            case 0x09: append("\\t")
            case ..<0x20:
                let hex = String(byte, radix: 16)
                append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

extension JSONValue: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else if let value = try? container.decode([String: JSONValue].self) {
            self = .object(value)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a JSON value")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByFloatLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
    public init(nilLiteral: ()) { self = .null }
}
