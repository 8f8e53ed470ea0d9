import AssayCore
import Foundation
import Yams

/// A YAML file a user wrote, parsed, with every node's line kept for diagnostics.
public struct YAMLFile: Sendable {
    /// The path as given, used in messages (`plans/local.yaml:12: ...`).
    public var path: String
    /// Nil for an empty document.
    public var root: YAMLNode?

    public init(path: String, root: YAMLNode?) {
        self.path = path
        self.root = root
    }

    /// Reads and parses `path`; a missing file or invalid YAML is an `InputError` with its line.
    public static func load(_ path: String) throws(InputError) -> YAMLFile {
        let text = try TextFile.read(path)
        return try parse(text, path: path)
    }

    /// A leading byte-order mark (U+FEFF, which editors on Windows write) is dropped: it is
    /// not part of the document, and left in, the first key read as "\u{FEFF}id".
    public static func parse(_ text: String, path: String) throws(InputError) -> YAMLFile {
        var text = text
        if text.unicodeScalars.first == "\u{FEFF}" { text = String(text.unicodeScalars.dropFirst()) }
        do {
            // The parser lives while its nodes are converted: a node's anchor is a weak
            // reference that only the parser keeps alive (see `convert`).
            let parser = try Parser(yaml: text)
            let node = try parser.singleRoot()
            return try withExtendedLifetime(parser) {
                YAMLFile(path: path, root: try node.map { node throws(InputError) in try convert(node, path: path) })
            }
        } catch let error as InputError {
            throw error
        } catch let error as YamlError {
            throw InputError([describe(error, path: path)])
        } catch {
            throw InputError(file: path, "invalid YAML: \(error)")
        }
    }

    /// The node at a dotted key path (`timeouts.total`), or the deepest one on the way to it.
    public func node(at path: String) -> YAMLNode? {
        var node = root
        for key in path.split(separator: ".") {
            guard let next = node?[String(key)] else { break }
            node = next
        }
        return node
    }

    /// A diagnostic at `node`'s line.
    public func diagnostic(at node: YAMLNode?, _ message: String) -> Diagnostic {
        Diagnostic(file: path, line: node?.line ?? 1, message)
    }

    /// Decodes the document into `T` (whose coding keys are the YAML keys). A decoding
    /// failure points at the line of the field it concerns.
    public func decode<T: Decodable>(_ type: T.Type) throws(InputError) -> T {
        guard let root else {
            throw InputError(file: path, line: 1, "the file is empty")
        }
        let data: Data
        do {
            data = try JSONEncoder().encode(root.json)
        } catch {
            throw InputError(file: path, "cannot read: \(error)")
        }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw InputError([diagnostic(for: error, root: root)])
        } catch let error as InputError {
            throw error
        } catch {
            throw InputError(file: path, "\(error)")
        }
    }

    /// Reports keys of a mapping that `allowed` does not list: a typo in a config key is
    /// otherwise silently ignored.
    public func unknownKeys(in node: YAMLNode?, allowed: [String], context: String) -> [Diagnostic] {
        guard let node else { return [] }
        return node.keys.filter { !allowed.contains($0.key) }.map { key in
            Diagnostic(
                file: path, line: key.line,
                "unknown key '\(key.key)' in \(context); expected one of: \(allowed.joined(separator: ", "))")
        }
    }

    private func diagnostic(for error: DecodingError, root: YAMLNode) -> Diagnostic {
        switch error {
        case .keyNotFound(let key, let context):
            let node = root.deepest(along: context.codingPath)
            let parent = context.codingPath.dottedPath
            return diagnostic(
                at: node, "missing required field '\(key.stringValue)'" + (parent.isEmpty ? "" : " in '\(parent)'"))
        case .typeMismatch(let type, let context):
            let node = root.deepest(along: context.codingPath)
            return diagnostic(
                at: node,
                "'\(context.codingPath.dottedPath)' should be \(Self.describe(type)), found \(Self.describe(node))")
        case .valueNotFound(let type, let context):
            let node = root.deepest(along: context.codingPath)
            return diagnostic(at: node, "'\(context.codingPath.dottedPath)' is empty; expected \(Self.describe(type))")
        case .dataCorrupted(let context):
            let node = root.deepest(along: context.codingPath)
            let value = node.scalarText.map { " '\($0)'" } ?? ""
            return diagnostic(
                at: node, "invalid value\(value) for '\(context.codingPath.dottedPath)': \(context.debugDescription)")
        @unknown default:
            return Diagnostic(file: path, line: 1, "\(error)")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        let name = String(describing: type)
        if name.hasPrefix("Array") { return "a list" }
        if name.hasPrefix("Dictionary") { return "a mapping" }
        switch name {
        case "String": return "text"
        case "Int": return "a whole number"
        case "Double", "Float": return "a number"
        case "Bool": return "true or false"
        default: return "a mapping (\(name))"
        }
    }

    private static func describe(_ node: YAMLNode) -> String {
        switch node.value {
        case .null: return "nothing"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar(let value): return "'\(value.templateText)'"
        }
    }

    private static func describe(_ error: YamlError, path: String) -> Diagnostic {
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let detail = context.map { "\(problem) \($0.text)" } ?? problem
            return Diagnostic(file: path, line: mark.line, "invalid YAML: \(detail)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return Diagnostic(
                file: path, line: context.mark.line,
                "invalid YAML: duplicate key \(duplicates.map { "'\($0)'" }.joined(separator: ", "))")
        case .reader(let problem, _, _, _):
            return Diagnostic(file: path, line: 1, "invalid YAML: \(problem)")
        default:
            return Diagnostic(file: path, line: 1, "invalid YAML: \(error)")
        }
    }

    private static func convert(_ node: Node, path: String) throws(InputError) -> YAMLNode {
        let line = node.mark?.line ?? 1
        // Yams resolves an alias to the node it names, which keeps its anchor: refusing any
        // anchored node stops an alias bomb (a few hundred bytes that expand to billions of
        // nodes) at its first anchor, before anything walks the expansion.
        if node.anchor != nil {
            throw InputError(
                file: path, line: line, "YAML anchors (&) and aliases (*) are not supported here; write the value out")
        }
        switch node {
        case .scalar(let scalar):
            return YAMLNode(line: line, value: scalarValue(node, scalar))
        case .sequence(let sequence):
            var nodes: [YAMLNode] = []
            for element in sequence { nodes.append(try convert(element, path: path)) }
            return YAMLNode(line: line, value: .sequence(nodes))
        case .mapping(let mapping):
            var pairs: [(key: String, keyLine: Int, value: YAMLNode)] = []
            for (key, value) in mapping {
                guard let keyText = key.scalar?.string else {
                    throw InputError(file: path, line: key.mark?.line ?? line, "a mapping key must be plain text")
                }
                pairs.append((keyText, key.mark?.line ?? line, try convert(value, path: path)))
            }
            return YAMLNode(line: line, value: .mapping(pairs))
        case .alias:
            throw InputError(file: path, line: line, "YAML aliases are not supported here; write the value out")
        }
    }

    /// Plain scalars follow the YAML 1.2 core schema, strictly: `yes`, `no`, `on` and `off`
    /// stay text (a label named "no" must not turn into `false`), and so do timestamps.
    private static func scalarValue(_ node: Node, _ scalar: Node.Scalar) -> YAMLNode.Value {
        let text = scalar.string
        guard scalar.style == .plain else { return .scalar(.string(text)) }
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .scalar(.bool(true))
        case "false", "False", "FALSE": return .scalar(.bool(false))
        default: break
        }
        if let value = Int(text.hasPrefix("+") ? String(text.dropFirst()) : text) { return .scalar(.int(value)) }
        let isNumeric = text.unicodeScalars.allSatisfy { "0123456789+-.eE".unicodeScalars.contains($0) }
        if isNumeric, text.contains(where: \.isNumber), let value = Double(text) { return .scalar(.double(value)) }
        return .scalar(.string(text))
    }
}
