import AssayCore
import Foundation
import Subprocess
import Synchronization

#if canImport(System)
import System
#else
import SystemPackage
#endif

/// Where model-written code runs: a bubblewrap sandbox, or (only when the user says so with
/// `--unsafe-no-sandbox`) a plain `python3` process.
///
/// The bubblewrap sandbox: new user, PID, network (no network at all, loopback included),
/// IPC, UTS and cgroup namespaces; all capabilities dropped; `/usr` read-only and nothing
/// else of the host (no `/etc`, no home directory, no `/root`); a private `/proc` and
/// `/dev`; the program read-only under `/src`; a size-capped tmpfs as the work directory;
/// an empty environment but for PATH, HOME=/work and LANG; `--die-with-parent`. As root,
/// bubblewrap itself runs as `nobody` (through setpriv), so that the process limit binds. Inside, `prlimit`
/// sets CPU seconds, address space, processes, file size and open files before Python
/// starts. A wall-clock timer kills the whole tree; output is kept up to a cap.
public struct Sandbox: Sendable {
    public enum Kind: Sendable, Hashable {
        case bubblewrap(path: String, version: String)
        case none
    }

    public let kind: Kind
    public let python: String
    private let slots: AsyncSemaphore

    /// What the run manifest and the reports say about it.
    public var description: String {
        switch kind {
        case .bubblewrap(_, let version): "bubblewrap \(version)"
        case .none: "none: model code ran unsandboxed (--unsafe-no-sandbox)"
        }
    }

    public var isSandboxed: Bool { kind != .none }

    init(kind: Kind, python: String, concurrency: Int) {
        self.kind = kind
        self.python = python
        self.slots = AsyncSemaphore(limit: concurrency)
    }

    /// Runs at most this many programs at once: one per core.
    public static var defaultConcurrency: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// A plain process with rlimits and a clean environment, but no isolation.
    public static func unsandboxed(python: String = "/usr/bin/python3", concurrency: Int = defaultConcurrency) -> Sandbox {
        Sandbox(kind: .none, python: python, concurrency: concurrency)
    }

    /// Finds bubblewrap (`executable`, else $ASSAY_BWRAP, else the usual places) and proves it
    /// can start a sandbox with a trial run; the error says why not (not installed, user
    /// namespaces disabled, ...).
    public static func bubblewrap(
        executable: String? = ProcessInfo.processInfo.environment["ASSAY_BWRAP"], python: String = "/usr/bin/python3",
        concurrency: Int = defaultConcurrency
    ) async throws(SandboxUnavailable) -> Sandbox {
        let candidates = executable.map { [$0] } ?? ["/usr/bin/bwrap", "/bin/bwrap", "/usr/local/bin/bwrap"]
        guard let path = candidates.first(where: FileManager.default.isExecutableFile) else {
            throw SandboxUnavailable(reason: "bubblewrap is not installed at \(candidates.joined(separator: " or ")) (Debian: apt-get install bubblewrap)")
        }
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw SandboxUnavailable(reason: "\(python) is not installed (Debian: apt-get install python3)")
        }
        let versionOutput = try? await Subprocess.run(.path(FilePath(path)), arguments: ["--version"], output: .string(limit: 4096))
        let version = (versionOutput?.standardOutput ?? "?").replacingOccurrences(of: "bubblewrap", with: "")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let sandbox = Sandbox(kind: .bubblewrap(path: path, version: version), python: python, concurrency: concurrency)
        let trial = await sandbox.run(files: ["trial.py": "print('sandbox ok')\n"], main: "trial.py", limits: ExecutionLimits())
        guard trial.termination == .exited(0), trial.stdout.contains("sandbox ok") else {
            let detail = trial.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
            throw SandboxUnavailable(reason: "bubblewrap could not start a sandbox: \(detail.isEmpty ? "\(trial.termination)" : String(detail.prefix(300)))")
        }
        return sandbox
    }

    /// Runs `python3 <main>` over `files` (name -> contents) within `limits`.
    public func run(files: [String: String], main: String, limits: ExecutionLimits) async -> ExecutionReport {
        await slots.withSlot { await execute(files: files, main: main, limits: limits) }
    }

    private func execute(files: [String: String], main: String, limits: ExecutionLimits) async -> ExecutionReport {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("assay-code-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do {
            // Readable by `nobody`, writable by no one inside.
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o755])
            for (name, contents) in files {
                let path = directory + "/" + name
                try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
                try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
            }
        } catch {
            return Self.failure("cannot prepare the program's files: \(error.localizedDescription)")
        }
        let (executable, arguments) = command(directory: directory, main: main, limits: limits)
        let clock = ContinuousClock()
        let start = clock.now
        let killer = KillTimer()
        let cap = limits.outputKB * 1024
        do {
            let result = try await Subprocess.run(
                .path(FilePath(executable)), arguments: Arguments(arguments),
                environment: .custom(["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"]), workingDirectory: FilePath(directory),
                input: .none, output: .sequence, error: .sequence
            ) { execution in
                killer.start(pid: execution.processIdentifier.value, after: .milliseconds(Int64(limits.timeoutSeconds * 1000)))
                async let out = CappedOutput.collect(execution.standardOutput, cap: cap)
                async let err = CappedOutput.collect(execution.standardError, cap: cap)
                return try await (out, err)
            }
            killer.cancel()
            let (out, err) = result.closureResult
            let termination: ExecutionReport.Termination =
                switch result.terminationStatus {
                case .exited(let code): .exited(code)
                case .signaled(let signal): .signaled(signal)
                }
            return ExecutionReport(
                termination: termination, timedOut: killer.fired, stdout: out.text, stderr: err.text,
                outputTruncated: out.truncated || err.truncated, wallMilliseconds: Self.milliseconds(clock.now - start))
        } catch {
            killer.cancel()
            return Self.failure("cannot start the program: \(error)")
        }
    }

    /// The command line: bwrap + prlimit + python, or prlimit + python.
    ///
    /// As root, bubblewrap is started through `setpriv` as `nobody` (uid and gid 65534, no
    /// supplementary groups), so that RLIMIT_NPROC binds inside (the kernel exempts root).
    /// setpriv rather than Subprocess's uid options: those fork and call glibc's setgroups
    /// in the child of a multithreaded process, which can deadlock.
    func command(directory: String, main: String, limits: ExecutionLimits) -> (String, [String]) {
        let cpu = Int(limits.timeoutSeconds.rounded(.up))
        let limited = [
            "/usr/bin/prlimit", "--cpu=\(cpu):\(cpu + 1)", "--as=\(limits.memoryMB * 1024 * 1024)",
            "--nproc=\(limits.processes)", "--fsize=\(limits.fileSizeMB * 1024 * 1024)", "--nofile=\(limits.openFiles)", "--",
        ]
        switch kind {
        case .none:
            return (limited[0], Array(limited.dropFirst()) + [python, "-I", "-X", "utf8", directory + "/" + main])
        case .bubblewrap(let path, _):
            var arguments = [
                "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL",
                "--ro-bind", "/usr", "/usr",
            ]
            for top in ["bin", "lib", "lib64", "sbin"] {
                let host = "/" + top
                if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: host) {
                    arguments += ["--symlink", target, host]
                } else if FileManager.default.fileExists(atPath: host) {
                    arguments += ["--ro-bind", host, host]
                }
            }
            arguments += [
                "--proc", "/proc", "--dev", "/dev",
                "--size", String(limits.diskMB * 1024 * 1024), "--tmpfs", "/work",
                "--size", String(limits.diskMB * 1024 * 1024), "--tmpfs", "/tmp",
                "--ro-bind", directory, "/src", "--chdir", "/work",
                "--clearenv", "--setenv", "PATH", "/usr/bin:/bin", "--setenv", "HOME", "/work",
                "--setenv", "LANG", "C.UTF-8", "--setenv", "PYTHONDONTWRITEBYTECODE", "1",
                "--",
            ]
            let sandboxed = arguments + limited + [python, "-I", "-X", "utf8", "/src/" + main]
            if getuid() == 0 {
                return ("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "--", path] + sandboxed)
            }
            return (path, sandboxed)
        }
    }

    static func failure(_ message: String) -> ExecutionReport {
        ExecutionReport(
            termination: .exited(-1), timedOut: false, stdout: "", stderr: "assay-sandbox: " + message, outputTruncated: false,
            wallMilliseconds: 0)
    }

    static func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}

/// Kills a process (SIGKILL) when it runs past its wall-clock limit. Killing bubblewrap
/// kills the whole sandbox: its init dies with it (`--die-with-parent`), and with the init
/// the PID namespace and every process in it.
final class KillTimer: Sendable {
    private let task = Mutex<Task<Void, Never>?>(nil)
    private let didFire = Atomic<Bool>(false)

    var fired: Bool { didFire.load(ordering: .acquiring) }

    func start(pid: pid_t, after limit: Duration) {
        let timer = Task { [didFire = self] in
            try? await Task.sleep(for: limit)
            guard !Task.isCancelled else { return }
            didFire.didFire.store(true, ordering: .releasing)
            kill(pid, SIGKILL)
        }
        task.withLock { $0 = timer }
    }

    func cancel() {
        task.withLock { $0?.cancel() }
    }
}

/// Why model code cannot be run in a sandbox here.
public struct SandboxUnavailable: Error, Sendable, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
}

/// Output kept up to a cap (the head) plus its last 4 KiB (the tail), the rest dropped.
struct CappedOutput: Sendable {
    var head: [UInt8] = []
    var tail: [UInt8] = []
    var total = 0

    var truncated: Bool { total > head.count + tail.count }

    var text: String {
        guard truncated || !tail.isEmpty else { return String(decoding: head, as: UTF8.self) }
        let dropped = total - head.count - tail.count
        let marker = dropped > 0 ? "\n[... \(dropped) bytes dropped ...]\n" : ""
        return String(decoding: head, as: UTF8.self) + marker + String(decoding: tail, as: UTF8.self)
    }

    static let tailSize = 4096

    static func collect(_ sequence: SubprocessOutputSequence, cap: Int) async throws -> CappedOutput {
        var output = CappedOutput()
        for try await buffer in sequence {
            buffer.withUnsafeBytes { bytes in
                output.total += bytes.count
                var rest = bytes[...]
                if output.head.count < cap {
                    let take = min(cap - output.head.count, rest.count)
                    output.head.append(contentsOf: rest.prefix(take))
                    rest = rest.dropFirst(take)
                }
                if !rest.isEmpty {
                    output.tail.append(contentsOf: rest.suffix(tailSize))
                    if output.tail.count > tailSize { output.tail.removeFirst(output.tail.count - tailSize) }
                }
            }
        }
        return output
    }
}
