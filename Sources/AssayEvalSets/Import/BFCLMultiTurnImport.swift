import AssayConfig
import AssayCore
import Foundation
import SystemPackage

/// Converts BFCL's multi-turn base category (bfcl-eval's `BFCL_v4_multi_turn_base.json`, its
/// ground truth in `possible_answer/`) into an agent suite, `bfcl-multi-turn-base`: case ids
/// are BFCL's; a case's turns, involved classes, initial configuration and ground-truth call
/// sequences are BFCL's as they are. The classes' Python sources
/// (`../eval_checker/multi_turn_eval/func_source_code/`, their package imports made local)
/// and function docs (`multi_turn_func_doc/`) are copied into the suite's `tools/`, so that
/// nothing outside the suite is read at run time.
public enum BFCLMultiTurnImport {
    public static let category = "multi_turn_base"
    public static let suiteID = "bfcl-multi-turn-base"

    /// The classes of the multi-turn categories: each one's module (BFCL's
    /// `CLASS_FILE_PATH_MAPPING`), whose function docs share its name, and whether it is
    /// built without a scenario (`STATELESS_CLASSES`).
    static let classes: [(name: String, module: String, stateless: Bool)] = [
        ("GorillaFileSystem", "gorilla_file_system", false), ("MathAPI", "math_api", true),
        ("MessageAPI", "message_api", false), ("TwitterAPI", "posting_api", false),
        ("TicketAPI", "ticket_api", false), ("TradingBot", "trading_bot", false),
        ("TravelAPI", "travel_booking", false), ("VehicleControlAPI", "vehicle_control", false),
    ]
    /// What the classes import of each other.
    static let helpers = ["long_context"]
    static let packagePrefix = "from bfcl_eval.eval_checker.multi_turn_eval.func_source_code."

    /// Whether `data` holds the multi-turn base category.
    public static func isPresent(in data: String) -> Bool {
        FileManager.default.fileExists(atPath: FilePath(data).appending("BFCL_v4_\(category).json").string)
    }

    /// Writes the suite under `directory`; the number of cases written.
    @discardableResult
    public static func run(_ data: String, to directory: String, force: Bool = false) throws(InputError) -> Int {
        let questions = FilePath(data).appending("BFCL_v4_\(category).json").string
        let answersPath = FilePath(data).appending("possible_answer").appending("BFCL_v4_\(category).json").string
        var problems: [Diagnostic] = []
        var truths: [String: JSONValue] = [:]
        for (line, object) in try JSONObjectLines.read(answersPath, problems: &problems) {
            guard let id = object["id"]?.stringValue, let truth = object["ground_truth"], truth.arrayValue != nil else {
                problems.append(Diagnostic(file: answersPath, line: line, "needs 'id' and a 'ground_truth' list"))
                continue
            }
            truths[id] = truth
        }
        var cases: [(id: String, input: JSONValue, expected: JSONValue, tags: [String])] = []
        var ids = CaseIDs()
        for (line, object) in try JSONObjectLines.read(questions, problems: &problems) {
            guard let id = object["id"]?.stringValue, let turns = object["question"], turns.arrayValue != nil,
                let involved = object["involved_classes"], involved.arrayValue != nil
            else {
                problems.append(
                    Diagnostic(file: questions, line: line, "needs 'id', 'question' (turns) and 'involved_classes'"))
                continue
            }
            guard ids.claim(id, field: "id", path: questions, line: line, problems: &problems) else { continue }
            guard let truth = truths[id] else {
                problems.append(
                    Diagnostic(file: questions, line: line, "case '\(id)' has no ground truth in \(answersPath)"))
                continue
            }
            let input: JSONValue = [
                "turns": turns, "classes": involved, "initial_config": object["initial_config"] ?? .object([:]),
            ]
            cases.append((id, input, ["ground_truth": truth], [category]))
        }
        if !problems.isEmpty { throw InputError(problems) }
        let suiteDirectory = FilePath(directory).appending(suiteID).string
        try copyTools(from: data, to: FilePath(suiteDirectory).appending("tools").string)
        let declared = classes.map { entry in
            "    \(entry.name): {module: tools/\(entry.module).py, functions: tools/\(entry.module).json"
                + (entry.stateless ? ", stateless: true}" : "}")
        }.joined(separator: "\n")
        let yaml = SuiteWriter.header(
            EmbeddedFiles.bfclMultiTurnSuiteYaml, id: suiteID, title: "BFCL multi turn base",
            source: "bfcl-eval's BFCL_v4_\(category).json"
        ).replacingOccurrences(of: "$CLASSES", with: declared)
        try SuiteWriter.write(yaml: yaml, cases: cases, to: suiteDirectory, force: force)
        return cases.count
    }

    /// The classes' sources (their package imports made local) and function docs, copied.
    static func copyTools(from data: String, to tools: String) throws(InputError) {
        let sources = FilePath(data).removingLastComponent().appending("eval_checker/multi_turn_eval/func_source_code")
        let docs = FilePath(data).appending("multi_turn_func_doc")
        do {
            try FileManager.default.createDirectory(atPath: tools, withIntermediateDirectories: true)
            for module in classes.map(\.module) + helpers {
                let source = sources.appending("\(module).py").string
                guard let text = try? String(contentsOfFile: source, encoding: .utf8) else {
                    throw InputError(file: source, "cannot read the tools' source (bfcl-eval's func_source_code)")
                }
                try Data(text.replacingOccurrences(of: packagePrefix, with: "from ").utf8).write(
                    to: URL(fileURLWithPath: FilePath(tools).appending("\(module).py").string), options: .atomic)
            }
            for module in classes.map(\.module) {
                let doc = docs.appending("\(module).json").string
                guard let text = try? String(contentsOfFile: doc, encoding: .utf8) else {
                    throw InputError(file: doc, "cannot read the function docs (bfcl-eval's multi_turn_func_doc)")
                }
                try Data(text.utf8).write(
                    to: URL(fileURLWithPath: FilePath(tools).appending("\(module).json").string), options: .atomic)
            }
        } catch let error as InputError {
            throw error
        } catch {
            throw InputError(file: tools, "cannot write the tools: \(error.localizedDescription)")
        }
    }
}
