import AssayCore
import AssayTestServer
import AssayTestSupport
import Foundation
import Testing

/// What a new user meets first, from a directory that is not the repository: the catalog
/// travels with the binary, and a server that is not there is named as such.
@Suite struct FreshMachineTests {
    @Test func modelsAndCatalogInitWorkOutsideTheRepository() async throws {
        let dir = try TempDirectory("assay-outside")
        defer { dir.remove() }
        let which = try await runAssay(["models", "--catalog-path"], in: dir.path)
        #expect(which.status == 0, "\(which)")
        #expect(which.stdout.contains("(built-in catalog)"), "\(which.stdout)")
        let models = try await runAssay(["models"], in: dir.path)
        #expect(models.status == 0, "\(models)")
        #expect(models.stdout.contains("gemma3-270m") && models.stdout.contains("deepseek-v4-flash"))

        let written = try await runAssay(["catalog", "init"], in: dir.path)
        #expect(written.status == 0, "\(written)")
        #expect(
            try dir.read("catalog/models.yaml")
                == (try String(contentsOfFile: PackagePaths.root + "/catalog/models.yaml", encoding: .utf8)))
        let now = try await runAssay(["models", "--catalog-path"], in: dir.path)
        #expect(
            now.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "catalog/models.yaml",
            "the copy is used once written")
        let again = try await runAssay(["catalog", "init"], in: dir.path)
        #expect(again.status == 2 && again.stderr.contains("exists; --force replaces it"), "\(again)")
    }

    @Test func aSuiteRunsAgainstTheBuiltInCatalogOutsideTheRepository() async throws {
        let dir = try TempDirectory("assay-outside")
        defer { dir.remove() }
        let (run, requests) = try await TestServer.withTestServer(
            script: TestScript(defaultReply: .init(text: "positive"))
        ) { server in
            let run = try await runAssay(
                [
                    "run", "--suite", PackagePaths.root + "/evalsets/smoke-sentiment", "--model", "gemma3-270m",
                    "--base-url", "local=\(server.baseURL)", "--quiet",
                ],
                in: dir.path)
            return (run, server.requestCount)
        }
        #expect(run.status == 0, "\(run)")
        #expect(requests == 8)
        #expect(
            FileManager.default.fileExists(atPath: dir.path(".assay/assay.sqlite")),
            "the store is made where the user is")
        #expect(run.stdout.contains("report: reports/"), "\(run.stdout)")
    }

    @Test func anEndpointThatRefusesEveryConnectionIsNamed() async throws {
        let dir = try TempDirectory("assay-outside")
        defer { dir.remove() }
        let port = try LoopbackPort.closed()
        let run = try await runAssay(
            [
                "run", "--suite", PackagePaths.root + "/evalsets/smoke-sentiment", "--model", "gemma3-270m",
                "--base-url",
                "local=http://127.0.0.1:\(port)/v1", "--quiet",
            ],
            in: dir.path)
        #expect(run.status == 3, "\(run)")
        #expect(
            run.stderr.contains(
                "endpoint local (http://127.0.0.1:\(port)/v1): connection refused on all 8 requests: is the server running?"
            ),
            "\(run.stderr)")
        #expect(run.stderr.contains("scripts/local-model status"))
    }
}

/// A loopback port with nothing listening on it.
enum LoopbackPort {
    static func closed() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw CommandError(description: "socket() failed") }
        defer { Glibc.close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { throw CommandError(description: "bind failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        // Bound, never listening, closed on return: connecting is refused.
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
