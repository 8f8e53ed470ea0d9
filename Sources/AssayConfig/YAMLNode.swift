import AssayCore

/// A YAML node with the line it starts on: what config loaders walk to point at problems.
public struct YAMLNode: Sendable {
    public enum Value: Sendable {
        case null
        /// A scalar with its YAML 1.2 core-schema reading (string, int, float, bool).
        case scalar(JSONValue)
        case sequence([YAMLNode])
        /// Keys in file order; keys are scalars read as strings.
        case mapping([(key: String, keyLine: Int, value: YAMLNode)])
    }

    /// 1-based line where the node starts.
    public var line: Int
    public var value: Value

    public init(line: Int, value: Value) {
        self.line = line
        self.value = value
    }

    public subscript(key: String) -> YAMLNode? {
        guard case .mapping(let pairs) = value else { return nil }
        return pairs.first { $0.key == key }?.value
    }

    public var isMapping: Bool {
        if case .mapping = value { return true }
        return false
    }

    public var keys: [(key: String, line: Int)] {
        guard case .mapping(let pairs) = value else { return [] }
        return pairs.map { ($0.key, $0.keyLine) }
    }

    public var elements: [YAMLNode]? {
        if case .sequence(let nodes) = value { return nodes }
        return nil
    }

    /// The scalar as text, when it is one (numbers and booleans in their YAML spelling).
    public var scalarText: String? {
        guard case .scalar(let json) = value else { return nil }
        return json.templateText
    }

    /// The node as JSON: mappings become objects, sequences arrays, scalars their typed value.
    public var json: JSONValue {
        switch value {
        case .null: return .null
        case .scalar(let value): return value
        case .sequence(let nodes): return .array(nodes.map(\.json))
        case .mapping(let pairs):
            var object: [String: JSONValue] = [:]
            for pair in pairs { object[pair.key] = pair.value.json }
            return .object(object)
        }
    }

    /// The node a coding path leads to, or the deepest node on the way there.
    public func deepest(along path: [any CodingKey]) -> YAMLNode {
        var node = self
        for key in path {
            let next: YAMLNode?
            if let index = key.intValue {
                next = node.elements.flatMap { index < $0.count ? $0[index] : nil }
            } else {
                next = node[key.stringValue]
            }
            guard let next else { break }
            node = next
        }
        return node
    }
}

extension [any CodingKey] {
    /// `models[3].price.output`: a coding path as a user reads it.
    public var dottedPath: String {
        var out = ""
        for key in self {
            if let index = key.intValue {
                out += "[\(index)]"
            } else {
                if !out.isEmpty { out += "." }
                out += key.stringValue
            }
        }
        return out
    }
}
