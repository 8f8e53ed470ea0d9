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
