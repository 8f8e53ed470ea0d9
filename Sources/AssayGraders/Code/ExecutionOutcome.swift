import AssayCore

/// How a run of model code against its tests ended, with the evidence a reader needs.
public enum ExecutionOutcome: String, Sendable, Hashable, CaseIterable {
    /// Every test passed (the harness printed its end marker and exited 0).
    case passed
    /// A test failed or the code raised: the failing assertion and a trimmed traceback are kept.
    case failed
    /// Ran past the wall-clock or CPU limit and was killed.
    case timeout
    /// Ran out of its address space (MemoryError, or killed allocating).
    case memory
    /// Died from a signal (segfault, abort) or exited without a Python traceback.
    case crashed
    /// The sandbox itself could not start; nothing is known about the code.
    case sandboxError = "sandbox_error"

    /// Classifies a report of the harness (which prints `marker` after the tests pass).
    static func classify(_ report: ExecutionReport, marker: String) -> (ExecutionOutcome, [String: JSONValue]) {
        var evidence: [String: JSONValue] = ["wall_ms": .double((report.wallMilliseconds * 10).rounded() / 10)]
        let stderr = report.stderr
        let traceback = Traceback(stderr)
        if !stderr.isEmpty { evidence["stderr"] = .string(Traceback.trim(stderr)) }
        let stdout = report.stdout.replacingAll(marker, with: "").trimmingTrailingWhitespace()
        if !stdout.isEmpty { evidence["stdout"] = .string(String(stdout.prefix(2000))) }
        if report.outputTruncated { evidence["output_truncated"] = true }
        if let error = traceback.error { evidence["error"] = .string(error) }
        if let assertion = traceback.failingLine { evidence["assertion"] = .string(assertion) }

        if stderr.hasPrefix("assay-sandbox: ") || (stderr.hasPrefix("bwrap: ") && traceback.error == nil) {
            return (.sandboxError, evidence)
        }
        if report.timedOut { return (.timeout, evidence) }
        switch report.termination {
        case .signaled(let signal):
            evidence["signal"] = .int(Int(signal))
            if signal == 24 { return (.timeout, evidence) }  // SIGXCPU: the CPU-seconds limit
            if traceback.error?.hasPrefix("MemoryError") == true { return (.memory, evidence) }
            // SIGKILL that Assay did not send: the kernel, at the address-space or CPU hard limit.
            if signal == 9 { return (.timeout, evidence) }
            return (.crashed, evidence)
        case .exited(let code):
            evidence["exit_code"] = .int(Int(code))
            if code == 0 && report.stdout.contains(marker) { return (.passed, evidence) }
            if traceback.error?.hasPrefix("MemoryError") == true { return (.memory, evidence) }
            if code == 0 {
                evidence["error"] = "the program exited before the tests finished"
                return (.failed, evidence)
            }
            return (traceback.error == nil && code != 1 ? .crashed : .failed, evidence)
        }
    }
}

/// The parts of a Python traceback worth showing: the exception and the failing line.
struct Traceback {
    /// The last line: `AssertionError`, `TypeError: ...`.
    var error: String?
    /// The source line of the innermost frame in the test harness (the failing `assert`).
    var failingLine: String?

    init(_ stderr: String) {
        let lines = stderr.split(separator: "\n").map { String($0) }
        guard let start = lines.lastIndex(where: { $0.hasPrefix("Traceback (most recent call last)") }) else { return }
        let frames = lines[start...]
        error = frames.last { !$0.hasPrefix(" ") && !$0.hasPrefix("Traceback") }
        var index = frames.endIndex - 1
        while index > frames.startIndex {
            let line = frames[index]
            if line.hasPrefix("  File \"") && line.contains("harness.py\"") {
                let source = frames.indices.contains(index + 1) ? frames[index + 1] : ""
                let trimmed = source.trimmingCharacters(in: " ")
                if !trimmed.isEmpty && !trimmed.allSatisfy({ $0 == "^" || $0 == "~" }) { failingLine = trimmed }
                break
            }
            index -= 1
        }
    }

    /// The last 30 lines, at most 4,000 characters.
    static func trim(_ text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var kept = lines.suffix(30).joined(separator: "\n")
        if kept.count > 4000 { kept = "..." + String(kept.suffix(4000)) }
        return lines.count > 30 ? "...\n" + kept : kept
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        return split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
