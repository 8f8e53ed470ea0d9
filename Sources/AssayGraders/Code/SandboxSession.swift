import AssayCore
import Foundation
import Subprocess

#if canImport(System)
    import System
#else
    import SystemPackage
#endif

/// A program in the sandbox one talks to a line at a time while it lives: an agent task's
/// tool host (`ToolHost`), which keeps its tools' state from the first step to the last.
///
/// Same sandbox, limits and control group as `Sandbox.run`; but it takes no place among the
/// programs that run at once (one per core): a session spends most of its life waiting for
/// a model's answer, and holding a core for that would let two agents run at a time. Each
/// exchange has a wall-clock limit past which the whole sandbox is killed; the session is
/// then over, and every exchange after says so.
public final class SandboxSession {
    private let writer: StandardInputWriter
    private var lines: SubprocessOutputSequence.StringSequence<UTF8>.AsyncIterator
    private let pid: pid_t
    /// Why the program is gone; nil while it answers.
    public private(set) var ended: String?

    init(writer: StandardInputWriter, lines: SubprocessOutputSequence.StringSequence<UTF8>.AsyncIterator, pid: pid_t) {
        self.writer = writer
        self.lines = lines
        self.pid = pid
    }

    /// Sends one line and reads the program's one-line answer; nil when the program ended or
    /// was killed at `limit` (`ended` says which).
    public func exchange(_ line: String, limit: Duration) async -> String? {
        guard ended == nil else { return nil }
        let killer = KillTimer()
        killer.start(pid: pid, after: limit)
        defer { killer.cancel() }
        do {
            _ = try await writer.write(Array((line + "\n").utf8))
            if let answer = try await lines.next() { return answer }
        } catch {
            ended = "the tools' process could not be reached: \(error)"
            return nil
        }
        ended =
            killer.fired
            ? "the tools' process was stopped: a call ran past \(limit.inSeconds) s" : "the tools' process ended"
        return nil
    }
}

extension Sandbox {
    /// Starts `python3 <main>` over `files` in the sandbox and hands the session to `body`;
    /// the program's input is closed (and it ends) when `body` returns. Nil (and why) when it
    /// could not start.
    public func withSession<R: Sendable>(
        files: [String: String], main: String, limits: ExecutionLimits, _ body: (SandboxSession) async -> R
    ) async -> Swift.Result<R, SessionFailure> {
        var program: Program
        do throws(Program.Failure) {
            // Files in a folder of their own (`tools/x.py`) are written as `compiled` ones are: folder first.
            program = try prepare(
                "tools", files: files.filter { !$0.key.contains("/") },
                compiled: files.filter { $0.key.contains("/") }.mapValues { Data($0.utf8) }, main: main, limits: limits)
        } catch {
            return .failure(SessionFailure(reason: error.reason))
        }
        defer { program.remove() }
        var options = PlatformOptions()
        options.processGroupID = 0
        let whole = KillTimer()
        do {
            let result = try await Subprocess.run(
                .path(FilePath(program.executable)), arguments: Arguments(program.arguments),
                environment: .custom(program.environment), workingDirectory: FilePath(program.directory),
                platformOptions: options, input: .inputWriter, output: .sequence, error: .sequence
            ) { execution in
                async let drained = CappedOutput.collect(execution.standardError, cap: limits.outputKB * 1024)
                let pid = execution.processIdentifier.value
                whole.start(pid: pid, after: .seconds(limits.sandboxSeconds))
                let session = SandboxSession(
                    writer: execution.standardInputWriter,
                    lines: execution.standardOutput.strings(
                        separatedBy: .lineBreaks, bufferingPolicy: .maxLineLength(16 * 1024 * 1024)
                    ).makeAsyncIterator(), pid: pid)
                let value = await body(session)
                try? await execution.standardInputWriter.finish()
                _ = try? await drained
                return value
            }
            whole.cancel()
            await program.group?.removeWhenEmpty()
            return .success(result.closureResult)
        } catch {
            whole.cancel()
            await program.group?.removeWhenEmpty()
            return .failure(SessionFailure(reason: "cannot start the tools' process: \(error)"))
        }
    }
}

/// Why a sandbox session could not start.
public struct SessionFailure: Error, Sendable, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
}
