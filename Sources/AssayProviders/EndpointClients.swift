import AssayCore
import Foundation
import AsyncHTTPClient
import NIOCore

/// The providers for a run's endpoints, over one HTTP client that the run shuts down.
///
/// Creating it checks the API keys first: when an endpoint names a variable that is not
/// set, nothing is sent and the error says which variable to set.
public final class EndpointClients: Sendable {
    /// Makes the clients for `endpoints`, finding Tesseract first when one of them needs it.
    public static func make(
        endpoints: [(endpoint: Endpoint, models: [String])], environment: [String: String], connectionsPerHost: Int,
        timeouts: RequestTimeouts = RequestTimeouts(), eventLoopGroup: any EventLoopGroup = HTTPClient.defaultEventLoopGroup
    ) async throws(InputError) -> EndpointClients {
        let tesseract = endpoints.contains { $0.endpoint.kind == .tesseract } ? try await TesseractProvider.make() : nil
        return try EndpointClients(
            endpoints: endpoints, environment: environment, connectionsPerHost: connectionsPerHost, timeouts: timeouts, tesseract: tesseract,
            eventLoopGroup: eventLoopGroup)
    }

    public let client: HTTPClient
    /// Providers by endpoint name.
    public let providers: [String: any ChatProvider]

    /// - Parameters:
    ///   - endpoints: the endpoints the run uses, each with the models that use it (for messages).
    ///   - environment: where keys are read from (the process environment in the CLI).
    ///   - connectionsPerHost: the most connections to keep open to one host.
    ///   - eventLoopGroup: where responses are read and parsed (a test that streams megabytes
    ///     gives it threads of its own, so that other tests' timeouts do not wait behind it).
    public init(
        endpoints: [(endpoint: Endpoint, models: [String])], environment: [String: String], connectionsPerHost: Int,
        timeouts: RequestTimeouts = RequestTimeouts(), tesseract: TesseractProvider? = nil,
        eventLoopGroup: any EventLoopGroup = HTTPClient.defaultEventLoopGroup
    ) throws(InputError) {
        var keys: [String: String] = [:]
        var missing: [String] = []
        for (endpoint, models) in endpoints {
            guard let variable = endpoint.apiKeyEnv else { continue }
            if let key = environment[variable], !key.trimmingCharacters(in: .whitespaces).isEmpty {
                keys[endpoint.name] = key.trimmingCharacters(in: .whitespacesAndNewlines)
            } else {
                missing.append(
                    "set \(variable) to the API key of endpoint '\(endpoint.name)' (used by \(models.joined(separator: ", ")))")
            }
        }
        if !missing.isEmpty {
            throw InputError(missing.map { Diagnostic(file: "environment", $0) })
        }
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(
            connect: .milliseconds(Int64(timeouts.connect * 1000)), read: .milliseconds(Int64(timeouts.idle * 1000)))
        configuration.connectionPool = .init(
            idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, connectionsPerHost))
        // A refused connection fails at once; retrying is the runner's decision, not the pool's.
        configuration.connectionPool.retryConnectionEstablishment = false
        let client = HTTPClient(eventLoopGroup: eventLoopGroup, configuration: configuration)
        self.client = client
        var providers: [String: any ChatProvider] = [:]
        for (endpoint, _) in endpoints {
            switch endpoint.kind {
            case .openAI:
                providers[endpoint.name] = OpenAICompatibleProvider(
                    endpoint: endpoint, apiKey: keys[endpoint.name], client: client, timeouts: timeouts)
            case .tesseract:
                providers[endpoint.name] = tesseract
            }
        }
        self.providers = providers
    }

    public func shutdown() async {
        try? await client.shutdown()
    }
}
