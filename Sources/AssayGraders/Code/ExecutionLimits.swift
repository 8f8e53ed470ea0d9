/// The resources one run of model-written code may use.
///
/// Suites set them under `grader:` in suite.yaml (`timeout_seconds`, `memory_mb`, `processes`,
/// `file_size_mb`, `open_files`, `output_kb`, `disk_mb`); a case may raise or lower its own
/// time with `expected.timeout_seconds`.
public struct ExecutionLimits: Sendable, Hashable {
    /// CPU seconds the candidate's process may use (importing its code, every call the tests
    /// make, and reading what crosses the wire), rounded up to whole seconds: counted by the
    /// kernel, the same on a busy machine as on an idle one. A candidate that waits instead
    /// (a sleep, a blocking read) is stopped by the wall clock at `2 x timeout + 20` seconds
    /// after its process started.
    public var timeoutSeconds: Double = 10
    /// Address space (RLIMIT_AS) of each process, in MiB; with a control group, also the
    /// memory of the whole sandbox (plus `harnessMemoryMB` for the test runner).
    public var memoryMB: Int = 1024
    /// Processes and threads (RLIMIT_NPROC), counted inside the sandbox; with a control group,
    /// also the whole sandbox's (plus `harnessProcesses`).
    public var processes: Int = 32
    /// The largest file the code may write (RLIMIT_FSIZE), in MiB.
    public var fileSizeMB: Int = 16
    /// Open file descriptors (RLIMIT_NOFILE).
    public var openFiles: Int = 64
    /// Standard output and standard error are each kept up to this many KiB; the rest is read and dropped.
    public var outputKB: Int = 64
    /// The size of the private tmpfs holding the work directory and `/tmp`, in MiB.
    public var diskMB: Int = 64

    public init() {}

    /// The wall clock of the whole sandbox (starting it, the runner's own work, the candidate's
    /// time): past it, everything is killed. Generous, because a loaded machine stretches it
    /// (the runner encodes a test's large inputs in its own time); the candidate's own budget
    /// is its CPU time.
    public var sandboxSeconds: Double { timeoutSeconds * 3 + 60 }

    /// What the test runner, its interpreter and bubblewrap add to a control group's limits.
    static let harnessMemoryMB = 96
    static let harnessProcesses = 8
    /// The size of `/dev/shm`, in MiB: enough for the semaphores of `multiprocessing`.
    static let sharedMemoryMB = 8

    static let settingKeys = [
        "timeout_seconds", "memory_mb", "processes", "file_size_mb", "open_files", "output_kb", "disk_mb",
    ]
}
