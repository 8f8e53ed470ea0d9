/// The resources one run of model-written code may use.
///
/// Suites set them under `grader:` in suite.yaml (`timeout_seconds`, `memory_mb`, `processes`,
/// `file_size_mb`, `open_files`, `output_kb`, `disk_mb`); a case may raise or lower its own
/// time with `expected.timeout_seconds`.
public struct ExecutionLimits: Sendable, Hashable {
    /// Wall-clock seconds before the whole process tree is killed; also the CPU-seconds limit.
    public var timeoutSeconds: Double = 10
    /// Address space (RLIMIT_AS), in MiB.
    public var memoryMB: Int = 1024
    /// Processes and threads (RLIMIT_NPROC), counted inside the sandbox.
    public var processes: Int = 32
    /// The largest file the code may write (RLIMIT_FSIZE), in MiB.
    public var fileSizeMB: Int = 16
    /// Open file descriptors (RLIMIT_NOFILE).
    public var openFiles: Int = 64
    /// Standard output and standard error are each kept up to this many KiB; the rest is read and dropped.
    public var outputKB: Int = 64
    /// The size of the private tmpfs work directory, in MiB.
    public var diskMB: Int = 64

    public init() {}

    static let settingKeys = ["timeout_seconds", "memory_mb", "processes", "file_size_mb", "open_files", "output_kb", "disk_mb"]
}
