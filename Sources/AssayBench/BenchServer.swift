import AssayTestServer
import Foundation
import SystemPackage

/// The test server for a benchmark that must not share its process with the server: `assay
/// serve-test` (the `assay` built beside this binary) in a process of its own, on a port the
/// system picks; in this process when there is no `assay` beside it.
final class BenchServer: Sendable {
    let baseURL: String
    /// "its own process", or "in process (why)": printed with the figures.
    let where_: String
    private let process: Process?
    private let inProcess: TestServer?

    private init(baseURL: String, where_: String, process: Process?, inProcess: TestServer?) {
        self.baseURL = baseURL
        self.where_ = where_
        self.process = process
        self.inProcess = inProcess
    }

    static func start(script: TestScript) async throws -> BenchServer {
        let me = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        let assay = FilePath(me).removingLastComponent().appending("assay").string
        guard FileManager.default.isExecutableFile(atPath: assay) else {
            let server = try await TestServer.start(script: script, keepRequests: false)
            return BenchServer(
                baseURL: server.baseURL, where_: "in process: no assay beside this binary", process: nil,
                inProcess: server)
        }
        let scriptPath = FilePath(NSTemporaryDirectory()).appending(
            "assay-bench-script-\(UUID().uuidString.prefix(8)).json"
        ).string
        try JSONEncoder().encode(script).write(to: URL(fileURLWithPath: scriptPath))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: assay)
        process.arguments = ["serve-test", "--port", "0", "--script", scriptPath]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { try? FileManager.default.removeItem(atPath: scriptPath) }
        // The first line names the URL: "serving http://127.0.0.1:PORT/v1 (...)".
        var seen = Data()
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, process.isRunning {
            seen.append(output.fileHandleForReading.availableData)
            let text = String(decoding: seen, as: UTF8.self)
            if let start = text.range(of: "serving http://") {
                let url = text[start.lowerBound...].dropFirst("serving ".count).prefix { !$0.isWhitespace }
                return BenchServer(baseURL: String(url), where_: "its own process", process: process, inProcess: nil)
            }
        }
        process.terminate()
        throw BenchServerError(description: "assay serve-test did not start: \(String(decoding: seen, as: UTF8.self))")
    }

    func stop() async {
        if let process {
            process.terminate()
            process.waitUntilExit()
        }
        await inProcess?.shutdown()
    }
}

struct BenchServerError: Error, CustomStringConvertible {
    var description: String
}
