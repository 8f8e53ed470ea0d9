import AssayConfig
import AssayCore
import Foundation

/// cases.jsonl read line by line; every bad line is reported with its number.
enum CasesFile {
    static let keys = ["id", "input", "expected", "tags"]
    /// Input fields that name files in the suite directory.
    static let fileFields = ["image", "audio"]

    /// The cases of `path`; `kind` is the suite's (a chat case's messages are checked).
    static func read(
        _ path: String, suiteDirectory: String, template: PromptTemplate?, kind: SuiteKind? = nil,
        problems: inout [Diagnostic]
    ) -> [Case] {
        guard let text = readText(path, problems: &problems) else { return [] }
        var cases: [Case] = []
        var firstLine: [String: Int] = [:]
        for (offset, rawLine) in text.lines().enumerated() {
            let number = offset + 1
            var line = Substring(rawLine)
            if line.hasSuffix("\r") { line = line.dropLast() }
            if number == 1, line.hasPrefix("\u{FEFF}") { line = line.dropFirst() }
            if line.allSatisfy(\.isWhitespace) { continue }
            func problem(_ message: String) { problems.append(Diagnostic(file: path, line: number, message)) }

            guard let object = readObject(line, problem: problem) else { continue }
            let id = readID(object["id"], problem: problem)
            let input = readInput(object["input"], problem: problem)
            let expected = object["expected"]
            if expected == nil || expected == .null { problem("missing required field 'expected'") }
            let tags = readTags(object["tags"], problem: problem)
            if let id {
                if let first = firstLine[id] {
                    problem("duplicate case id '\(id)' (first used on line \(first))")
                } else {
                    firstLine[id] = number
                }
            }
            if let input { checkInput(input, template: template, suiteDirectory: suiteDirectory, problem: problem) }
            if kind == .chat, let input,
                let message = CaseMessages.problem(in: input, hasTemplate: !(template?.template.isEmpty ?? true))
            {
                problem(message)
            }
            if kind == .agent, let id, let input, let expected, expected != .null {
                do throws(AgentTask.Problem) {
                    _ = try AgentTask(Case(id: id, input: input, expected: expected))
                } catch {
                    problem(error.description)
                }
            }
            if let id, let input, let expected, expected != .null {
                cases.append(Case(id: id, input: input, expected: expected, tags: tags, line: number))
            }
        }
        if cases.isEmpty && !problems.contains(where: { $0.file == path }) {
            problems.append(Diagnostic(file: path, "the cases file has no cases"))
        }
        return cases
    }

    /// The file's text; nil (and a problem) when it cannot be read.
    private static func readText(_ path: String, problems: inout [Diagnostic]) -> String? {
        do {
            return try TextFile.read(path)
        } catch {
            let missing = !FileManager.default.fileExists(atPath: path)
            problems +=
                missing
                ? [Diagnostic(file: path, "missing referenced file: the cases file does not exist")] : error.diagnostics
            return nil
        }
    }

    /// A line's JSON object, its unknown fields reported; nil when the line is no JSON object.
    private static func readObject(_ line: Substring, problem: (String) -> Void) -> [String: JSONValue]? {
        // JSONParser, not JSONDecoder: a third of loading a large suite went to Foundation, and
        // JSONDecoder reads `5.0` as the integer 5 (BFCL's float answers must stay floats).
        let value: JSONValue
        do {
            value = try JSONParser.parse(line.utf8)
        } catch {
            problem("invalid JSON: \(error.reason) (column \(error.offset + 1))")
            return nil
        }
        guard let object = value.objectValue else {
            problem("each line must be a JSON object with id, input and expected")
            return nil
        }
        for key in object.keys.sorted() where !keys.contains(key) {
            problem("unknown field '\(key)'; expected: \(keys.joined(separator: ", "))")
        }
        return object
    }

    /// The case id: non-empty text, or an integer written as text.
    private static func readID(_ value: JSONValue?, problem: (String) -> Void) -> String? {
        switch value {
        case .string(let value) where !value.isEmpty: return value
        case .int(let value): return String(value)
        case nil, .null: problem("missing required field 'id'")
        default: problem("'id' must be non-empty text")
        }
        return nil
    }

    /// The case's input: an object of template fields.
    private static func readInput(_ value: JSONValue?, problem: (String) -> Void) -> [String: JSONValue]? {
        switch value {
        case .object(let value): return value
        case nil, .null: problem("missing required field 'input'")
        default: problem("'input' must be an object of template fields")
        }
        return nil
    }

    /// The case's tags: a list of text (none when absent).
    private static func readTags(_ value: JSONValue?, problem: (String) -> Void) -> [String] {
        guard let value else { return [] }
        guard let list = value.arrayValue, list.allSatisfy({ $0.stringValue != nil }) else {
            problem("'tags' must be a list of text")
            return []
        }
        return list.compactMap(\.stringValue)
    }

    /// Checks an input against the template (a field for every slot) and the suite directory
    /// (every referenced file inside it).
    private static func checkInput(
        _ input: [String: JSONValue], template: PromptTemplate?, suiteDirectory: String, problem: (String) -> Void
    ) {
        if let template {
            for slot in template.slots where input[slot] == nil && input[PromptFile.field(for: slot)] == nil {
                problem("template slot '{{\(slot)}}' has no field '\(slot)' in this case's input")
            }
        }
        let promptFields = input.keys.filter { $0.hasSuffix(PromptFile.suffix) }.sorted()
        if promptFields.count > 1 {
            problem(
                "a case has one prompt file at most, not \(promptFields.count) (\(promptFields.joined(separator: ", ")))"
            )
        }
        for field in promptFields where input[field]?.stringValue == nil {
            problem(
                "'input.\(field)' must be a file path (its text fills the slot '{{\(field.dropLast(PromptFile.suffix.count))}}')"
            )
        }
        for field in fileFields + promptFields {
            guard let reference = input[field] else { continue }
            let paths = CaseImages.filePaths(reference)
            if paths.isEmpty { problem("'input.\(field)' must be a file path or a list of paths") }
            for relative in paths {
                do {
                    _ = try CaseImages.confined(relative, to: suiteDirectory)
                } catch {
                    problem("referenced file '\(relative)': \(error.message)")
                }
            }
        }
    }
}
