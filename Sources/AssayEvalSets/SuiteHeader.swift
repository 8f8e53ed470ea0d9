import AssayConfig
import AssayCore

/// suite.yaml read field by field, so that every problem is reported, not only the first.
struct SuiteHeader {
    var id: String?
    var title: String?
    var kind: SuiteKind?
    var grader: GraderSpec?
    var prompt: PromptTemplate?
    var requires: Set<Capability> = [.text]
    var generation = Generation()
    var responseFormat: ResponseFormat?
    var casesFile: String? = SuiteLoader.defaultCasesFileName
    /// The line of `cases:`, when the suite names its cases file.
    var casesLine: Int?
    var directory = "."
    var problems: [Diagnostic] = []

    static let keys = [
        "id", "title", "kind", "grader", "prompt", "requires", "generation", "response_format", "cases",
    ]

    static func read(_ file: YAMLFile) -> SuiteHeader {
        var header = SuiteHeader()
        guard let root = file.root, root.isMapping else {
            header.problems.append(
                file.diagnostic(at: file.root, "suite.yaml must be a mapping with id, kind, grader and prompt"))
            header.casesFile = nil
            return header
        }
        header.problems += file.unknownKeys(in: root, allowed: keys, context: "suite.yaml")
        header.readID(root, file: file)
        if let node = root["title"] { header.title = header.text(node, "title", file: file) }
        header.readKind(root, file: file)
        if let node = header.required("grader", in: root, file: file) {
            header.grader = readGrader(node, file: file, problems: &header.problems)
        }
        if header.kind == .agent, let node = root["prompt"], node.isMapping, node["template"] == nil {
            // An agent case carries its turns: its prompt is at most a system prompt.
            header.problems += file.unknownKeys(in: node, allowed: ["system"], context: "prompt")
            header.prompt = PromptTemplate(system: node["system"]?.scalarText, template: "")
        } else if (header.kind?.carriesMessages == true || header.kind == .agent) && root["prompt"] == nil {
            // A tools or chat case carries its own messages (`input.messages`): a prompt is optional.
            header.prompt = PromptTemplate(template: "")
        } else if let node = header.required("prompt", in: root, file: file) {
            header.prompt = readPrompt(node, file: file, problems: &header.problems)
        }
        if let node = root["requires"], let requires = readRequires(node, file: file, problems: &header.problems) {
            header.requires = requires
        }
        if let node = root["generation"] {
            header.generation = readGeneration(node, file: file, problems: &header.problems)
        }
        if let node = root["response_format"] {
            header.responseFormat = header.readResponseFormat(node, file: file)
        }
        if let node = root["cases"] {
            header.casesFile = header.text(node, "cases", file: file)
            header.casesLine = node.line
        }
        return header
    }

    /// The node at `key`; nil (and a problem) when it is missing or null.
    private mutating func required(_ key: String, in root: YAMLNode, file: YAMLFile) -> YAMLNode? {
        guard let node = root[key], !Self.isNull(node) else {
            problems.append(file.diagnostic(at: root, "missing required field '\(key)'"))
            return nil
        }
        return node
    }

    /// The node's text; nil (and a problem) when it is not non-empty text.
    private mutating func text(_ node: YAMLNode, _ key: String, file: YAMLFile) -> String? {
        guard case .scalar(.string(let value)) = node.value, !value.isEmpty else {
            problems.append(file.diagnostic(at: node, "'\(key)' must be non-empty text"))
            return nil
        }
        return value
    }

    /// `id`: required, letters, digits, '-', '_' and '.' only.
    private mutating func readID(_ root: YAMLNode, file: YAMLFile) {
        guard let node = required("id", in: root, file: file), let id = text(node, "id", file: file) else { return }
        if id.unicodeScalars.allSatisfy(Self.isIDScalar) {
            self.id = id
        } else {
            problems.append(
                file.diagnostic(at: node, "suite id '\(id)' may use only letters, digits, '-', '_' and '.'"))
        }
    }

    /// `kind`: required, one of the suite kinds.
    private mutating func readKind(_ root: YAMLNode, file: YAMLFile) {
        guard let node = required("kind", in: root, file: file), let name = text(node, "kind", file: file) else {
            return
        }
        if let kind = SuiteKind(rawValue: name) {
            self.kind = kind
        } else {
            problems.append(
                file.diagnostic(
                    at: node,
                    "unknown kind '\(name)'; expected one of: \(SuiteKind.allCases.map(\.rawValue).joined(separator: ", "))"
                ))
        }
    }

    /// `requires`: a non-empty list of capabilities; nil when it is not a list.
    private static func readRequires(_ node: YAMLNode, file: YAMLFile, problems: inout [Diagnostic]) -> Set<Capability>?
    {
        guard let elements = node.elements, !elements.isEmpty else {
            problems.append(file.diagnostic(at: node, "'requires' must be a list such as [text] or [text, vision]"))
            return nil
        }
        var capabilities = Set<Capability>()
        for element in elements {
            if let name = element.scalarText, let capability = Capability(rawValue: name) {
                capabilities.insert(capability)
            } else {
                problems.append(
                    file.diagnostic(
                        at: element,
                        "unknown capability '\(element.scalarText ?? "?")'; expected one of: \(Capability.allCases.map(\.rawValue).joined(separator: ", "))"
                    ))
            }
        }
        return capabilities
    }

    func suite(cases: [Case]) -> Suite? {
        guard let id, let kind, let grader, let prompt else { return nil }
        return Suite(
            id: id, title: title ?? id, kind: kind, grader: grader, prompt: prompt, requires: requires,
            generation: generation, responseFormat: responseFormat, cases: cases, directory: directory)
    }

    private static func readGrader(_ node: YAMLNode, file: YAMLFile, problems: inout [Diagnostic]) -> GraderSpec? {
        let nameNode: YAMLNode
        var settings: [String: JSONValue] = [:]
        var lines: [String: Int] = [:]
        if node.isMapping {
            guard let named = node["name"] else {
                problems.append(file.diagnostic(at: node, "the grader mapping needs a 'name'"))
                return nil
            }
            nameNode = named
            settings = node.json.objectValue ?? [:]
            settings["name"] = nil
            for (key, line) in node.keys where key != "name" { lines[key] = line }
        } else {
            nameNode = node
        }
        guard let name = nameNode.scalarText, let grader = GraderName(rawValue: name) else {
            problems.append(
                file.diagnostic(
                    at: nameNode,
                    "unknown grader '\(nameNode.scalarText ?? "?")'; expected one of: \(GraderName.allCases.map(\.rawValue).joined(separator: ", "))"
                ))
            return nil
        }
        return GraderSpec(name: grader, settings: settings, settingLines: lines, line: node.line)
    }

    private static func readPrompt(_ node: YAMLNode, file: YAMLFile, problems: inout [Diagnostic]) -> PromptTemplate? {
        // `prompt: "text {{slot}}"` is shorthand for a template with no system prompt.
        if case .scalar(.string(let template)) = node.value {
            return PromptTemplate(template: template)
        }
        guard node.isMapping else {
            problems.append(
                file.diagnostic(at: node, "'prompt' must be text or a mapping with 'template' (and optional 'system')"))
            return nil
        }
        problems += file.unknownKeys(in: node, allowed: ["system", "template"], context: "prompt")
        guard let templateNode = node["template"], case .scalar(.string(let template)) = templateNode.value,
            !template.isEmpty
        else {
            problems.append(
                file.diagnostic(at: node["template"] ?? node, "missing required field 'template' in 'prompt'"))
            return nil
        }
        var system: String?
        if let systemNode = node["system"], !isNull(systemNode) {
            guard case .scalar(.string(let value)) = systemNode.value else {
                problems.append(file.diagnostic(at: systemNode, "'prompt.system' must be text"))
                return nil
            }
            system = value
        }
        return PromptTemplate(system: system, template: template)
    }

    private static func readGeneration(_ node: YAMLNode, file: YAMLFile, problems: inout [Diagnostic]) -> Generation {
        var generation = Generation()
        problems += file.unknownKeys(in: node, allowed: ["max_tokens", "temperature"], context: "generation")
        if let value = node["max_tokens"] {
            if let tokens = value.json.intValue, tokens > 0 {
                generation.maxTokens = tokens
            } else {
                problems.append(file.diagnostic(at: value, "'generation.max_tokens' must be a whole number above 0"))
            }
        }
        if let value = node["temperature"] {
            if let temperature = value.json.doubleValue, (0...2).contains(temperature) {
                generation.temperature = temperature
            } else {
                problems.append(file.diagnostic(at: value, "'generation.temperature' must be a number from 0 to 2"))
            }
        }
        return generation
    }

    private static func isNull(_ node: YAMLNode) -> Bool {
        if case .null = node.value { return true }
        return false
    }

    static func isIDScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "-", "_", ".": return true
        default: return false
        }
    }
}
