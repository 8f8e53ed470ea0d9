import AssayCore
import AssayRunner
import Synchronization

/// What went wrong with each endpoint over a run, told in a line each at its end, so that a
/// server that is not running, or died during the run, is named as such rather than hidden in
/// "N requests failed"; and a key the endpoint kept rejecting is named with its variable.
final class EndpointTrouble: Sendable {
    private struct Tally {
        var asked = 0
        var connectionFailures = 0
        /// Connection failures since the last request that got through.
        var trailingConnectionFailures = 0
        var lastConnectionMessage = ""
        var notSent = 0
        var refusal: String?
    }

    private let endpointOfModel: [String: Endpoint]
    private let order: [String]
    private let tallies = Mutex<[String: Tally]>([:])

    init(setup: RunSetup) {
        var endpointOfModel: [String: Endpoint] = [:]
        for (endpoint, models) in setup.endpoints {
            for model in models { endpointOfModel[model] = endpoint }
        }
        self.endpointOfModel = endpointOfModel
        self.order = setup.endpoints.map(\.endpoint.name)
    }

    func record(_ event: RunEvent) {
        guard case .finished(let result) = event, result.status == .graded || result.status == .error,
            let endpoint = endpointOfModel[result.model]
        else { return }
        tallies.withLock { tallies in
            var tally = tallies[endpoint.name] ?? Tally()
            tally.asked += 1
            if result.errorKind == .connection {
                tally.connectionFailures += 1
                tally.trailingConnectionFailures += 1
                tally.lastConnectionMessage = result.errorMessage ?? ""
            } else if result.errorKind == .configuration, let message = result.errorMessage,
                message.hasPrefix("not sent: endpoint")
            {
                tally.notSent += 1
                tally.refusal = message
            } else if result.status == .graded {
                tally.trailingConnectionFailures = 0
            }
            tallies[endpoint.name] = tally
        }
    }

    /// One line per endpoint in trouble; none when all went well.
    func lines() -> [String] {
        let tallies = tallies.withLock { $0 }
        var lines: [String] = []
        for name in order {
            guard let tally = tallies[name], let endpoint = endpointOfModel.values.first(where: { $0.name == name })
            else { continue }
            let failed = tally.trailingConnectionFailures
            if failed > 0 && failed >= min(3, tally.asked) {
                let what =
                    tally.lastConnectionMessage.lowercased().contains("refused")
                    ? "connection refused" : "no connection"
                let place = "endpoint \(name) (\(endpoint.baseURLs.joined(separator: ", ")))"
                var line =
                    failed == tally.asked
                    ? "\(place): \(what) on all \(failed) request\(failed == 1 ? "" : "s"): is the server running?"
                    : "\(place): \(what) on the last \(failed) of \(tally.asked) requests: the server stopped answering during the run"
                if name == "local" {
                    line +=
                        " (`scripts/local-model status` checks the local model; `scripts/local-model start` starts it)"
                }
                lines.append(line)
            }
            if let refusal = tally.refusal {
                lines.append("endpoint \(name): \(tally.notSent) item\(tally.notSent == 1 ? "" : "s") \(refusal)")
            }
        }
        return lines
    }
}
