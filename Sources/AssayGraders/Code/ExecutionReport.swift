/// What happened when a program ran: how it ended, what it printed, how long it took.
public struct ExecutionReport: Sendable, Hashable {
    public enum Termination: Sendable, Hashable {
        case exited(Int32)
        case signaled(Int32)
    }

    public var termination: Termination
    /// True when Assay killed it for running past the wall-clock limit.
    public var timedOut: Bool
    public var stdout: String
    public var stderr: String
    /// True when output past the cap was dropped.
    public var outputTruncated: Bool
    public var wallMilliseconds: Double
    /// True when the kernel's out-of-memory killer acted in the program's control group.
    public var outOfMemory: Bool

    public init(
        termination: Termination, timedOut: Bool, stdout: String, stderr: String, outputTruncated: Bool,
        wallMilliseconds: Double,
        outOfMemory: Bool
    ) {
        self.termination = termination
        self.timedOut = timedOut
        self.stdout = stdout
        self.stderr = stderr
        self.outputTruncated = outputTruncated
        self.wallMilliseconds = wallMilliseconds
        self.outOfMemory = outOfMemory
    }
}
