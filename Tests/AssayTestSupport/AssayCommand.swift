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
        throw CommandError(description: "no assay binary at \(binary): run `swift build` (scripts/test does) or set ASSAY_BIN")
    }
    return try await runProcess(binary, arguments, in: directory, environment: environment)
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
    public init(assay arguments: [String]) throws {
        scratch = try TempDirectory("assay-background")
        FileManager.default.createFile(atPath: scratch.path("out"), contents: nil)
        process.executableURL = URL(fileURLWithPath: PackagePaths.assayBinary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: PackagePaths.root)
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

    public func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        scratch.remove()
    }
}

/// A TCP port nothing listens on right now.
public func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    guard bound else { throw CommandError(description: "no free port") }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// Waits until `url` answers (up to `seconds`).
public func waitUntilServing(_ url: String, seconds: Double = 20) async throws {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        let result = try? await runProcess(
            "/usr/bin/python3", ["-c", "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=1)", url], in: "/tmp")
        if result?.status == 0 { return }
        try await Task.sleep(for: .milliseconds(200))
    }
    throw CommandError(description: "nothing answered at \(url) within \(seconds) s")
}
