import AssayCore

/// The Python type a JSON value becomes under `json.loads`, which is what BFCL's checker
/// compares types by.
enum PythonType: String, Sendable, Hashable {
    case str, int, float, bool, list, dict, none = "NoneType"

    init(of value: JSONValue) {
        switch value {
        case .null: self = .none
        case .bool: self = .bool
        case .int: self = .int
        case .double: self = .float
        case .string: self = .str
        case .array: self = .list
        case .object: self = .dict
        }
    }
}

/// Python's `==` on values from `json.loads`: numbers compare by value across `int`,
/// `float` and `bool` (`True == 1`, `1 == 1.0`), lists element by element, dicts by keys and
/// values. (`JSONValue`'s own `==` keeps booleans apart from numbers.)
func pythonEquals(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
    switch (lhs, rhs) {
    case (.null, .null): return true
    case (.string(let a), .string(let b)): return a == b
    case (.array(let a), .array(let b)):
        return a.count == b.count && zip(a, b).allSatisfy { pythonEquals($0, $1) }
    case (.object(let a), .object(let b)):
        return a.count == b.count && a.allSatisfy { key, value in b[key].map { pythonEquals(value, $0) } ?? false }
    case (.int(let a), .int(let b)): return a == b
    default:
        guard let a = pythonNumber(lhs), let b = pythonNumber(rhs) else { return false }
        return a == b
    }
}

/// `x in values` in Python.
func pythonContains(_ values: [JSONValue], _ value: JSONValue) -> Bool {
    values.contains { pythonEquals($0, value) }
}

private func pythonNumber(_ value: JSONValue) -> Double? {
    switch value {
    case .bool(let flag): flag ? 1 : 0
    case .int(let int): Double(int)
    case .double(let double): double
    default: nil
    }
}

/// The empty string: in a list of acceptable values, it says the parameter may be omitted.
func isOmittable(_ value: JSONValue) -> Bool {
    if case .string(let text) = value { return text.isEmpty }
    return false
}
