import AssayCore
import Foundation
import SystemPackage

/// Converts HumanEval-format JSON Lines (`task_id`, `prompt`, `canonical_solution`, `test`,
/// `entry_point`) into a code suite. The prompt (signature and docstring) is what the model
/// sees; `test` (which defines `check(candidate)`) becomes the hidden tests; the prompt plus
/// the canonical solution is kept as `expected.reference`, never shown. The suite's grader
/// has `include_prompt: true`: the prompt's Python runs before the answer, and the tests see
/// its helpers, as HumanEval's own harness runs `prompt + completion + test`. Nothing is fetched.
public enum HumanEvalImport {
    /// Writes the suite and returns how many cases it has.
    @discardableResult
    public static func run(_ source: String, to directory: String, id: String? = nil, force: Bool = false)
        throws(InputError) -> Int
    {
        var problems: [Diagnostic] = []
        var cases: [(id: String, input: JSONValue, expected: JSONValue, tags: [String])] = []
        var ids = CaseIDs()
        for (line, object) in try JSONLines.objects(in: source, problems: &problems) {
            guard
                let fields = JSONLines.texts(
                    ["task_id", "prompt", "canonical_solution", "test", "entry_point"], of: object, path: source,
                    line: line, problems: &problems)
            else {
                continue
            }
            let (taskID, prompt, solution, test, entryPoint) = (fields[0], fields[1], fields[2], fields[3], fields[4])
            guard ids.claim(taskID, field: "task_id", path: source, line: line, problems: &problems) else { continue }
            guard test.contains("def check(") else {
                problems.append(Diagnostic(file: source, line: line, "'test' must define check(candidate)"))
                continue
            }
            cases.append(
                (
                    taskID, ["prompt": .string(prompt), "entry_point": .string(entryPoint)],
                    ["tests": .string(test), "reference": .string(prompt + solution)], ["humaneval"]
                ))
        }
        if cases.isEmpty && problems.isEmpty { problems.append(Diagnostic(file: source, "no tasks in the file")) }
        if !problems.isEmpty { throw InputError(problems) }
        try SuiteWriter.write(
            template: EmbeddedFiles.humanevalSuiteYaml, title: "HumanEval-format tasks", source: source, id: id,
            cases: cases, to: directory,
            force: force)
        return cases.count
    }
}
