import Foundation

/// Where the package is, found from this file's own path.
public enum PackagePaths {
    public static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }  // Tests/AssayTestSupport/AssayCommand.swift
        return url.path
    }()

    /// The built `assay` binary: $ASSAY_BIN, else .build/debug/assay.
    public static var assayBinary: String {
        ProcessInfo.processInfo.environment["ASSAY_BIN"] ?? root + "/.build/debug/assay"
    }

    /// The built `assay-bench` binary: the one beside `assayBinary` (both are products of
    /// the same build).
    public static var benchBinary: String {
        URL(fileURLWithPath: assayBinary).deletingLastPathComponent().appendingPathComponent("assay-bench").path
    }
}

/// What a finished command printed and how it exited.
public struct CommandResult: Sendable, CustomStringConvertible {
    public var status: Int32
    public var stdout: String
    public var stderr: String

    public var description: String { "exit \(status)\n--- stdout\n\(stdout)\n--- stderr\n\(stderr)" }
}

public struct CommandError: Error, CustomStringConvertible {
    public var description: String

    public init(description: String) {
        self.description = description
    }
}

/// Runs the built `assay` CLI as a user would, from `directory` (the package root by default).
public func runAssay(
    _ arguments: [String], in directory: String = PackagePaths.root, environment: [String: String] = [:]
) async throws -> CommandResult {
    let binary = PackagePaths.assayBinary
    guard FileManager.default.isExecutableFile(atPath: binary) else {
        throw CommandError(
            description: "no assay binary at \(binary): run `swift build` (scripts/test does) or set ASSAY_BIN")
    }
    return try await runProcess(binary, arguments, in: directory, environment: environment)
}

/// Runs the built `assay-bench` (the benchmarks' program) from the package root.
public func runBench(_ arguments: [String], environment: [String: String] = [:]) async throws -> CommandResult {
    let binary = PackagePaths.benchBinary
    guard FileManager.default.isExecutableFile(atPath: binary) else {
        throw CommandError(
            description:
                "no assay-bench binary at \(binary), beside the assay binary: run `swift build` (scripts/test does)")
    }
    return try await runProcess(binary, arguments, in: PackagePaths.root, environment: environment)
}

/// Runs a program to its end without holding a thread of the concurrency pool;
/// stdout and stderr go through files, so a chatty program never blocks on a full pipe.
public func runProcess(
    _ executable: String, _ arguments: [String], in directory: String, environment: [String: String] = [:]
) async throws -> CommandResult {
    let scratch = try TempDirectory("assay-process")
    defer { scratch.remove() }
    let outPath = scratch.path("stdout"), errPath = scratch.path("stderr")
    FileManager.default.createFile(atPath: outPath, contents: nil)
    FileManager.default.createFile(atPath: errPath, contents: nil)
    let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
    let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    let status: Int32 = try await withCheckedThrowingContinuation { continuation in
        process.terminationHandler = { process in continuation.resume(returning: process.terminationStatus) }
        do {
            try process.run()
        } catch {
            process.terminationHandler = nil
            continuation.resume(throwing: error)
        }
    }
    try out.close()
    try err.close()
    return CommandResult(
        status: status, stdout: try String(contentsOfFile: outPath, encoding: .utf8),
        stderr: try String(contentsOfFile: errPath, encoding: .utf8))
}

/// A command left running while a test works (a server, say), stopped with `stop()`.
public final class BackgroundProcess: @unchecked Sendable {
    private let process = Process()
    private let scratch: TempDirectory

    /// Starts the built `assay` with `arguments`, from the package root.
    public convenience init(assay arguments: [String]) throws {
        try self.init(PackagePaths.assayBinary, arguments)
    }

    /// Starts `executable` with `arguments` from the package root, with `environment` added to
    /// this process's.
    public init(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        scratch = try TempDirectory("assay-background")
        FileManager.default.createFile(atPath: scratch.path("out"), contents: nil)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: PackagePaths.root)
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: scratch.path("out")))
        process.standardError = process.standardOutput
        try process.run()
    }

    /// What it printed so far.
    public var output: String { (try? scratch.read("out")) ?? "" }

    /// Sends `signal` (SIGINT for Ctrl-C, SIGKILL for kill -9).
    public func send(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Waits for it to end (up to `seconds`) and returns its exit status, or nil if it still runs.
    public func waitForExit(seconds: Double = 30) async -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        return process.isRunning ? nil : process.terminationStatus
    }

    /// Whether it is still running.
    public var isRunning: Bool { process.isRunning }

    /// Why it ended (a signal, or an exit), once `waitForExit` has returned its status.
    public var terminationReason: Process.TerminationReason { process.terminationReason }

    public func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        scratch.remove()
    }
}

/// `assay serve-test` on a port the system picks (`--port 0`, read back from its first
/// line), so that tests running side by side never race each other for a free port.
public final class ServeTest: Sendable {
    public let process: BackgroundProcess
    /// `http://127.0.0.1:PORT/v1`.
    public let baseURL: String

    /// Starts it with `arguments` (everything but `--port`) and returns once it serves.
    /// `seconds`: generous, since the whole suite starts at once on two cores (20 s was once
    /// not enough for nine servers starting beside the sandbox and math-bound tests).
    public init(_ arguments: [String], seconds: Double = 60) async throws {
        process = try BackgroundProcess(assay: ["serve-test", "--port", "0"] + arguments)
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let output = process.output
            if let start = output.range(of: "serving http://") {
                let url = output[start.lowerBound...].dropFirst("serving ".count).prefix { !$0.isWhitespace }
                baseURL = String(url)
                return
            }
            if let status = await process.waitForExit(seconds: 0) {
                throw CommandError(description: "assay serve-test exited \(status): \(output)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        process.stop()
        throw CommandError(description: "assay serve-test did not start within \(seconds) s: \(process.output)")
    }

    public func stop() { process.stop() }
}
