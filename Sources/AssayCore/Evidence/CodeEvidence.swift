/// The evidence of a code grade: how the execution of the model's code against the hidden
/// tests ended, where it ran, and what it left behind (the failing assertion, the error,
/// trimmed tracebacks and output).
public struct CodeEvidence: GradeEvidence {
    /// How the execution ended (`passed`, `failed`, `timeout`, `memory`, `crashed`,
    /// `sandbox_error`), or `not run` when the answer held no code.
    public var execution: String?
    /// The sandbox it ran in (`Sandbox.description`).
    public var sandbox: String?
    /// The code that ran (its first 20,000 characters).
    public var code: String?
    /// Wall-clock milliseconds of the run, to a tenth.
    public var wallMilliseconds: Double?
    /// The end of what the run wrote to its output.
    public var output: String?
    /// The output was cut at the sandbox's limit.
    public var outputTruncated: Bool
    /// Why the sandbox failed.
    public var stderr: String?
    /// The exception the tests or the candidate raised.
    public var error: String?
    /// The failing assertion.
    public var assertion: String?
    public var traceback: String?
    public var candidateTraceback: String?
    /// The signal that killed the candidate.
    public var signal: Int?
    /// CPU milliseconds the candidate used, to a tenth.
    public var candidateCPUMilliseconds: Double?

    public init(
        execution: String? = nil, sandbox: String? = nil, code: String? = nil, wallMilliseconds: Double? = nil,
        output: String? = nil,
        outputTruncated: Bool = false, stderr: String? = nil, error: String? = nil, assertion: String? = nil,
        traceback: String? = nil,
        candidateTraceback: String? = nil, signal: Int? = nil, candidateCPUMilliseconds: Double? = nil
    ) {
        self.execution = execution
        self.sandbox = sandbox
        self.code = code
        self.wallMilliseconds = wallMilliseconds
        self.output = output
        self.outputTruncated = outputTruncated
        self.stderr = stderr
        self.error = error
        self.assertion = assertion
        self.traceback = traceback
        self.candidateTraceback = candidateTraceback
        self.signal = signal
        self.candidateCPUMilliseconds = candidateCPUMilliseconds
    }

    private enum Key {
        static let execution = "execution", sandbox = "sandbox", code = "code", wallMilliseconds = "wall_ms",
            output = "output"
        static let outputTruncated = "output_truncated", stderr = "stderr", error = "error", assertion = "assertion"
        static let traceback = "traceback", candidateTraceback = "candidate_traceback", signal = "signal"
        static let candidateCPUMilliseconds = "candidate_cpu_ms"
        static let all = [
            execution, sandbox, code, wallMilliseconds, output, outputTruncated, stderr, error, assertion, traceback,
            candidateTraceback,
            signal, candidateCPUMilliseconds,
        ]
    }

    public init?(evidence: [String: JSONValue]) {
        guard Key.all.contains(where: { evidence[$0] != nil }) else { return nil }
        self.init(
            execution: evidence[Key.execution]?.stringValue, sandbox: evidence[Key.sandbox]?.stringValue,
            code: evidence[Key.code]?.stringValue,
            wallMilliseconds: evidence[Key.wallMilliseconds]?.doubleValue, output: evidence[Key.output]?.stringValue,
            outputTruncated: evidence[Key.outputTruncated]?.boolValue == true,
            stderr: evidence[Key.stderr]?.stringValue,
            error: evidence[Key.error]?.stringValue, assertion: evidence[Key.assertion]?.stringValue,
            traceback: evidence[Key.traceback]?.stringValue,
            candidateTraceback: evidence[Key.candidateTraceback]?.stringValue,
            signal: evidence[Key.signal]?.intValue,
            candidateCPUMilliseconds: evidence[Key.candidateCPUMilliseconds]?.doubleValue)
    }

    public var evidence: [String: JSONValue] {
        var fields: [String: JSONValue] = [:]
        if let execution { fields[Key.execution] = .string(execution) }
        if let sandbox { fields[Key.sandbox] = .string(sandbox) }
        if let code { fields[Key.code] = .string(code) }
        if let wallMilliseconds { fields[Key.wallMilliseconds] = .double(wallMilliseconds) }
        if let output { fields[Key.output] = .string(output) }
        if outputTruncated { fields[Key.outputTruncated] = true }
        if let stderr { fields[Key.stderr] = .string(stderr) }
        if let error { fields[Key.error] = .string(error) }
        if let assertion { fields[Key.assertion] = .string(assertion) }
        if let traceback { fields[Key.traceback] = .string(traceback) }
        if let candidateTraceback { fields[Key.candidateTraceback] = .string(candidateTraceback) }
        if let signal { fields[Key.signal] = .int(signal) }
        if let candidateCPUMilliseconds { fields[Key.candidateCPUMilliseconds] = .double(candidateCPUMilliseconds) }
        return fields
    }
}
