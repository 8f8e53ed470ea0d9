/// A function a request offers the model: its name, what it does, and its parameters'
/// JSON Schema, as the case declares them.
public struct ToolDefinition: Sendable, Hashable, Codable {
    public var name: String
    public var description: String?
    /// The parameters' schema as the case wrote it (BFCL's `"type": "dict"` included; the
    /// wire format turns it into JSON Schema).
    public var parameters: JSONValue?

    public init(name: String, description: String? = nil, parameters: JSONValue? = nil) {
        self.name = name
        self.description = description
        self.parameters = parameters
    }

    /// Reads an OpenAI tool (`{"type": "function", "function": {...}}`) or a bare function
    /// (`{"name", "description", "parameters"}`, BFCL's form); nil when it is neither.
    public init?(_ value: JSONValue) {
        var declaration = value
        if value["type"]?.stringValue == "function", let inner = value["function"] { declaration = inner }
        guard let name = declaration["name"]?.stringValue, !name.isEmpty else { return nil }
        self.init(
            name: name, description: declaration["description"]?.stringValue, parameters: declaration["parameters"])
    }
}

/// Which tool the model may or must call (`tool_choice`).
public enum ToolChoice: Sendable, Hashable, Codable {
    case auto
    case none
    case required
    /// This function, by its declared name.
    case function(String)

    /// Reads `"auto"`, `"none"`, `"required"`, or `{"type": "function", "function": {"name"}}`
    /// (or `{"name": ...}`); nil otherwise.
    public init?(_ value: JSONValue) {
        switch value {
        case .string("auto"): self = .auto
        case .string("none"): self = .none
        case .string("required"): self = .required
        case .object:
            guard let name = (value["function"]?["name"] ?? value["name"])?.stringValue, !name.isEmpty else {
                return nil
            }
            self = .function(name)
        default: return nil
        }
    }
}

/// Names a vendor accepts for a function (`^[a-zA-Z0-9_-]{1,64}$` at OpenAI) for the
/// declared ones, and back: `math.factorial` goes out as `math_factorial`, and a call to
/// `math_factorial` is kept as a call to `math.factorial`.
public struct ToolNames: Sendable, Hashable {
    /// Declared name to wire name.
    public private(set) var wire: [String: String] = [:]
    /// Wire name to declared name.
    public private(set) var declared: [String: String] = [:]

    public init(_ names: [String]) {
        for name in names where wire[name] == nil {
            let base = Self.allowed(name)
            var candidate = base
            var suffix = 2
            while declared[candidate] != nil || (candidate != name && names.contains(candidate)) {
                let tail = "_\(suffix)"
                candidate = String(base.prefix(64 - tail.count)) + tail
                suffix += 1
            }
            wire[name] = candidate
            declared[candidate] = name
        }
    }

    /// The name with every character outside `[a-zA-Z0-9_-]` made `_`, at most 64 long.
    static func allowed(_ name: String) -> String {
        // Nearly every name is allowed as it is: checked byte by byte before anything is built.
        let isAllowed = { (byte: UInt8) in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
                || byte == UInt8(ascii: "-")
        }
        if !name.isEmpty, name.utf8.count <= 64, name.utf8.allSatisfy(isAllowed) { return name }
        let scalars = name.unicodeScalars.map { scalar -> Character in
            let ok =
                (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || (scalar >= "0" && scalar <= "9")
                || scalar == "_" || scalar == "-"
            return ok ? Character(scalar) : "_"
        }
        let text = String(scalars.prefix(64))
        return text.isEmpty ? "_" : text
    }

    /// The declared name of a name a model called (itself when it is not a wire name).
    public func declaredName(_ wireName: String) -> String { declared[wireName] ?? wireName }
    public func wireName(_ declaredName: String) -> String { wire[declaredName] ?? declaredName }
    public var isIdentity: Bool { wire.allSatisfy { $0.key == $0.value } }
}
