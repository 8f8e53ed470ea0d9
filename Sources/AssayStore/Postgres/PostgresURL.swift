import AssayCore
import Foundation
import NIOSSL
import PostgresNIO

/// A `postgres://user:password@host:port/database?sslmode=…` URL, read into postgres-nio's
/// configurations. The password never leaves this value: `redacted` is what errors and
/// reports name. `?host=/run/postgresql` (a directory) connects over that Unix socket.
struct PostgresURL {
    enum TLSMode: String {
        case disable, prefer, require
    }

    var host: String
    var port: Int
    /// The directory of the server's Unix socket, instead of `host`.
    var socketDirectory: String?
    var user: String
    var password: String?
    var database: String?
    var tls: TLSMode
    /// The URL without its password.
    var redacted: String

    init(_ text: String) throws(InputError) {
        redacted = Self.withoutPassword(text)
        guard let url = URLComponents(string: text), let scheme = url.scheme,
            ["postgres", "postgresql"].contains(scheme)
        else {
            throw InputError(
                "--store: '\(redacted)' is not a postgres:// URL (postgres://user:password@host:5432/database)")
        }
        user = url.user.flatMap { $0.removingPercentEncoding } ?? "postgres"
        password = url.password.flatMap { $0.removingPercentEncoding }
        let name = String(url.path.drop { $0 == "/" })
        database = name.isEmpty ? nil : name
        let query = Dictionary(
            (url.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
        // The port as written: URLComponents takes 70000 (which a socket address then wraps
        // to 4464) and may drop a port it cannot read, which would connect to 5432.
        let written = Self.portText(text)
        guard let port = written.map({ Int($0) }) ?? 5432, (1...65535).contains(port) else {
            throw InputError("--store: \(redacted): the port '\(written ?? "")' is not a port from 1 to 65535")
        }
        self.port = port
        host = url.host.flatMap { $0.removingPercentEncoding } ?? ""
        socketDirectory = query["host"].flatMap { $0.hasPrefix("/") ? $0 : nil }
        if socketDirectory == nil, host.isEmpty { throw InputError("--store: \(redacted) names no host") }
        let mode = query["sslmode"] ?? (["127.0.0.1", "localhost", "::1"].contains(host) ? "disable" : "prefer")
        switch mode {
        case "disable": tls = .disable
        case "prefer", "allow": tls = .prefer
        case "require", "verify-ca", "verify-full": tls = .require
        default: throw InputError("--store: sslmode '\(mode)' is not one of disable, prefer, require")
        }
    }

    /// The pool's configuration.
    var clientConfiguration: PostgresClient.Configuration {
        if let socketDirectory {
            return PostgresClient.Configuration(
                unixSocketPath: socketPath(socketDirectory), username: user, password: password, database: database)
        }
        let tls: PostgresClient.Configuration.TLS =
            switch self.tls {
            case .disable: .disable
            case .prefer: .prefer(.makeClientConfiguration())
            case .require: .require(.makeClientConfiguration())
            }
        return PostgresClient.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: tls)
    }

    /// One connection's configuration: what `PostgresStore.connect` first tries, so that a
    /// wrong host, password or database is said at once and plainly (the pool would retry for a minute).
    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        if let socketDirectory {
            return PostgresConnection.Configuration(
                unixSocketPath: socketPath(socketDirectory), username: user, password: password, database: database)
        }
        let tls: PostgresConnection.Configuration.TLS =
            switch self.tls {
            case .disable: .disable
            case .prefer: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
            case .require: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
        return PostgresConnection.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: tls)
    }

    private func socketPath(_ directory: String) -> String { directory + "/.s.PGSQL.\(port)" }

    /// The text after the host's `:` in `text`, or nil when no port is written.
    static func portText(_ text: String) -> String? {
        guard let scheme = text.range(of: "://") else { return nil }
        let rest = text[scheme.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let hostAndPort = authority.split(separator: "@", omittingEmptySubsequences: false).last ?? authority
        // An IPv6 host is bracketed: its colons are not a port's.
        let afterHost =
            hostAndPort.lastIndex(of: "]").map { hostAndPort[hostAndPort.index(after: $0)...] } ?? hostAndPort
        guard let colon = afterHost.lastIndex(of: ":") else { return nil }
        let port = afterHost[afterHost.index(after: colon)...]
        return port.isEmpty ? nil : String(port)
    }

    /// The URL with any password replaced by `***`.
    static func withoutPassword(_ text: String) -> String {
        guard var url = URLComponents(string: text) else { return "postgres://…" }
        if url.password != nil { url.password = "***" }
        return url.string ?? "postgres://…"
    }
}
