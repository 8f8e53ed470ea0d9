import AssayConfig
import AssayCore
import Foundation
import SystemPackage

/// Loads a suite directory (`suite.yaml` + `cases.jsonl` + the files cases refer to) and
/// finds every problem in it, each with `file:line`.
///
/// `suite.yaml`:
/// ```yaml
/// id: sentiment-smoke                 # letters, digits, '-', '_', '.'
/// title: Review sentiment, smoke test # optional; defaults to the id
/// kind: classification                # code | math | classification | ocr | transcription | tools | extraction | chat | long-context | agent
/// grader: exact-label                 # or a mapping: {name: exact-label, <settings>...}
/// prompt:
///   system: You label reviews.        # optional
///   template: "Review: {{text}}"      # {{field}} slots are filled from each case's input
/// requires: [text]                    # optional: text | vision | audio
/// generation: {max_tokens: 16, temperature: 0}   # optional
/// cases: cases.jsonl                  # optional; this is the default
/// ```
/// `cases.jsonl`, one JSON object per line:
/// `{"id": "r1", "input": {"text": "..."}, "expected": {"label": "正面"}, "tags": ["negation"]}`.
/// Input fields named `image` (a path or a list of paths, relative to the suite directory)
/// are files the case refers to; they must exist.
public enum SuiteLoader {
    public static let suiteFileName = "suite.yaml"
    public static let defaultCasesFileName = "cases.jsonl"

    /// Loads the suite at `path` (its directory or its suite.yaml), or throws every problem found.
    public static func load(_ path: String) throws(InputError) -> Suite {
        let (suite, problems) = read(path)
        guard let suite, problems.isEmpty else { throw InputError(problems) }
        return suite
    }

    /// Every problem in the suite at `path`; empty when it is valid.
    public static func validate(_ path: String) -> [Diagnostic] {
        read(path).problems
    }

    /// The suite directories at `path`: `path` itself when it holds a suite.yaml (or is one),
    /// else the directories below it that do (three levels down at most), else `path` alone
    /// (whose load then says what is missing). Lets `assay validate evalsets` check them all,
    /// and `--suite evalsets/chinese-classification` (or a plan's `suites:`) run them all.
    public static func suitePaths(under path: String) -> [String] {
        if path.hasSuffix(suiteFileName) || exists(join(path, suiteFileName)) { return [path] }
        let suites = suiteDirectories(below: path, depth: 3)
        return suites.isEmpty ? [path] : suites
    }

    static func suiteDirectories(below path: String, depth: Int) -> [String] {
        guard depth > 0, let entries = try? FileManager.default.contentsOfDirectory(atPath: path) else { return [] }
        var found: [String] = []
        for entry in entries.sorted() where !entry.hasPrefix(".") {
            let child = join(path, entry)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: child, isDirectory: &isDirectory), isDirectory.boolValue else {
                continue
            }
            found += exists(join(child, suiteFileName)) ? [child] : suiteDirectories(below: child, depth: depth - 1)
        }
        return found
    }

    static func read(_ path: String) -> (suite: Suite?, problems: [Diagnostic]) {
        let directory = path.hasSuffix(suiteFileName) ? String(path.dropLast(suiteFileName.count + 1)) : path
        let directoryName = directory.isEmpty ? "." : directory
        let suitePath = join(directoryName, suiteFileName)
        let file: YAMLFile
        do {
            file = try YAMLFile.load(suitePath)
        } catch {
            if !exists(suitePath) { return (nil, [Diagnostic(file: directoryName, noSuite(in: directoryName))]) }
            return (nil, error.diagnostics)
        }
        var header = SuiteHeader.read(file)
        header.directory = directoryName
        guard let casesPath = header.casesFile.map({ join(directoryName, $0) }) else {
            return (nil, header.problems)
        }
        var problems = header.problems
        if let name = header.casesFile, let line = header.casesLine,
            let problem = outside(name, directory: directoryName)
        {
            return (nil, problems + [Diagnostic(file: suitePath, line: line, "cases: '\(name)': \(problem)")])
        }
        let cases = CasesFile.read(
            casesPath, suiteDirectory: directoryName, template: header.prompt, kind: header.kind, problems: &problems)
        guard problems.isEmpty, let suite = header.suite(cases: cases) else { return (nil, problems) }
        return (suite, [])
    }

    /// Why the cases file `name` (suite.yaml's `cases:`) is not the suite's own, or nil: an
    /// absolute path, a `..` or a symbolic link out of the suite is refused, as for images
    /// (`CaseImages.confined`). A missing file inside the suite is left to `CasesFile`.
    static func outside(_ name: String, directory: String) -> String? {
        let joined = join(directory, name)
        if name.hasPrefix("/") || exists(joined) {
            do {
                _ = try CaseImages.confined(name, to: directory)
                return nil
            } catch {
                return error.message
            }
        }
        let normal = FilePath(name).lexicallyNormalized()
        if normal.components.first?.string == ".." {
            return "it leads out of the suite directory; the cases file must be inside \(directory)"
        }
        return nil
    }

    /// Why `directory` is not a suite: it does not exist, or it holds no suite.yaml (nor any
    /// directory below it; one that does is a folder of suites, for `suitePaths(under:)`).
    static func noSuite(in directory: String) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            return "no such suite directory"
        }
        let below = suiteDirectories(below: directory, depth: 3).count
        return below == 0
            ? "no suite.yaml in this directory or in any directory below it"
            : "no suite.yaml in this directory (a folder of \(below) suites: name one of them)"
    }

    static func join(_ directory: String, _ name: String) -> String {
        FilePath(directory).appending(name).string
    }

    static func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path)
    }
}
