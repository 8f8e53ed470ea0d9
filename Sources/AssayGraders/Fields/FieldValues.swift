import AssayCore

/// Values of declared fields, read as their types read them: the normal form two values are
/// compared by, and the checks of JSON Schema the declarations make.
enum FieldValues {
    /// The value's normal form as `type` reads it (`"2026-03-14"`, `"1234.50"`, folded text;
    /// a list's elements sorted; an object's fields by name); nil when it cannot be read so.
    static func canonical(_ value: JSONValue, _ type: FieldType) -> String? {
        switch type {
        case .string, .enumeration:
            guard case .string(let text) = value else { return nil }
            return FoldedText.fold(text)
        case .amount:
            return AmountText.cents(value).map { AmountText.text(cents: $0) }
        case .date:
            guard case .string(let text) = value else { return nil }
            return DateText.iso(text)
        case .list(let element, _):
            guard case .array(let elements) = value else { return nil }
            var keys: [String] = []
            for element in elements.map({ canonical($0, element) }) {
                guard let element else { return nil }
                keys.append(element)
            }
            return "[" + keys.sorted().joined(separator: "\u{1F}") + "]"
        case .object(let fields):
            guard case .object(let members) = value else { return nil }
            var parts: [String] = []
            for name in fields.keys.sorted() {
                guard let type = fields[name], let member = members[name], let key = canonical(member, type) else {
                    return nil
                }
                parts.append(name + "=" + key)
            }
            return "{" + parts.joined(separator: "\u{1E}") + "}"
        }
    }

    /// The first value in `value` its declared type cannot read, in words ("'dates[0]' is
    /// 'someday', not a date"); nil when every value reads.
    static func unreadable(_ value: JSONValue, _ type: FieldType, path: String) -> String? {
        switch type {
        case .object(let fields):
            for name in fields.keys.sorted() {
                guard let fieldType = fields[name], let member = value[name] else { continue }
                if let problem = unreadable(member, fieldType, path: path.isEmpty ? name : path + "." + name) {
                    return problem
                }
            }
            return nil
        case .list(let element, _):
            for (index, item) in (value.arrayValue ?? []).enumerated() {
                if let problem = unreadable(item, element, path: "\(path)[\(index)]") { return problem }
            }
            return nil
        default:
            guard canonical(value, type) == nil else { return nil }
            return "'\(path)' is '\(display(value))', not \(type.name == "amount" ? "an amount" : "a \(type.name)")"
        }
    }

    /// A value as the answer wrote it, for a report: text as is, anything else as JSON.
    static func display(_ value: JSONValue) -> String {
        let text = value.stringValue ?? value.compactJSON
        return text.utf8.count > 300 && text.count > 300 ? String(text.prefix(300)) + "…" : text
    }

    /// At most this many schema problems are kept per answer.
    static let maxViolations = 5

    /// How `value` breaks the schema `type` makes (`FieldType.jsonSchema`); `strict` also
    /// refuses fields the declarations do not name.
    static func violations(
        _ value: JSONValue, _ type: FieldType, path: String, strict: Bool, into problems: inout [String]
    ) {
        guard problems.count < maxViolations else { return }
        // Worded only for a problem: an answer that follows the schema builds no message.
        var name: String { path.isEmpty ? "the answer" : "'\(path)'" }
        switch type {
        case .string, .date:
            guard let text = value.stringValue else {
                problems.append("\(name) must be text, not \(kind(of: value))")
                return
            }
            let maxLength = if case .string(let maxLength) = type { maxLength } else { FieldType.maxWrittenLength }
            if let maxLength, text.utf8.count > maxLength, text.count > maxLength {
                problems.append("\(name) is \(text.count) characters long, more than \(maxLength)")
            }
        case .amount:
            switch value {
            case .int, .double: break
            case .string(let text)
            where text.utf8.count <= FieldType.maxWrittenLength || text.count <= FieldType.maxWrittenLength:
                break
            case .string(let text):
                problems.append("\(name) is \(text.count) characters long, more than \(FieldType.maxWrittenLength)")
            default: problems.append("\(name) must be a number or text, not \(kind(of: value))")
            }
        case .enumeration(let values):
            guard case .string(let text) = value else {
                problems.append("\(name) must be one of \(values.joined(separator: ", ")), not \(kind(of: value))")
                return
            }
            let folded = FoldedText.fold(text)
            if !values.contains(where: { FoldedText.fold($0) == folded }) {
                problems.append("\(name) is '\(display(value))', not one of \(values.joined(separator: ", "))")
            }
        case .list(let element, let maxItems):
            guard case .array(let elements) = value else {
                problems.append("\(name) must be a list, not \(kind(of: value))")
                return
            }
            if let maxItems, elements.count > maxItems {
                problems.append("\(name) has \(elements.count) elements, more than \(maxItems)")
            }
            for (index, item) in elements.enumerated() {
                violations(item, element, path: "\(path)[\(index)]", strict: strict, into: &problems)
            }
        case .object(let fields):
            guard case .object(let members) = value else {
                problems.append("\(name) must be an object, not \(kind(of: value))")
                return
            }
            objectViolations(members, fields, path: path, strict: strict, into: &problems)
        }
        if problems.count > maxViolations { problems.removeLast(problems.count - maxViolations) }
    }

    /// An object's declared fields each present and of its type; under `strict`, no other.
    private static func objectViolations(
        _ members: [String: JSONValue], _ fields: [String: FieldType], path: String, strict: Bool,
        into problems: inout [String]
    ) {
        for field in fields.keys.sorted() {
            let fieldPath = path.isEmpty ? field : path + "." + field
            guard let member = members[field], let fieldType = fields[field] else {
                problems.append("missing field '\(fieldPath)'")
                continue
            }
            violations(member, fieldType, path: fieldPath, strict: strict, into: &problems)
        }
        if strict {
            for extra in members.keys.sorted() where fields[extra] == nil {
                problems.append("unexpected field '\(path.isEmpty ? extra : path + "." + extra)'")
            }
        }
    }

    private static func kind(of value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "true or false"
        case .int, .double: "a number"
        case .string: "text"
        case .array: "a list"
        case .object: "an object"
        }
    }
}
