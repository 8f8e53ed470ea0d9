import AssayConfig
import AssayCore
import Foundation
import SystemPackage

/// Reading a JSON Lines file whose lines are objects, with `file:line` for every bad line.
enum JSONLines {
    /// The objects of the file with their line numbers; blank lines are skipped.
    static func objects(in path: String, problems: inout [Diagnostic]) throws(InputError) -> [(
        line: Int, object: [String: JSONValue]
    )] {
        let text = try TextFile.read(path)
        var objects: [(line: Int, object: [String: JSONValue])] = []
        for (offset, raw) in text.lines().enumerated() {
            var line = Substring(raw)
            if line.hasSuffix("\r") { line = line.dropLast() }
            if offset == 0, line.hasPrefix("\u{FEFF}") { line = line.dropFirst() }
            if line.allSatisfy(\.isWhitespace) { continue }
            guard let value = try? JSONParser.parse(line.utf8), let object = value.objectValue else {
                problems.append(Diagnostic(file: path, line: offset + 1, "not a JSON object"))
                continue
            }
            objects.append((offset + 1, object))
        }
        return objects
    }

    /// The text fields `keys` of `object`; a missing or non-text one is a problem at `line`.
    static func texts(
        _ keys: [String], of object: [String: JSONValue], path: String, line: Int, problems: inout [Diagnostic]
    ) -> [String]? {
        var values: [String] = []
        for key in keys {
            guard let value = object[key]?.stringValue else {
                problems.append(
                    Diagnostic(
                        file: path, line: line,
                        object[key] == nil ? "missing required field '\(key)'" : "'\(key)' must be text"))
                return nil
            }
            values.append(value)
        }
        return values
    }
}

/// The case ids an import has given out, so that a repeated one is reported at its source
/// line (with the line of the first) before anything is written.
struct CaseIDs {
    private var firstLines: [String: Int] = [:]

    /// Takes `id` for the case on `line`; false (and a problem) when an earlier line has it.
    mutating func claim(_ id: String, field: String, path: String, line: Int, problems: inout [Diagnostic]) -> Bool {
        if let first = firstLines[id] {
            problems.append(Diagnostic(file: path, line: line, "duplicate \(field) '\(id)' (first on line \(first))"))
            return false
        }
        firstLines[id] = line
        return true
    }
}

/// Writes a new suite directory: suite.yaml and cases.jsonl, then checks it loads.
enum SuiteWriter {
    static func write(
        yaml: String, cases: [(id: String, input: JSONValue, expected: JSONValue, tags: [String])],
        to directory: String, force: Bool
    ) throws(InputError) {
        let suitePath = FilePath(directory).appending("suite.yaml").string
        if FileManager.default.fileExists(atPath: suitePath) && !force {
            throw InputError(file: suitePath, "a suite is already there; pass --force to replace it")
        }
        var lines = ""
        for item in cases {
            var line = "{\"id\": "
            JSONValue.writeString(item.id, to: &line)
            line += ", \"input\": " + item.input.exactJSON + ", \"expected\": " + item.expected.exactJSON
            if !item.tags.isEmpty {
                line += ", \"tags\": " + JSONValue.array(item.tags.map(JSONValue.string)).compactJSON
            }
            lines += line + "}\n"
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Data(yaml.utf8).write(to: URL(fileURLWithPath: suitePath), options: .atomic)
            try Data(lines.utf8).write(
                to: URL(fileURLWithPath: FilePath(directory).appending("cases.jsonl").string), options: .atomic)
        } catch {
            throw InputError(file: directory, "cannot write the suite: \(error.localizedDescription)")
        }
        let problems = SuiteLoader.validate(directory)
        if !problems.isEmpty { throw InputError(problems) }
    }

    /// A YAML double-quoted scalar.
    /// The end every single-file importer shares: the suite named `id` (else after its
    /// directory), titled "`title` (FILE)" from its template, written with its cases.
    static func write(
        template: String, title: String, source: String, id: String?,
        cases: [(id: String, input: JSONValue, expected: JSONValue, tags: [String])], to directory: String,
        force: Bool
    ) throws(InputError) {
        let suiteID = id ?? (FilePath(directory).lastComponent?.string ?? directory)
        let name = FilePath(source).lastComponent?.string ?? source
        let yaml = header(template, id: suiteID, title: "\(title) (\(name))", source: name)
        try write(yaml: yaml, cases: cases, to: directory, force: force)
    }

    /// A suite.yaml from its template (`Import/*-suite.yaml`, built in by the EmbedFiles
    /// plugin): `$ID` and `$TITLE` become quoted scalars, `$SOURCE` the name of what was
    /// imported (in the first line's comment).
    static func header(_ template: String, id: String, title: String, source: String) -> String {
        template.replacingOccurrences(of: "$SOURCE", with: source).replacingOccurrences(of: "$ID", with: quoted(id))
            .replacingOccurrences(of: "$TITLE", with: quoted(title))
    }

    static func quoted(_ text: String) -> String {
        var out = ""
        JSONValue.writeString(text, to: &out)  // JSON strings are valid YAML double-quoted scalars
        return out
    }
}

/// A file of JSON objects, one a line (BFCL's data files).
enum JSONObjectLines {
    /// The file's lines as objects, parsed by `JSONParser` (which keeps `5.0` a float); a line
    /// that is not an object is a problem at its line.
    static func read(_ path: String, problems: inout [Diagnostic]) throws(InputError) -> [(Int, [String: JSONValue])] {
        let text = try TextFile.read(path)
        var objects: [(Int, [String: JSONValue])] = []
        for (offset, raw) in text.lines().enumerated() where !raw.allSatisfy(\.isWhitespace) {
            guard let value = try? JSONParser.parse(raw.utf8), case .object(let object) = value else {
                problems.append(Diagnostic(file: path, line: offset + 1, "not a JSON object"))
                continue
            }
            objects.append((offset + 1, object))
        }
        return objects
    }
}
