import AssayCore
import Foundation
import SystemPackage

/// Runs the model's Python code against the case's hidden tests, in a sandbox.
///
/// A case gives `input.entry_point` (the function's name), optionally `input.prompt` (the
/// task text, to which a bare function body is joined), and `expected.tests`: Python that
/// defines `check(candidate)` and asserts on `candidate(...)`. The candidate is found by
/// `CodeExtraction`'s rule and imported as a module named `candidate` (so an
/// `if __name__ == "__main__":` block in it does not run), in a process of its own; the tests
/// run in another (`CodeHarness`), see the entry point and the candidate's helpers they name
/// (never in place of a builtin), and call `check(<entry_point>)`. Only the test runner's verdict can pass an answer.
///
/// With the setting `include_prompt: true` (HumanEval-style suites, whose prompt is Python),
/// the prompt runs first in the candidate's module, as HumanEval's own harness runs
/// `prompt + completion`, and the tests see the prompt's helpers (`poly`, `encode_cyclic`)
/// as the prompt defines them.
///
/// The grade is `pass` or `fail`, with the execution outcome (passed, failed, timeout,
/// memory, crashed) and its evidence (failing assertion, exception, trimmed tracebacks,
/// output, wall time); `invalid` when the answer holds no code. When the sandbox itself
/// fails, the grade is an `error`: nothing is known about the code.
public struct CodeExecutionGrader: Grader {
    public let sandbox: Sandbox
    public let limits: ExecutionLimits
    /// Whether the case's `input.prompt` is Python that runs before the candidate.
    public let includePrompt: Bool

    public init(settings: [String: JSONValue], suite: Suite, sandbox: Sandbox) throws(InputError) {
        let file = FilePath(suite.directory).appending("suite.yaml").string
        var problems: [Diagnostic] = []
        var limits = ExecutionLimits()
        var includePrompt = false
        for (key, value) in settings.sorted(by: { $0.key < $1.key }) {
            func number(_ range: ClosedRange<Double>) -> Double? {
                guard let number = value.doubleValue, range.contains(number) else {
                    problems.append(
                        suite.grader.diagnostic(
                            key, file: file,
                            "grader setting '\(key)' must be a number from \(range.lowerBound) to \(range.upperBound)"))
                    return nil
                }
                return number
            }
            switch key {
            case "timeout_seconds": limits.timeoutSeconds = number(0.1...3600) ?? limits.timeoutSeconds
            case "memory_mb": limits.memoryMB = number(64...65536).map(Int.init) ?? limits.memoryMB
            case "processes": limits.processes = number(1...4096).map(Int.init) ?? limits.processes
            case "file_size_mb": limits.fileSizeMB = number(1...4096).map(Int.init) ?? limits.fileSizeMB
            case "open_files": limits.openFiles = number(16...4096).map(Int.init) ?? limits.openFiles
            case "output_kb": limits.outputKB = number(1...65536).map(Int.init) ?? limits.outputKB
            case "disk_mb": limits.diskMB = number(1...4096).map(Int.init) ?? limits.diskMB
            case "include_prompt":
                if case .bool(let flag) = value {
                    includePrompt = flag
                } else {
                    problems.append(
                        suite.grader.diagnostic(
                            key, file: file, "grader setting 'include_prompt' must be true or false"))
                }
            default:
                let keys = ExecutionLimits.settingKeys + ["include_prompt"]
                problems.append(
                    suite.grader.diagnostic(
                        key, file: file,
                        "the code grader takes no setting '\(key)'; it takes: \(keys.joined(separator: ", "))"))
            }
        }
        problems += Self.checkCases(suite, includePrompt: includePrompt)
        if !problems.isEmpty { throw InputError(problems) }
        self.sandbox = sandbox
        self.limits = limits
        self.includePrompt = includePrompt
    }

    /// Every case has what the grader needs: an entry point, tests, the prompt when it is
    /// included, and a sane timeout of its own if it sets one.
    private static func checkCases(_ suite: Suite, includePrompt: Bool) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        let cases = FilePath(suite.directory).appending("cases.jsonl").string
        for item in suite.cases {
            if item.input["entry_point"]?.stringValue?.isEmpty != false {
                problems.append(
                    Diagnostic(
                        file: cases, line: item.line,
                        "case '\(item.id)': the code grader needs 'input.entry_point' (the function's name)"))
            }
            if item.expected["tests"]?.stringValue?.isEmpty != false {
                problems.append(
                    Diagnostic(
                        file: cases, line: item.line,
                        "case '\(item.id)': the code grader needs 'expected.tests' (Python defining check(candidate))"))
            }
            if includePrompt && item.input["prompt"]?.stringValue == nil {
                problems.append(
                    Diagnostic(
                        file: cases, line: item.line,
                        "case '\(item.id)': 'include_prompt' needs 'input.prompt' (the Python the candidate completes)")
                )
            }
            if let timeout = item.expected["timeout_seconds"],
                !(timeout.doubleValue.map { (0.1...3600).contains($0) } ?? false)
            {
                problems.append(
                    Diagnostic(
                        file: cases, line: item.line,
                        "case '\(item.id)': 'expected.timeout_seconds' must be a number from 0.1 to 3600"))
            }
        }
        return problems
    }

    public func grade(_ item: Case, answer: String) async -> Grade {
        let entryPoint = item.input["entry_point"]?.stringValue ?? ""
        guard
            let candidate = CodeExtraction.extract(
                from: answer, entryPoint: entryPoint, prompt: item.input["prompt"]?.stringValue)
        else {
            return Grade(
                outcome: .invalid, score: 0, rule: "no code in the answer", evidence: CodeEvidence(execution: "not run")
            )
        }
        var limits = self.limits
        if let timeout = item.expected["timeout_seconds"]?.doubleValue { limits.timeoutSeconds = timeout }
        let prompt = includePrompt ? item.input["prompt"]?.stringValue : nil
        let nonce = "ASSAY-" + UUID().uuidString
        var files = CodeHarness.files
        files["candidate.py"] = candidate.code
        if let prompt { files["prompt.py"] = prompt }
        let instructions = CodeHarness.instructions(
            nonce: nonce, tests: item.expected["tests"]?.stringValue ?? "", entryPoint: entryPoint,
            timeoutSeconds: limits.timeoutSeconds,
            prompt: prompt)
        let compiled = await CodeHarness.compiled(for: sandbox.python)
        let report = await sandbox.run(
            files: files, compiled: compiled, main: CodeHarness.main, input: instructions, limits: limits)
        var (outcome, evidence) = ExecutionOutcome.classify(report, nonce: nonce)
        evidence.execution = outcome.rawValue
        evidence.sandbox = sandbox.description
        evidence.code = String(candidate.code.prefix(20_000))
        let extracted = String(candidate.code.prefix(200))
        switch outcome {
        case .passed:
            return Grade(outcome: .pass, score: 1, extracted: extracted, rule: candidate.rule, evidence: evidence)
        case .sandboxError:
            return Grade(
                outcome: .error, score: 0, extracted: extracted, rule: candidate.rule, evidence: evidence,
                failure: evidence.stderr ?? "the sandbox failed")
        case .failed, .timeout, .memory, .crashed:
            return Grade(outcome: .fail, score: 0, extracted: extracted, rule: candidate.rule, evidence: evidence)
        }
    }
}
