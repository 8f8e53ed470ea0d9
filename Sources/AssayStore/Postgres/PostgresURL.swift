import AssayCore
import Foundation
import PostgresNIO

/// A `postgres://user:password@host:port/database?sslmode=…` URL, read into postgres-nio's
/// configuration. The password never leaves this value: `redacted` is what errors and
/// reports name. `?host=/run/postgresql` (a directory) connects over that Unix socket.
struct PostgresURL {
    var configuration: PostgresClient.Configuration
    /// The URL without its password.
    var redacted: String

    init(_ text: String) throws(InputError) {
        guard let url = URLComponents(string: text), let scheme = url.scheme, ["postgres", "postgresql"].contains(scheme) else {
            throw InputError("--store: '\(Self.withoutPassword(text))' is not a postgres:// URL (postgres://user:password@host:5432/database)")
        }
        let user = url.user.flatMap { $0.removingPercentEncoding } ?? "postgres"
        let password = url.password.flatMap { $0.removingPercentEncoding }
        let database = String(url.path.drop { $0 == "/" })
        let query = Dictionary((url.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
        let port = url.port ?? 5432
        let host = url.host.flatMap { $0.removingPercentEncoding } ?? ""
        if let socketDirectory = query["host"], socketDirectory.hasPrefix("/") {
            configuration = PostgresClient.Configuration(
                unixSocketPath: socketDirectory + "/.s.PGSQL.\(port)", username: user, password: password, database: database.isEmpty ? nil : database)
        } else {
            guard !host.isEmpty else { throw InputError("--store: \(Self.withoutPassword(text)) names no host") }
            let tls: PostgresClient.Configuration.TLS
            switch query["sslmode"] ?? (["127.0.0.1", "localhost", "::1"].contains(host) ? "disable" : "prefer") {
            case "disable": tls = .disable
            case "prefer", "allow": tls = .prefer(.makeClientConfiguration())
            case "require", "verify-ca", "verify-full": tls = .require(.makeClientConfiguration())
            case let other: throw InputError("--store: sslmode '\(other)' is not one of disable, prefer, require")
            }
            configuration = PostgresClient.Configuration(
                host: host, port: port, username: user, password: password, database: database.isEmpty ? nil : database, tls: tls)
        }
        redacted = Self.withoutPassword(text)
    }

    /// The URL with any password replaced by `***`.
    static func withoutPassword(_ text: String) -> String {
        guard var url = URLComponents(string: text) else { return "postgres://…" }
        if url.password != nil { url.password = "***" }
        return url.string ?? "postgres://…"
    }
}
