import AssayCore

/// What the checker needs of one declared function: its name, its parameters' types, and
/// which parameters are required. Read from an OpenAI tool (`{"type": "function",
/// "function": {...}}`) or from BFCL's bare function (`{"name", "description",
/// "parameters"}`, with `"type": "dict"` for an object).
struct FunctionSchema: Sendable, Hashable {
    var name: String
    var parameters: [String: Parameter]
    var required: [String]

    struct Parameter: Sendable, Hashable {
        /// The type as declared (`integer`, `float`, `dict`, ...), for messages.
        var declared: String
        var type: PythonType
        /// The elements' type of an `array` or `tuple`.
        var elements: PythonType?
    }

    /// Reads a declaration; the message says what is wrong with it.
    init(_ value: JSONValue) throws(SchemaError) {
        var declaration = value
        if case .object(let outer) = value, outer["type"]?.stringValue == "function", let inner = outer["function"] {
            declaration = inner
        }
        guard case .object(let fields) = declaration else { throw SchemaError("a tool is not an object") }
        guard let name = fields["name"]?.stringValue, !name.isEmpty else { throw SchemaError("a tool has no 'name'") }
        self.name = name
        var parameters: [String: Parameter] = [:]
        var required: [String] = []
        switch fields["parameters"] {
        case nil, .null?: break
        case .object(let schema)?:
            if let type = schema["type"]?.stringValue, type != "dict", type != "object" {
                throw SchemaError("tool '\(name)': 'parameters' must be of type object (or BFCL's dict), not \(type)")
            }
            switch schema["properties"] {
            case nil, .null?: break
            case .object(let properties)?:
                for (key, property) in properties {
                    parameters[key] = try Self.parameter(property, named: key, of: name)
                }
            case _?: throw SchemaError("tool '\(name)': 'parameters.properties' is not an object")
            }
            switch schema["required"] {
            case nil, .null?: break
            case .array(let names)?:
                for entry in names {
                    guard let key = entry.stringValue else {
                        throw SchemaError("tool '\(name)': 'required' lists a non-string")
                    }
                    required.append(key)
                }
            case _?: throw SchemaError("tool '\(name)': 'required' is not a list")
            }
        case _?: throw SchemaError("tool '\(name)': 'parameters' is not an object")
        }
        self.parameters = parameters
        self.required = required
    }

    private static func parameter(_ value: JSONValue, named key: String, of function: String) throws(SchemaError)
        -> Parameter
    {
        guard case .object(let fields) = value, let declared = fields["type"]?.stringValue else {
            throw SchemaError("tool '\(function)': parameter '\(key)' has no 'type'")
        }
        guard let type = pythonType(declared) else {
            throw SchemaError(
                "tool '\(function)': parameter '\(key)' has type '\(declared)', which is not one of \(typeNames)")
        }
        var elements: PythonType?
        if declared == "array" || declared == "tuple" {
            guard let itemType = fields["items"]?["type"]?.stringValue, let element = pythonType(itemType) else {
                throw SchemaError(
                    "tool '\(function)': array parameter '\(key)' needs 'items' with a 'type' (one of \(typeNames))")
            }
            elements = element
        }
        return Parameter(declared: declared, type: type, elements: elements)
    }

    /// BFCL's `PYTHON_TYPE_MAPPING`, with JSON Schema's `object` and `number` beside its
    /// `dict` and `float`.
    static func pythonType(_ declared: String) -> PythonType? {
        switch declared {
        case "string", "any": .str
        case "integer": .int
        case "float", "number": .float
        case "boolean": .bool
        case "array", "tuple": .list
        case "dict", "object": .dict
        default: nil
        }
    }

    static let typeNames = "string, integer, float, number, boolean, array, tuple, dict, object, any"
}

/// What is wrong with a tool declaration or an expected outcome, without where.
struct SchemaError: Error, Sendable {
    var message: String
    init(_ message: String) { self.message = message }
}
