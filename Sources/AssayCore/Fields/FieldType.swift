/// A field of structured output, as a suite declares it: what kind of value it holds, and so
/// how an answer's value is read and compared (`fields` grader) and what JSON Schema the
/// request asks for (`response_format`).
///
/// Written in suite.yaml under the grader's `fields:` as a type name (`total: amount`) or a
/// mapping (`currency: {type: enum, values: [CNY, USD]}`, `items: {type: list, of: ...,
/// max_items: 20}`, `note: {type: string, max_length: 200}`, `buyer: {type: object, fields:
/// {...}}`); a mapping with no `type` is a nested object.
public indirect enum FieldType: Sendable, Hashable {
    /// Text, compared after NFKC, case folding and whitespace folding; at most `maxLength`
    /// characters when the declaration sets `max_length`.
    case string(maxLength: Int?)
    /// Money, compared to the cent: `12.5`, `"¥1,234.50"`, `"RMB 12.50"`, `"12.50元"`.
    case amount
    /// A day, compared as ISO `YYYY-MM-DD` from common English and Chinese writings.
    case date
    /// One of the declared values (compared as strings are).
    case enumeration([String])
    /// A list scored as a set: precision and recall over its elements; at most `maxItems`
    /// of them when the declaration sets `max_items` (a small model held to a schema by a
    /// grammar can otherwise fill a list until it runs out of tokens).
    case list(FieldType, maxItems: Int?)
    /// Named fields of their own.
    case object([String: FieldType])

    /// The type's name as suite.yaml writes it.
    public var name: String {
        switch self {
        case .string: "string"
        case .amount: "amount"
        case .date: "date"
        case .enumeration: "enum"
        case .list: "list"
        case .object: "object"
        }
    }

    /// The type names a declaration may use.
    public static let names = ["string", "amount", "date", "enum", "list", "object"]
}

extension FieldType {
    /// A declaration as written (`"amount"`, or a mapping); a problem names the field's
    /// path (`items.amount`) and what is wrong.
    public init(declaration: JSONValue, path: String) throws(FieldDeclarationError) {
        switch declaration {
        case .string(let name):
            switch name {
            case "string": self = .string(maxLength: nil)
            case "amount": self = .amount
            case "date": self = .date
            case "enum", "list", "object":
                throw FieldDeclarationError(
                    path: path, "'\(name)' needs a mapping: {type: \(name), \(Self.partName(name)): ...}")
            default:
                throw FieldDeclarationError(
                    path: path, "unknown field type '\(name)'; expected one of: \(Self.names.joined(separator: ", "))")
            }
        case .object(let members):
            self = try Self.mapping(members, path: path)
        default:
            throw FieldDeclarationError(path: path, "a field is declared by a type name or a mapping with 'type'")
        }
    }

    private static func partName(_ type: String) -> String {
        switch type {
        case "enum": "values"
        case "list": "of"
        default: "fields"
        }
    }

    /// The keys a mapping of each type takes besides `type`.
    private static func keys(_ type: String) -> Set<String> {
        switch type {
        case "enum": ["values"]
        case "list": ["of", "max_items"]
        case "object": ["fields"]
        case "string": ["max_length"]
        default: []
        }
    }

    private static func mapping(_ members: [String: JSONValue], path: String) throws(FieldDeclarationError) -> FieldType
    {
        guard let typeValue = members["type"] else { return try object(members, path: path) }
        guard let type = typeValue.stringValue else {
            throw FieldDeclarationError(path: path, "'type' must be a type name")
        }
        if let extra = members.keys.sorted().first(where: { $0 != "type" && !keys(type).contains($0) }) {
            throw FieldDeclarationError(path: path, "unknown key '\(extra)' in a field of type '\(type)'")
        }
        switch type {
        case "enum":
            guard let values = members["values"]?.arrayValue, !values.isEmpty,
                case let names = values.compactMap(\.stringValue), names.count == values.count
            else { throw FieldDeclarationError(path: path, "an enum needs 'values': a non-empty list of text") }
            return .enumeration(names)
        case "list":
            guard let element = members["of"] else {
                throw FieldDeclarationError(path: path, "a list needs 'of': the type of its elements")
            }
            return .list(
                try FieldType(declaration: element, path: path + "[]"),
                maxItems: try limit(members["max_items"], "max_items", path: path))
        case "object":
            guard let fields = members["fields"]?.objectValue else {
                throw FieldDeclarationError(path: path, "an object needs 'fields': a mapping of field names to types")
            }
            return try object(fields, path: path)
        case "string":
            return .string(maxLength: try limit(members["max_length"], "max_length", path: path))
        default:
            return try FieldType(declaration: typeValue, path: path)
        }
    }

    private static func limit(_ value: JSONValue?, _ key: String, path: String) throws(FieldDeclarationError) -> Int? {
        guard let value else { return nil }
        guard let limit = value.intValue, limit > 0 else {
            throw FieldDeclarationError(path: path, "'\(key)' must be a whole number above 0")
        }
        return limit
    }

    private static func object(_ members: [String: JSONValue], path: String) throws(FieldDeclarationError) -> FieldType
    {
        guard !members.isEmpty else { throw FieldDeclarationError(path: path, "an object needs at least one field") }
        var fields: [String: FieldType] = [:]
        for (name, declaration) in members {
            guard !name.isEmpty else { throw FieldDeclarationError(path: path, "a field name may not be empty") }
            fields[name] = try FieldType(declaration: declaration, path: path.isEmpty ? name : path + "." + name)
        }
        return .object(fields)
    }
}

/// A field declaration that cannot be read: the field's path and the reason.
public struct FieldDeclarationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public init(path: String, _ reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { path.isEmpty ? reason : "field '\(path)': \(reason)" }
}
