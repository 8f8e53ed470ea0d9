import AssayCore

/// An agent suite's grader settings, typed (`grader:` in suite.yaml):
///
/// ```yaml
/// grader:
///   name: agent-state
///   max_steps: 20          # answers with calls a user turn allows; one more stops the agent (BFCL: 20)
///   call_seconds: 10       # one tool call's wall-clock limit
///   classes:
///     SupportDesk: {module: tools/support_desk.py, functions: tools/support_desk.json}
///     MathAPI: {module: tools/math_api.py, functions: tools/math_api.json, stateless: true}
/// ```
///
/// `module` is the Python file defining the class (its folder's other `.py` files go with it,
/// for its imports); `functions` the function docs offered to the model, one JSON object per
/// line (BFCL's `multi_turn_func_doc` form); `stateless` a class built without
/// `_load_scenario`.
public struct AgentSettings: Sendable, Hashable {
    public struct ToolClass: Sendable, Hashable {
        public var name: String
        /// As written, relative to the suite's folder.
        public var module: String
        public var functions: String
        public var stateless: Bool

        /// The module's file name, as the host finds it in its tools folder.
        var moduleFile: String { String(module.split(separator: "/").last ?? Substring(module)) }
    }

    /// Answers with calls a turn allows: the agent that makes one more (its calls run) is
    /// stopped, as BFCL's inference loop stops it (`count > MAXIMUM_STEP_LIMIT`).
    public var maxSteps = 20
    public var callSeconds = 10.0
    public var classes: [ToolClass] = []

    static let keys = ["max_steps", "call_seconds", "classes", "timeout_seconds", "memory_mb"]

    /// The settings; every problem at its line of suite.yaml goes to `problems` (a setting
    /// with a problem keeps its default).
    init(_ spec: GraderSpec, file: String, problems: inout [Diagnostic]) {
        for key in spec.settings.keys.sorted() where !Self.keys.contains(key) {
            problems.append(
                spec.diagnostic(
                    key, file: file,
                    "unknown grader setting '\(key)'; the agent-state grader takes \(Self.keys.joined(separator: ", "))"
                ))
        }
        if let value = spec.settings["max_steps"] {
            if let steps = value.intValue, (1...200).contains(steps) {
                maxSteps = steps
            } else {
                problems.append(
                    spec.diagnostic("max_steps", file: file, "'max_steps' must be a whole number from 1 to 200"))
            }
        }
        if let value = spec.settings["call_seconds"] {
            if let seconds = value.doubleValue, (0.1...600).contains(seconds) {
                callSeconds = seconds
            } else {
                problems.append(spec.diagnostic("call_seconds", file: file, "'call_seconds' must be from 0.1 to 600"))
            }
        }
        if case .object(let declared)? = spec.settings["classes"], !declared.isEmpty {
            for (name, value) in declared.sorted(by: { $0.key < $1.key }) {
                guard let module = value["module"]?.stringValue, let functions = value["functions"]?.stringValue else {
                    problems.append(
                        spec.diagnostic(
                            "classes", file: file,
                            "class '\(name)' needs 'module' (its Python file) and 'functions' (its function docs)"))
                    continue
                }
                classes.append(
                    ToolClass(
                        name: name, module: module, functions: functions,
                        stateless: value["stateless"]?.boolValue ?? false))
            }
        } else {
            problems.append(
                spec.diagnostic(
                    "classes", file: file,
                    "the agent-state grader needs 'classes': each tool class with its 'module' and 'functions' files"))
        }
    }
}
