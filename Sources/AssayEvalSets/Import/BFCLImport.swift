import AssayConfig
import AssayCore
import Foundation
import SystemPackage

/// Converts the Berkeley Function Calling Leaderboard's single-turn data (bfcl-eval's
/// `bfcl_eval/data` folder: `BFCL_v4_<category>.json`, the acceptable answers in
/// `possible_answer/`) into tools suites, one per category. Case ids are BFCL's, the category
/// is the case's tag; a case's messages and functions are BFCL's as they are (`"type":
/// "dict"` included), and its expected outcome is BFCL's possible answer (`{"calls": ...}`),
/// or `{"no_call": true}` for irrelevance, `{"any_call": true}` for relevance. Nothing is
/// fetched.
public enum BFCLImport {
    /// The single-turn categories, in BFCL's order.
    public static let categories = [
        "simple_python", "multiple", "parallel", "parallel_multiple", "irrelevance", "live_simple", "live_multiple",
        "live_parallel",
        "live_parallel_multiple", "live_irrelevance", "live_relevance",
    ]

    /// One imported case.
    public struct Item: Sendable {
        public var id: String
        public var input: [String: JSONValue]
        public var expected: JSONValue
        public var category: String
        public var line: Int

        public var asCase: Case { Case(id: id, input: input, expected: expected, tags: [category], line: line) }
    }

    /// The cases of one category, read from `data` (bfcl-eval's data folder). Numbers keep
    /// their kind (`5.0` stays a float): BFCL's checker tells an int from a float.
    public static func items(category: String, data: String) throws(InputError) -> [Item] {
        let questions = FilePath(data).appending("BFCL_v4_\(category).json").string
        let answersPath = FilePath(data).appending("possible_answer").appending("BFCL_v4_\(category).json").string
        var problems: [Diagnostic] = []
        var answers: [String: JSONValue] = [:]
        let relevance = category.hasSuffix("relevance")
        if !relevance {
            for (line, object) in try JSONObjectLines.read(answersPath, problems: &problems) {
                guard let id = object["id"]?.stringValue, let truth = object["ground_truth"], truth.arrayValue != nil
                else {
                    problems.append(Diagnostic(file: answersPath, line: line, "needs 'id' and a 'ground_truth' list"))
                    continue
                }
                answers[id] = truth
            }
        }
        var items: [Item] = []
        var ids = CaseIDs()
        for (line, object) in try JSONObjectLines.read(questions, problems: &problems) {
            guard let id = object["id"]?.stringValue, case .array(let turns)? = object["question"],
                case .array(let messages)? = turns.first,
                case .array(let functions)? = object["function"]
            else {
                problems.append(
                    Diagnostic(
                        file: questions, line: line, "needs 'id', 'question' (a list of turns) and 'function' (a list)")
                )
                continue
            }
            guard turns.count == 1 else {
                problems.append(
                    Diagnostic(
                        file: questions, line: line,
                        "case '\(id)' has \(turns.count) turns: only single-turn cases are imported"))
                continue
            }
            guard ids.claim(id, field: "id", path: questions, line: line, problems: &problems) else { continue }
            let expected: JSONValue
            if category.hasSuffix("irrelevance") {
                expected = ["no_call": true]
            } else if relevance {
                expected = ["any_call": true]
            } else if let truth = answers[id] {
                expected = ["calls": truth]
            } else {
                problems.append(
                    Diagnostic(file: questions, line: line, "case '\(id)' has no possible answer in \(answersPath)"))
                continue
            }
            items.append(
                Item(
                    id: id, input: ["messages": .array(messages), "tools": .array(functions)], expected: expected,
                    category: category, line: line))
        }
        if !problems.isEmpty { throw InputError(problems) }
        return items
    }

    /// Writes one suite per category found in `data` under `directory` (`bfcl-<category>`,
    /// hyphens for underscores); the number of cases written.
    @discardableResult
    public static func run(_ data: String, to directory: String, id: String? = nil, force: Bool = false)
        throws(InputError) -> Int
    {
        let found = categories.filter {
            FileManager.default.fileExists(atPath: FilePath(data).appending("BFCL_v4_\($0).json").string)
        }
        guard !found.isEmpty else {
            throw InputError(
                file: data,
                "no BFCL single-turn data here (BFCL_v4_simple_python.json and the like): pass bfcl-eval's bfcl_eval/data folder"
            )
        }
        // Every category read (and every problem found) before anything is written.
        var read: [(String, [Item])] = []
        var problems: [Diagnostic] = []
        for category in found {
            do {
                read.append((category, try Self.items(category: category, data: data)))
            } catch {
                problems += error.diagnostics
            }
        }
        if !problems.isEmpty { throw InputError(problems) }
        var written = 0
        for (category, items) in read {
            let suiteID = Self.suiteID(category)
            let yaml = SuiteWriter.header(
                EmbeddedFiles.bfclSuiteYaml, id: suiteID,
                title: "BFCL \(category.replacingOccurrences(of: "_", with: " "))",
                source: "bfcl-eval's BFCL_v4_\(category).json")
            try SuiteWriter.write(
                yaml: yaml, cases: items.map { ($0.id, JSONValue.object($0.input), $0.expected, [$0.category]) },
                to: FilePath(directory).appending(suiteID).string, force: force)
            written += items.count
        }
        return written
    }

    /// The suite a category is written as: `bfcl-simple-python`.
    public static func suiteID(_ category: String) -> String {
        "bfcl-" + category.replacingOccurrences(of: "_", with: "-")
    }
}
