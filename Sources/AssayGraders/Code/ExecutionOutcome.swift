import AssayCore

/// How a run of model code against its tests ended, with the evidence a reader needs.
public enum ExecutionOutcome: String, Sendable, Hashable, CaseIterable {
    /// Every test passed (the test runner's verdict).
    case passed
    /// A test failed or the code raised: the failing assertion and a trimmed traceback are kept.
    case failed
    /// Ran past the wall-clock or CPU limit and was killed.
    case timeout
    /// Ran out of its address space (MemoryError, or killed allocating).
    case memory
    /// Died from a signal (segfault, abort), or stopped the test runner.
    case crashed
    /// The sandbox itself could not start; nothing is known about the code.
    case sandboxError = "sandbox_error"

    /// Classifies a run of the harness (`CodeHarness`): the runner's verdict when it gave one;
    /// otherwise how the sandbox ended. Only the runner's nonce-framed lines count: nothing the
    /// candidate prints is read as a verdict, and once the runner said `ready`, a sandbox that
    /// ends without a verdict is the candidate's doing (it killed or stopped the runner), never
    /// a sandbox error.
    static func classify(_ report: ExecutionReport, nonce: String) -> (ExecutionOutcome, CodeEvidence) {
        var evidence = CodeEvidence(wallMilliseconds: (report.wallMilliseconds * 10).rounded() / 10)
        let output = report.stderr.trimmingTrailingWhitespace()
        if !output.isEmpty { evidence.output = Self.tail(output, 2000) }
        if report.outputTruncated { evidence.outputTruncated = true }
        let (ready, verdict) = CodeHarness.read(report.stdout, nonce: nonce)

        guard ready else {
            if report.timedOut {
                evidence.stderr = "the sandbox did not start the tests within its wall clock"
            } else {
                let detail =
                    report.stderr.isEmpty
                    ? "the sandbox ended (\(report.termination)) before the tests began" : report.stderr
                evidence.stderr = Self.tail(detail, 4000)
            }
            return (.sandboxError, evidence)
        }
        guard let verdict else {
            if report.outOfMemory { return (.memory, evidence) }
            if report.timedOut { return (.timeout, evidence) }
            evidence.error = "the test runner ended without a verdict (\(report.termination)): the candidate stopped it"
            return (.crashed, evidence)
        }
        if let error = verdict.error { evidence.error = error }
        if let assertion = verdict.assertion { evidence.assertion = assertion }
        if let traceback = verdict.traceback { evidence.traceback = Self.tail(traceback, 4000) }
        if let traceback = verdict.candidateTraceback, !traceback.isEmpty {
            evidence.candidateTraceback = Self.tail(traceback, 4000)
        }
        if let signal = verdict.signal { evidence.signal = signal }
        if let seconds = verdict.candidateCPUSeconds {
            evidence.candidateCPUMilliseconds = (seconds * 10_000).rounded() / 10
        }
        switch verdict.outcome {
        case "passed": return (.passed, evidence)
        case "sandbox_error":
            evidence.stderr = verdict.error ?? "the sandbox failed"
            return (.sandboxError, evidence)
        case _ where report.outOfMemory:
            // The kernel killed a process of the sandbox for memory: that is why it failed.
            return (.memory, evidence)
        case "failed": return (.failed, evidence)
        case "timeout": return (.timeout, evidence)
        case "memory": return (.memory, evidence)
        default: return (.crashed, evidence)
        }
    }

    /// The end of `text`: its last 30 lines, at most `limit` characters.
    static func tail(_ text: String, _ limit: Int) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var kept = lines.suffix(30).joined(separator: "\n")
        if kept.count > limit { kept = "..." + String(kept.suffix(limit)) }
        return lines.count > 30 ? "...\n" + kept : kept
    }
}
