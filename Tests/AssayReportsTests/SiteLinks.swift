import AssayCore
import Foundation

/// A published site's files and links, read as a browser follows them: every `href` and
/// `src` of every page must name a file of the site, and every `#anchor` an id on its page.
enum SiteLinks {
    /// Every file under `root`, relative, sorted.
    static func files(in root: String) throws -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
        var files: [String] = []
        while let next = walker.nextObject() as? String {
            var directory: ObjCBool = false
            if FileManager.default.fileExists(atPath: root + "/" + next, isDirectory: &directory), !directory.boolValue
            {
                files.append(next)
            }
        }
        return files.sorted()
    }

    static func pages(in root: String) throws -> [String] { try files(in: root).filter { $0.hasSuffix(".html") } }

    /// `href="..."` and `src="..."` values of a page (entities `&amp;` undone).
    static func links(_ html: String) -> [String] {
        var links: [String] = []
        for attribute in ["href=\"", "src=\""] {
            for part in html.components(separatedBy: attribute).dropFirst() {
                links.append(String(part.prefix { $0 != "\"" }).replacingOccurrences(of: "&amp;", with: "&"))
            }
        }
        return links
    }

    /// The ids a page declares.
    static func ids(_ html: String) -> Set<String> {
        Set(html.components(separatedBy: " id=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) })
    }

    /// "page: link (why)" for every link that does not resolve.
    static func deadLinks(in root: String) throws -> [String] {
        var problems: [String] = []
        var idsByPage: [String: Set<String>] = [:]
        func ids(of page: String) -> Set<String> {
            if let known = idsByPage[page] { return known }
            let found = (try? String(contentsOfFile: root + "/" + page, encoding: .utf8)).map(Self.ids) ?? []
            idsByPage[page] = found
            return found
        }
        for page in try pages(in: root) {
            let html = try String(contentsOfFile: root + "/" + page, encoding: .utf8)
            for link in links(html) {
                if link.hasPrefix("data:") { continue }
                if link.contains("://") || link.hasPrefix("//") || link.hasPrefix("/") {
                    problems.append("\(page): \(link) (not relative: the site must work offline)")
                    continue
                }
                let (pathPart, anchor) = split(link)
                let target = pathPart.isEmpty ? page : resolve(pathPart, from: page)
                guard let target, FileManager.default.fileExists(atPath: root + "/" + target) else {
                    problems.append("\(page): \(link) (no such file)")
                    continue
                }
                if let anchor, !anchor.isEmpty, target.hasSuffix(".html"), !ids(of: target).contains(anchor) {
                    problems.append("\(page): \(link) (no id \(anchor) on \(target))")
                }
            }
        }
        return problems
    }

    static func split(_ link: String) -> (String, String?) {
        let noQuery = link.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let beforeQuery = String(noQuery.first ?? "")
        let parts = beforeQuery.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
        return (String(parts.first ?? ""), parts.count > 1 ? String(parts[1]) : nil)
    }

    /// `link` from the page at `page`, as a path from the root; nil when it leaves the root.
    static func resolve(_ link: String, from page: String) -> String? {
        var components = page.split(separator: "/").dropLast().map(String.init)
        for part in link.split(separator: "/") {
            switch part {
            case ".": continue
            case "..":
                guard !components.isEmpty else { return nil }
                components.removeLast()
            default: components.append(String(part))
            }
        }
        return components.joined(separator: "/")
    }
}

/// A check of a JSON document against the JSON Schema keywords the leaderboard's schema uses:
/// `type` (one or several), `required`, `properties`, `additionalProperties: false`,
/// `items`, `enum` and `$ref` to `#/$defs/...`.
enum SchemaCheck {
    static func problems(_ value: JSONValue, against schema: JSONValue, root: JSONValue, at path: String = "$")
        -> [String]
    {
        if let reference = schema["$ref"]?.stringValue {
            let name = reference.replacingOccurrences(of: "#/$defs/", with: "")
            guard let target = root["$defs"]?[name] else { return ["\(path): unknown $ref \(reference)"] }
            return problems(value, against: target, root: root, at: path)
        }
        var found: [String] = []
        let types: [String] =
            schema["type"]?.stringValue.map { [$0] } ?? schema["type"]?.arrayValue?.compactMap(\.stringValue) ?? []
        if !types.isEmpty, !types.contains(where: { matches(value, $0) }) {
            return ["\(path): \(describe(value)) is not \(types.joined(separator: " or "))"]
        }
        if let allowed = schema["enum"]?.arrayValue, !allowed.contains(value) {
            found.append("\(path): \(describe(value)) is not one of the allowed values")
        }
        if case .object(let object) = value {
            for key in schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where object[key] == nil {
                found.append("\(path): missing \(key)")
            }
            let properties = schema["properties"]?.objectValue ?? [:]
            for (key, child) in object {
                if let propertySchema = properties[key] {
                    found += problems(child, against: propertySchema, root: root, at: "\(path).\(key)")
                } else if schema["additionalProperties"] == .bool(false) {
                    found.append("\(path): \(key) is not in the schema")
                }
            }
        }
        if case .array(let items) = value, let itemSchema = schema["items"] {
            for (index, item) in items.enumerated() {
                found += problems(item, against: itemSchema, root: root, at: "\(path)[\(index)]")
            }
        }
        return found
    }

    static func matches(_ value: JSONValue, _ type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object): true
        case ("number", .int), ("number", .double), ("integer", .int): true
        case ("integer", .double(let number)): number == number.rounded()
        default: false
        }
    }

    static func describe(_ value: JSONValue) -> String { String(String(describing: value).prefix(60)) }
}
