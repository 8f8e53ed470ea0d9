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
/// `--unsafe-no-sandbox`) plain processes.
///
/// The bubblewrap sandbox: new user, PID, network, IPC, UTS and cgroup namespaces, and no
/// further user namespaces inside (`--disable-userns`); no socket but AF_UNIX (a seccomp
/// filter, `SandboxSeccomp`: the new network namespace's loopback is up, and TCP buffers on it
/// pinned host memory past the sandbox's limit); all capabilities dropped; `/usr` read-only
/// and nothing else of the host (no `/etc`, no home directory, no `/root`); a read-only root and `/dev`, a private
/// `/proc`; the program read-only under `/src`; one size-capped tmpfs for the work
/// directory and `/tmp` (a link into it), a small one for `/dev/shm`; an empty environment
/// but for PATH, HOME=/work and LANG; `--die-with-parent`. As root, everything runs as
/// `nobody` (through setpriv), so that the process limit binds, with or without the sandbox.
/// rlimits bound CPU seconds, address space, processes, file size, open files and core dumps
/// (none) for every process (set by the shell that joins the control group, else by
/// `prlimit`); where the machine allows it, a control group bounds memory and processes for
/// the whole sandbox (`SandboxCgroups`). A wall-clock timer kills the whole
/// tree; output is kept up to a cap.
public struct Sandbox: Sendable {
    public enum Kind: Sendable, Hashable {
        case bubblewrap(path: String, version: String)
        case none
    }

    public let kind: Kind
    public let python: String
    let cgroups: SandboxCgroups?
    private let slots: AsyncSemaphore
    /// Programs started ahead of their turn (as many as run at once): each joins its control
    /// group (which waits for the kernel: RCU grace periods, about 10 ms a case on cgroup v1),
    /// starts its sandbox and its interpreter, and then waits for its input (the harness's
    /// runner imports itself and forks the candidate's process first, then reads the
    /// instructions) while the programs before it run. Its input is written on its turn.
    private let waiting: AsyncSemaphore

    /// What the run manifest and the reports say about it, with how far its limits reach.
    public var description: String {
        let bound =
            if let cgroups {
                "memory and processes bounded for the whole sandbox (\(cgroups.name))"
            } else {
                "no control group here: memory and processes bounded per process only"
            }
        return switch kind {
        case .bubblewrap(_, let version) where SandboxSeccomp.program == nil:
            "bubblewrap \(version), no socket filter for this architecture (network namespace only); \(bound)"
        case .bubblewrap(_, let version): "bubblewrap \(version); \(bound)"
        case .none: "none: model code ran unsandboxed (--unsafe-no-sandbox); \(bound)"
        }
    }

    public var isSandboxed: Bool { kind != .none }

    /// The mode the run manifest records.
    public var mode: SandboxMode { isSandboxed ? .bubblewrap : .unsandboxed }

    init(kind: Kind, python: String, concurrency: Int, cgroups: SandboxCgroups? = SandboxCgroups.available) {
        self.kind = kind
        self.python = python
        self.cgroups = cgroups
        self.slots = concurrency == Self.defaultConcurrency ? Self.machineSlots : AsyncSemaphore(limit: concurrency)
        self.waiting = concurrency == Self.defaultConcurrency ? Self.machineWaiting : AsyncSemaphore(limit: concurrency)
        Self.ignoreBrokenPipes()
    }

    /// Whether this machine lets Assay bound a sandbox as a whole with a control group.
    public static var controlGroupsAvailable: Bool { SandboxCgroups.available != nil }

    /// Runs at most this many programs at once: one per core.
    public static var defaultConcurrency: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// One per core for every sandbox of the process that takes the default: two suites (or
    /// two tests) grading code at once share the cores rather than each taking them all.
    private static let machineSlots = AsyncSemaphore(limit: defaultConcurrency)
    private static let machineWaiting = AsyncSemaphore(limit: defaultConcurrency)

    /// A program that ends before its input is written (one that could not join its control
    /// group, or was killed while waiting for its turn) must make that write fail (EPIPE), not
    /// end Assay: SIGPIPE is ignored in this process once a sandbox exists.
    private static func ignoreBrokenPipes() {
        _ = brokenPipesIgnored
    }

    private static let brokenPipesIgnored: Bool = {
        _ = signal(SIGPIPE, SIG_IGN)
        return true
    }()

    /// A plain process with rlimits and a clean environment, but no isolation.
    public static func unsandboxed(python: String = "/usr/bin/python3", concurrency: Int = defaultConcurrency)
        -> Sandbox
    {
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
            throw SandboxUnavailable(
                reason:
                    "bubblewrap is not installed at \(candidates.joined(separator: " or ")) (Debian: apt-get install bubblewrap)"
            )
        }
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw SandboxUnavailable(reason: "\(python) is not installed (Debian: apt-get install python3)")
        }
        let versionOutput = try? await Subprocess.run(
            .path(FilePath(path)), arguments: ["--version"], output: .string(limit: 4096))
        let version = (versionOutput?.standardOutput ?? "?").replacingOccurrences(of: "bubblewrap", with: "")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let sandbox = Sandbox(kind: .bubblewrap(path: path, version: version), python: python, concurrency: concurrency)
        let trial = await sandbox.run(
            files: ["trial.py": "print('sandbox ok')\n"], main: "trial.py", input: nil, limits: ExecutionLimits())
        guard trial.termination == .exited(0), trial.stdout.contains("sandbox ok") else {
            let detail = trial.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
            throw SandboxUnavailable(
                reason:
                    "bubblewrap could not start a sandbox: \(detail.isEmpty ? "\(trial.termination)" : String(detail.prefix(300)))"
            )
        }
        return sandbox
    }

    /// Runs `python3 <main>` over `files` (name -> contents) within `limits`, with `input` on
    /// its standard input. `compiled` holds files written byte for byte, some under a directory
    /// of their own (`__pycache__/wire.cpython-311.pyc`).
    public func run(
        files: [String: String], compiled: [String: Data] = [:], main: String, input: String?, limits: ExecutionLimits
    ) async -> ExecutionReport {
        let turn = Turn(waiting: waiting, running: slots)
        await turn.wait()
        let report = await execute(
            files: files, compiled: compiled, main: main, input: input, limits: limits, turn: turn)
        await turn.end()
        return report
    }

    private func execute(
        files: [String: String], compiled: [String: Data], main: String, input: String?, limits: ExecutionLimits,
        turn: Turn
    ) async -> ExecutionReport {
        var program: Program
        do throws(Program.Failure) {
            program = try prepare("code", files: files, compiled: compiled, main: main, limits: limits)
        } catch {
            return Self.failure(error.reason)
        }
        defer { program.remove() }
        let report = await launch(program, input: input, limits: limits, turn: turn)
        await program.group?.removeWhenEmpty()
        return report
    }

    /// A program ready to start: its files and system-call filter written, its control group
    /// made, its command line and environment. `remove()` deletes the files; the control group
    /// is removed (awaited) once the program has ended.
    struct Program {
        var files: ProgramFiles
        var filterFile: ProgramFiles
        let group: SandboxCgroups.Group?
        let executable: String
        let arguments: [String]
        let environment: [Environment.Key: String]
        var directory: String { files.directory }

        mutating func remove() {
            files.remove()
            filterFile.remove()
        }

        struct Failure: Error {
            var reason: String
        }
    }

    /// Writes `files` (and `compiled`) into a directory of their own (`assay-<purpose>-<uuid>`)
    /// and the socket filter beside it, makes the control group, and builds the command line.
    func prepare(
        _ purpose: String, files: [String: String], compiled: [String: Data], main: String, limits: ExecutionLimits
    ) throws(Program.Failure) -> Program {
        let directory = FilePath(NSTemporaryDirectory()).appending("assay-\(purpose)-\(UUID().uuidString)").string
        var written = ProgramFiles(directory: directory)
        do throws(ProgramFiles.Failure) {
            try Self.write(files: files, compiled: compiled, into: &written)
        } catch {
            written.remove()
            throw Program.Failure(reason: "cannot prepare the program's files: \(error)")
        }
        // The socket filter, beside the program's directory (not in its `/src`), readable by
        // `nobody`: the shell that starts bubblewrap opens it as descriptor 3.
        var filter: String?
        var filterFile = ProgramFiles(directory: directory + ".seccomp")
        if case .bubblewrap = kind, let program = SandboxSeccomp.program {
            do throws(ProgramFiles.Failure) {
                try filterFile.write(program, to: "")
            } catch {
                written.remove()
                filterFile.remove()
                throw Program.Failure(reason: "cannot write the sandbox's system-call filter: \(error)")
            }
            filter = filterFile.directory
        }
        let group = cgroups?.make(
            memoryBytes: (limits.memoryMB + ExecutionLimits.harnessMemoryMB) * 1024 * 1024,
            processes: limits.processes + ExecutionLimits.harnessProcesses)
        let (executable, arguments) = command(
            directory: directory, main: main, limits: limits, group: group, filter: filter)
        // No LANG for the programs that start the sandbox (setpriv and bubblewrap each loaded
        // the locale's files with it, about 0.25 ms of a case's CPU): bubblewrap gives the
        // program inside its own environment. Without the sandbox, Python gets it here.
        let environment: [Environment.Key: String] =
            if case .bubblewrap = kind { ["PATH": "/usr/bin:/bin"] } else {
                ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"]
            }
        return Program(
            files: written, filterFile: filterFile, group: group, executable: executable, arguments: arguments,
            environment: environment)
    }

    /// Writes the program's files into `written`'s directory: readable by `nobody`, writable by
    /// no one inside; a compiled file's own directory made first.
    static func write(files: [String: String], compiled: [String: Data], into written: inout ProgramFiles)
        throws(ProgramFiles.Failure)
    {
        try written.makeDirectory("")
        for (name, contents) in files {
            try written.write(Array(contents.utf8), to: name)
        }
        for (name, contents) in compiled {
            let parent = FilePath(name).removingLastComponent().string
            if !parent.isEmpty && !written.directories.contains(parent) { try written.makeDirectory(parent) }
            try written.write(Array(contents), to: name)
        }
    }

    /// Starts the command when its turn comes, writes `input` to it, and collects its output (each
    /// stream capped) until it ends or the timer kills it.
    private func launch(_ program: Program, input: String?, limits: ExecutionLimits, turn: Turn) async
        -> ExecutionReport
    {
        let clock = ContinuousClock()
        let killer = KillTimer()
        let cap = limits.outputKB * 1024
        var options = PlatformOptions()
        options.processGroupID = 0  // its own process group, so that the timer kills every process
        do {
            let result = try await Subprocess.run(
                .path(FilePath(program.executable)), arguments: Arguments(program.arguments),
                environment: .custom(program.environment), workingDirectory: FilePath(program.directory),
                platformOptions: options, input: .inputWriter, output: .sequence, error: .sequence
            ) { execution in
                async let out = CappedOutput.collect(execution.standardOutput, cap: cap)
                async let err = CappedOutput.collect(execution.standardError, cap: cap)
                await turn.run()
                let start = clock.now
                killer.start(pid: execution.processIdentifier.value, after: .seconds(limits.sandboxSeconds))
                // A program that ended before its turn (it could not join its group) says why in
                // its exit status and output, not in a failed write.
                _ = try? await execution.standardInputWriter.write(Array((input ?? "").utf8))
                try? await execution.standardInputWriter.finish()
                return try await (out, err, start)
            }
            killer.cancel()
            let (out, err, start) = result.closureResult
            let termination: ExecutionReport.Termination =
                switch result.terminationStatus {
                case .exited(let code): .exited(code)
                case .signaled(let signal): .signaled(signal)
                }
            return ExecutionReport(
                termination: termination, timedOut: killer.fired, stdout: out.text, stderr: err.text,
                outputTruncated: out.truncated || err.truncated, wallMilliseconds: (clock.now - start).inMilliseconds,
                outOfMemory: (program.group?.outOfMemoryKills ?? 0) > 0)
        } catch {
            killer.cancel()
            return Self.failure("cannot start the program: \(error)")
        }
    }

    /// The command line: [set the limits, join the control group] [open the filter] [drop root]
    /// [bwrap] python. Without a control group, prlimit sets the limits (inside bwrap, just
    /// before python).
    ///
    /// As root, the program runs as `nobody` (uid and gid 65534, no supplementary groups), so
    /// that RLIMIT_NPROC binds (the kernel exempts root), sandbox or not. RLIMIT_NPROC counts
    /// every process of that user on the machine, so with a control group (whose `pids.max`
    /// bounds this program alone) it is not set: programs graded side by side shared one count,
    /// and one candidate's forks failed another's harness (EAGAIN in CI). setpriv rather than
    /// Subprocess's uid options: those fork and call glibc's setgroups in the child of a
    /// multithreaded process, which can deadlock. The control group is joined by a shell that
    /// writes its own pid and then becomes the rest of the command, so that no process of the
    /// program starts outside the group. The system-call filter (`filter`, a file of
    /// `SandboxSeccomp.program`) reaches bubblewrap as descriptor 3, opened by that same shell
    /// (one shell, not two: each start costs a case a millisecond) and kept open by setpriv;
    /// bubblewrap reads and closes it, and installs it on the program only (its own setup, the
    /// loopback's included, runs before). Without the sandbox there is none.
    func command(
        directory: String, main: String, limits: ExecutionLimits, group: SandboxCgroups.Group? = nil,
        filter: String? = nil
    ) -> (String, [String]) {
        let cpu = Int(limits.sandboxSeconds.rounded(.up))
        // With a control group, the shell that joins it sets the limits (its `ulimit`, before it
        // becomes setpriv, bubblewrap and Python: every process of the program inherits them)
        // instead of prlimit started inside the sandbox (half a millisecond of a case's CPU).
        let limitedByShell = group.map { !$0.procsFiles.isEmpty } ?? false
        let limited = limitedByShell ? [] : Self.prlimit(limits, cpu: cpu, processes: group == nil)
        var command: [String]
        switch kind {
        case .none:
            command = limited + [python, "-I", "-S", "-X", "utf8", FilePath(directory).appending(main).string]
        case .bubblewrap(let path, _):
            command =
                Self.bubblewrapArguments(path, directory: directory, limits: limits, filter: filter) + limited
                + [python, "-I", "-S", "-X", "utf8", "/src/" + main]
        }
        if getuid() == 0 {
            command = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"] + command
        }
        let procs = group?.procsFiles ?? []
        if !procs.isEmpty || filter != nil {
            command =
                Self.joiningShell(procs: procs, filter: filter, limits: limits, cpu: cpu, setsLimits: limitedByShell)
                + command
        }
        return (command[0], Array(command.dropFirst()))
    }

    /// prlimit setting the limits (the process count too when `processes`), up to its `--`.
    private static func prlimit(_ limits: ExecutionLimits, cpu: Int, processes: Bool) -> [String] {
        [
            "/usr/bin/prlimit", "--cpu=\(cpu):\(cpu + 1)", "--as=\(limits.memoryMB * 1024 * 1024)",
            "--fsize=\(limits.fileSizeMB * 1024 * 1024)", "--nofile=\(limits.openFiles)", "--core=0:0",
        ] + (processes ? ["--nproc=\(limits.processes)"] : []) + ["--"]
    }

    /// bubblewrap at `path` with the sandbox's mounts and environment, up to its `--`: the host's
    /// system read-only, the program's `directory` read-only at `/src`, a small writable `/work`.
    private static func bubblewrapArguments(_ path: String, directory: String, limits: ExecutionLimits, filter: String?)
        -> [String]
    {
        var arguments = [
            path, "--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent", "--new-session",
            "--cap-drop", "ALL", "--ro-bind", "/usr", "/usr",
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
            "--size", String(ExecutionLimits.sharedMemoryMB * 1024 * 1024), "--tmpfs", "/dev/shm",
            "--size", String(limits.diskMB * 1024 * 1024), "--tmpfs", "/work",
            "--dir", "/work/.tmp", "--symlink", "/work/.tmp", "/tmp",
            "--ro-bind", directory, "/src",
            "--remount-ro", "/dev", "--remount-ro", "/",
            "--chdir", "/work",
            "--clearenv", "--setenv", "PATH", "/usr/bin:/bin", "--setenv", "HOME", "/work",
            "--setenv", "LANG", "C.UTF-8", "--setenv", "PYTHONDONTWRITEBYTECODE", "1",
            "--",
        ]
        if filter != nil {
            arguments.insert(contentsOf: ["--seccomp", "3"], at: arguments.count - 1)
        }
        return arguments
    }

    /// One shell for all three: it sets the limits (with a control group, `setsLimits`), joins
    /// the group (writes its pid to each of `procs`), opens the filter as descriptor 3 (setpriv
    /// keeps it open for bubblewrap), and becomes the rest of the command. dash's `ulimit` takes
    /// one limit a call, -f in 512-byte blocks and -v in KiB; the soft CPU limit first (a hard
    /// one below the soft fails).
    private static func joiningShell(
        procs: [String], filter: String?, limits: ExecutionLimits, cpu: Int, setsLimits: Bool
    ) -> [String] {
        let ulimits =
            setsLimits
            ? "ulimit -St \(cpu) && ulimit -Ht \(cpu + 1) && ulimit -v \(limits.memoryMB * 1024) && "
                + "ulimit -f \(limits.fileSizeMB * 2048) && ulimit -n \(limits.openFiles) && ulimit -c 0 || exit 125; "
            : ""
        let start =
            ulimits + #"n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit 125; shift; n=$((n - 1)); done; "#
            + #"if [ -n "$1" ]; then exec 3<"$1" || exit 125; fi; shift; exec "$@""#
        return ["/bin/sh", "-c", start, "sh", String(procs.count)] + procs + [filter ?? ""]
    }

    static func failure(_ message: String) -> ExecutionReport {
        ExecutionReport(
            termination: .exited(-1), timedOut: false, stdout: "", stderr: "assay-sandbox: " + message,
            outputTruncated: false,
            wallMilliseconds: 0, outOfMemory: false)
    }
}

/// A program's files, written with plain system calls: Foundation's `Data.write` syncs each
/// file to the disk (fsync), which cost every case 30 ms or more on an ext4 /tmp, for files
/// that live a fraction of a second. Removed file by file, then the directories.
struct ProgramFiles {
    struct Failure: Error, CustomStringConvertible {
        var path: String
        var code: Int32
        var description: String { "\(path): \(String(cString: strerror(code)))" }
    }

    /// The directory (or, written to "", the single file) everything is under.
    let directory: String
    private(set) var files: [String] = []
    private(set) var directories: [String] = []

    init(directory: String) {
        self.directory = directory
    }

    private func path(_ name: String) -> String {
        name.isEmpty ? directory : FilePath(directory).appending(name).string
    }

    /// Makes a directory (mode 0755, whatever the umask), refusing one that exists.
    mutating func makeDirectory(_ name: String) throws(Failure) {
        let path = path(name)
        guard mkdir(path, 0o700) == 0 else { throw Failure(path: path, code: errno) }
        directories.append(name)
        guard chmod(path, 0o755) == 0 else { throw Failure(path: path, code: errno) }
    }

    /// Writes a new file (mode 0644, whatever the umask), refusing one that exists or a link.
    mutating func write(_ bytes: [UInt8], to name: String) throws(Failure) {
        let path = path(name)
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Failure(path: path, code: errno) }
        files.append(name)
        defer { close(fd) }
        guard fchmod(fd, 0o644) == 0 else { throw Failure(path: path, code: errno) }
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { writeBytes(fd, $0) }
            if count < 0 {
                if errno == EINTR { continue }
                throw Failure(path: path, code: errno)
            }
            offset += count
        }
    }

    /// Removes what was written; anything else found in the directory (a program run without
    /// the sandbox, as the same user, may write there) is removed with it.
    mutating func remove() {
        for name in files { unlink(path(name)) }
        for name in directories.reversed() where rmdir(path(name)) != 0 && errno != ENOENT {
            try? FileManager.default.removeItem(atPath: path(name))
        }
        files = []
        directories = []
    }
}

/// A program's place: first among those started ahead of their turn, then among those running.
final class Turn: Sendable {
    private let waiting: AsyncSemaphore
    private let running: AsyncSemaphore
    private let held = Mutex<(waiting: Bool, running: Bool)>((false, false))

    init(waiting: AsyncSemaphore, running: AsyncSemaphore) {
        self.waiting = waiting
        self.running = running
    }

    /// Takes a place among the programs started ahead of their turn.
    func wait() async {
        await waiting.acquire()
        held.withLock { $0.waiting = true }
    }

    /// Takes a place among the running programs, then gives up the waiting one.
    func run() async {
        await running.acquire()
        held.withLock { $0.running = true }
        await leaveWaiting()
    }

    private func leaveWaiting() async {
        if held.withLock({ held in
            defer { held.waiting = false }; return held.waiting
        }) {
            await waiting.release()
        }
    }

    /// Gives up whatever places it holds.
    func end() async {
        await leaveWaiting()
        if held.withLock({ held in
            defer { held.running = false }; return held.running
        }) {
            await running.release()
        }
    }
}

private func writeBytes(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) -> Int {
    write(fd, buffer.baseAddress, buffer.count)
}

/// Kills a process group (SIGKILL) when it runs past its wall-clock limit. Killing bubblewrap
/// kills the whole sandbox: its init dies with it (`--die-with-parent`), and with the init
/// the PID namespace and every process in it; without a sandbox, the group is every process
/// the program started and did not move out of it.
final class KillTimer: Sendable {
    private let task = Mutex<Task<Void, Never>?>(nil)
    private let didFire = Atomic<Bool>(false)

    var fired: Bool { didFire.load(ordering: .acquiring) }

    func start(pid: pid_t, after limit: Duration) {
        let timer = Task { [didFire = self] in
            try? await Task.sleep(for: limit)
            guard !Task.isCancelled else { return }
            didFire.didFire.store(true, ordering: .releasing)
            kill(-pid, SIGKILL)
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
