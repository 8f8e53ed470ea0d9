import AssayCore
import Foundation
import AsyncHTTPClient
import NIOCore

/// What a run's endpoints need beyond their URLs, checked before anything is made: the API
/// keys (read from the environment by the variables the catalog names) and Tesseract for a
/// Tesseract endpoint. A missing one is an `InputError` naming what to set or install.
public struct EndpointAccess: Sendable {
    public let endpoints: [(endpoint: Endpoint, models: [String])]
    let keys: [String: String]
    let tesseract: TesseractProvider?

    public static func check(endpoints: [(endpoint: Endpoint, models: [String])], environment: [String: String])
        async throws(InputError) -> EndpointAccess
    {
        var keys: [String: String] = [:]
        var missing: [String] = []
        for (endpoint, models) in endpoints {
            guard let variable = endpoint.apiKeyEnv else { continue }
            if let key = environment[variable], !key.trimmingCharacters(in: .whitespaces).isEmpty {
                keys[endpoint.name] = key.trimmingCharacters(in: .whitespacesAndNewlines)
            } else {
                missing.append(
                    "set \(variable) to the API key of endpoint '\(endpoint.name)' (used by \(models.joined(separator: ", ")))"
                )
            }
        }
        if !missing.isEmpty {
            throw InputError(missing.map { Diagnostic(file: "environment", $0) })
        }
        let tesseract = endpoints.contains { $0.endpoint.kind == .tesseract } ? try await TesseractProvider.make() : nil
        return EndpointAccess(endpoints: endpoints, keys: keys, tesseract: tesseract)
    }

    /// The API key an endpoint is called with (nil: none), for what must tell keys apart
    /// without holding them (the fingerprint under which workers share a key's rate limits).
    /// Never stored, logged or printed.
    public func key(of endpoint: String) -> String? { keys[endpoint] }
}

/// The providers for a run's endpoints, over one HTTP client that the run shuts down.
public final class EndpointClients: Sendable {
    /// Checks the endpoints' access, then makes their clients.
    public static func make(
        endpoints: [(endpoint: Endpoint, models: [String])], environment: [String: String], connectionsPerHost: Int,
        timeouts: RequestTimeouts = RequestTimeouts(), eventLoopGroup: (any EventLoopGroup)? = nil
    ) async throws(InputError) -> EndpointClients {
        let access = try await EndpointAccess.check(endpoints: endpoints, environment: environment)
        return EndpointClients(
            access: access, connectionsPerHost: connectionsPerHost, timeouts: timeouts, eventLoopGroup: eventLoopGroup)
    }

    public let client: HTTPClient
    /// Providers by endpoint name.
    public let providers: [String: any ChatProvider]

    /// - Parameters:
    ///   - access: the endpoints the run uses, with their keys (`EndpointAccess.check`).
    ///   - connectionsPerHost: the most connections to keep open to one host.
    ///   - eventLoopGroup: where responses are read and parsed (a test that streams megabytes
    ///     gives it threads of its own, so that other tests' timeouts do not wait behind it).
    public init(
        access: EndpointAccess, connectionsPerHost: Int, timeouts: RequestTimeouts = RequestTimeouts(),
        eventLoopGroup: (any EventLoopGroup)? = nil
    ) {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(
            connect: TimeAmount(.seconds(timeouts.connect)), read: TimeAmount(.seconds(timeouts.idle)))
        configuration.connectionPool = .init(
            idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, connectionsPerHost))
        // A refused connection fails at once; retrying is the runner's decision, not the pool's.
        configuration.connectionPool.retryConnectionEstablishment = false
        let client = HTTPClient(
            eventLoopGroup: eventLoopGroup ?? HTTPClient.defaultEventLoopGroup, configuration: configuration)
        self.client = client
        var providers: [String: any ChatProvider] = [:]
        for (endpoint, _) in access.endpoints {
            switch endpoint.kind {
            case .openAI:
                providers[endpoint.name] = OpenAICompatibleProvider(
                    endpoint: endpoint, apiKey: access.keys[endpoint.name], client: client, timeouts: timeouts)
            case .tesseract:
                providers[endpoint.name] = access.tesseract
            }
        }
        self.providers = providers
    }

    public func shutdown() async {
        try? await client.shutdown()
    }

    /// Makes the clients, runs `body` with them, and shuts them down whether `body` returns or throws.
    public static func with<Result: Sendable>(
        access: EndpointAccess, connectionsPerHost: Int, timeouts: RequestTimeouts = RequestTimeouts(),
        eventLoopGroup: (any EventLoopGroup)? = nil,
        _ body: (EndpointClients) async throws -> Result
    ) async throws -> Result {
        let clients = EndpointClients(
            access: access, connectionsPerHost: connectionsPerHost, timeouts: timeouts, eventLoopGroup: eventLoopGroup)
        do {
            let result = try await body(clients)
            await clients.shutdown()
            return result
        } catch {
            await clients.shutdown()
            throw error
        }
    }
}
