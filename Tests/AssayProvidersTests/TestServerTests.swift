import AssayTestServer
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// `TestServer.withTestServer`: the server is stopped when the body ends, however it ends,
/// and a failure to stop it is thrown, not hidden.
@Suite struct TestServerTests {
    struct BodyFailed: Error {}

    /// Whether something accepts a TCP connection on the loopback `port` (a stopped server
    /// refuses it at once).
    static func accepts(port: Int) -> Bool {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return false }
        defer { Glibc.close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return connected == 0
    }

    @Test func theServerAndItsConnectionsAreStoppedWhenTheBodyReturns() async throws {
        let (port, url) = try await TestServer.withTestServer(script: TestScript()) { server in
            let response = try await HTTPClient.shared.execute(
                HTTPClientRequest(url: server.baseURL + "/models"), timeout: .seconds(30))
            #expect(response.status == .ok)
            #expect(Self.accepts(port: server.port))
            return (server.port, server.baseURL)
        }
        #expect(!Self.accepts(port: port), "the server still listens")
        // The request above left its connection open in the client's pool: it is closed too.
        await #expect(throws: (any Error).self, "a connection made before still answers") {
            try await HTTPClient.shared.execute(HTTPClientRequest(url: url + "/models"), timeout: .seconds(2))
        }
    }

    @Test func theServerIsStoppedWhenTheBodyThrowsAndTheBodysErrorIsThrown() async throws {
        var port: Int?
        do {
            try await TestServer.withTestServer(script: TestScript()) { server in
                port = server.port
                throw BodyFailed()
            }
            Issue.record("the body's error was not thrown")
        } catch is BodyFailed {
        }
        #expect(!Self.accepts(port: try #require(port)), "the server still listens")
    }

    @Test func aFailureToStopTheServerIsThrown() async throws {
        await #expect(throws: ChannelError.alreadyClosed) {
            try await TestServer.withTestServer(script: TestScript()) { server in
                try await server.close()  // stopped already: stopping it again at the end fails
            }
        }
    }
}
