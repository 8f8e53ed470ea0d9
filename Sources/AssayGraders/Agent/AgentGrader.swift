import AssayCore
import Foundation
import SystemPackage

/// Grades agents by the state their calls leave, as BFCL's multi-turn checker does.
///
/// The grading happens as the agent runs, turn by turn (the runner's agent loop drives a
/// `ToolHost` this grader starts, one sandboxed process per task): after each user turn the
/// host judges the turn (`agent_host.py`). The grade is then made from the whole episode
/// (`grade(_:)`): pass when every turn passed, its score the share of turns passed; the
/// evidence holds every step (calls, results, tokens, cost, TTFT, latency) and each verdict.
public struct AgentGrader: Grader {
    public let settings: AgentSettings
    let sandbox: Sandbox
    let limits: ExecutionLimits
    /// The host and the classes' Python files, by their name in the program's folder.
    let files: [String: String]
    /// Each class's function docs, in the file's order.
    let functions: [String: [ToolDefinition]]

    /// Where the classes' files go in the program's folder.
    static let toolsFolder = "tools"
    /// A call's result is cut at this many characters.
    static let maxResultCharacters = 65536

    public init(settings: [String: JSONValue], suite: Suite, sandbox: Sandbox) throws(InputError) {
        let file = FilePath(suite.directory).appending("suite.yaml").string
        var problems: [Diagnostic] = []
        self.settings = AgentSettings(suite.grader, file: file, problems: &problems)
        self.sandbox = sandbox
        var limits = ExecutionLimits()
        // The process lives for the whole task: CPU for every call of every step, and a wall
        // clock (3x + 60 s) long enough for a slow model's many answers.
        limits.timeoutSeconds = suite.grader.settings["timeout_seconds"]?.doubleValue ?? 600
        limits.memoryMB = suite.grader.settings["memory_mb"]?.intValue ?? 1024
        self.limits = limits
        var files = ["agent_host.py": EmbeddedFiles.agentHostPy]
        var functions: [String: [ToolDefinition]] = [:]
        let line = suite.grader.settingLines["classes"]
        for declared in self.settings.classes {
            let module = FilePath(suite.directory).appending(declared.module)
            guard (try? String(contentsOfFile: module.string, encoding: .utf8)) != nil else {
                problems.append(Diagnostic(file: file, line: line, "class '\(declared.name)': cannot read \(module)"))
                continue
            }
            // The module's folder goes whole: its imports of its neighbours (BFCL's long_context).
            let folder = module.removingLastComponent()
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.string)) ?? []
            where name.hasSuffix(".py") {
                if let text = try? String(contentsOfFile: folder.appending(name).string, encoding: .utf8) {
                    files["\(Self.toolsFolder)/\(name)"] = text
                }
            }
            let docs = FilePath(suite.directory).appending(declared.functions).string
            do throws(InputError) {
                functions[declared.name] = try Self.functionDocs(docs)
            } catch {
                problems += error.diagnostics
            }
        }
        // Every class a case involves must be declared (and its docs read).
        let cases = FilePath(suite.directory).appending("cases.jsonl").string
        for item in suite.cases {
            guard let task = try? AgentTask(item) else { continue }
            for name in task.classes
            where functions[name] == nil && !self.settings.classes.contains(where: { $0.name == name }) {
                problems.append(
                    Diagnostic(
                        file: cases, line: item.line,
                        "case '\(item.id)' involves class '\(name)', which suite.yaml's grader.classes does not declare"
                    ))
            }
        }
        if !problems.isEmpty { throw InputError(problems) }
        self.files = files
        self.functions = functions
    }

    /// A function docs file: one JSON object per line, each a function (`name`, `description`,
    /// `parameters`).
    static func functionDocs(_ path: String) throws(InputError) -> [ToolDefinition] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw InputError(file: path, "cannot read the function docs")
        }
        var definitions: [ToolDefinition] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.allSatisfy(\.isWhitespace) {
            guard let value = try? JSONParser.parse(line.utf8), let definition = ToolDefinition(value) else {
                throw InputError(file: path, line: index + 1, "not a function doc: a JSON object with a 'name'")
            }
            definitions.append(definition)
        }
        return definitions
    }

    /// The functions a task's model is offered: its classes' docs, in the task's order.
    public func tools(for task: AgentTask) -> [ToolDefinition] {
        task.classes.flatMap { functions[$0] ?? [] }
    }

    /// Starts the task's tools in the sandbox and runs `body` with them; the process ends with
    /// `body`. Fails (with why) when the process or the classes could not start.
    public func withTools<R: Sendable>(for task: AgentTask, _ body: (ToolHost) async -> R) async
        -> Swift.Result<R, SessionFailure>
    {
        let limit = Duration.seconds(settings.callSeconds * 2 + 5)
        let outcome = await sandbox.withSession(files: files, main: "agent_host.py", limits: limits) {
            session -> Swift.Result<R, SessionFailure> in
            let host = ToolHost(session: session, limit: limit)
            if let problem = await host.start(task, settings: settings) {
                return .failure(SessionFailure(reason: problem))
            }
            return .success(await body(host))
        }
        switch outcome {
        case .success(let inner): return inner
        case .failure(let failure): return .failure(failure)
        }
    }

    /// An agent's answer is its episode: the runner's loop grades it (`grade(_:)`).
    public func grade(_ item: Case, answer: String) async -> Grade {
        Grade(outcome: .error, score: 0, failure: "an agent case is graded by its episode, not by one answer")
    }

    /// The grade of an episode: pass when every turn passed; the score is the share of the
    /// task's turns that passed.
    public static func grade(_ episode: AgentEvidence) -> Grade {
        let passed = episode.turnsPassed == episode.turnCount && episode.stop == .finished
        let failure = episode.firstFailure
        let rule: String
        if passed {
            rule = "every turn's state and results match the ground truth's"
        } else if let failure, let verdict = failure.verdict {
            rule = "turn \(failure.turn + 1): \(verdict.kind.rawValue)" + (verdict.field.map { " (\($0))" } ?? "")
        } else {
            rule = "turn \((failure?.turn ?? 0) + 1): \(episode.stop.rawValue)"
        }
        return Grade(
            outcome: passed ? .pass : .fail,
            score: episode.turnCount == 0 ? 0 : Double(episode.turnsPassed) / Double(episode.turnCount),
            extracted: "\(episode.turnsPassed)/\(episode.turnCount) turns, \(episode.steps) steps", rule: rule,
            evidence: episode)
    }
}
