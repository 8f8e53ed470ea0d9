import AssayConfig
import AssayCore
import Foundation

/// cases.jsonl read line by line; every bad line is reported with its number.
enum CasesFile {
    static let keys = ["id", "input", "expected", "tags"]
    /// Input fields that name files in the suite directory.
    static let fileFields = ["image", "audio"]

    static func read(_ path: String, suiteDirectory: String, template: PromptTemplate?, problems: inout [Diagnostic])
        -> [Case]
    {
        let text: String
        do {
            text = try TextFile.read(path)
        } catch {
            let missing = !FileManager.default.fileExists(atPath: path)
            problems +=
                missing
                ? [Diagnostic(file: path, "missing referenced file: the cases file does not exist")] : error.diagnostics
            return []
        }
        var cases: [Case] = []
        var firstLine: [String: Int] = [:]
        for (offset, rawLine) in text.lines().enumerated() {
            let number = offset + 1
            var line = Substring(rawLine)
            if line.hasSuffix("\r") { line = line.dropLast() }
            if number == 1, line.hasPrefix("\u{FEFF}") { line = line.dropFirst() }
            if line.allSatisfy(\.isWhitespace) { continue }
            func problem(_ message: String) { problems.append(Diagnostic(file: path, line: number, message)) }

            // JSONParser, not JSONDecoder: a third of loading a large suite went to Foundation, and
            // JSONDecoder reads `5.0` as the integer 5 (BFCL's float answers must stay floats).
            let value: JSONValue
            do {
                value = try JSONParser.parse(line.utf8)
            } catch {
                problem("invalid JSON: \(error.reason) (column \(error.offset + 1))")
                continue
            }
            guard let object = value.objectValue else {
                problem("each line must be a JSON object with id, input and expected")
                continue
            }
            for key in object.keys.sorted() where !keys.contains(key) {
                problem("unknown field '\(key)'; expected: \(keys.joined(separator: ", "))")
            }
            var id: String?
            switch object["id"] {
            case .string(let value) where !value.isEmpty: id = value
            case .int(let value): id = String(value)
            case nil, .null: problem("missing required field 'id'")
            default: problem("'id' must be non-empty text")
            }
            var input: [String: JSONValue]?
            switch object["input"] {
            case .object(let value): input = value
            case nil, .null: problem("missing required field 'input'")
            default: problem("'input' must be an object of template fields")
            }
            let expected = object["expected"]
            if expected == nil || expected == .null { problem("missing required field 'expected'") }
            var tags: [String] = []
            if let value = object["tags"] {
                if let list = value.arrayValue, list.allSatisfy({ $0.stringValue != nil }) {
                    tags = list.compactMap(\.stringValue)
                } else {
                    problem("'tags' must be a list of text")
                }
            }
            if let id {
                if let first = firstLine[id] {
                    problem("duplicate case id '\(id)' (first used on line \(first))")
                } else {
                    firstLine[id] = number
                }
            }
            if let input {
                if let template {
                    for slot in template.slots where input[slot] == nil {
                        problem("template slot '{{\(slot)}}' has no field '\(slot)' in this case's input")
                    }
                }
                for field in fileFields {
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
            if let id, let input, let expected, expected != .null {
                cases.append(Case(id: id, input: input, expected: expected, tags: tags, line: number))
            }
        }
        if cases.isEmpty && !problems.contains(where: { $0.file == path }) {
            problems.append(Diagnostic(file: path, "the cases file has no cases"))
        }
        return cases
    }
}
