import ArgumentParser
import AssayConfig
import AssayCore
import AssayReports
import Foundation

struct ModelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List the catalog's models with their prices, grouped by family.",
        discussion: """
            Prices are per million tokens, each with its own source and date (--json has them). An
            input price of '?' is not quoted, and costs of that model cover output tokens only; a
            cached price of '=' is not quoted, and cached prompt tokens are billed at the input price.

            The catalog is --catalog, else ./catalog/models.yaml, else the one built into Assay
            (`assay catalog init` writes a copy to edit); --catalog-path says which.

            Examples:
              assay models
              assay models --json | jq '.models[] | select(.family == "Qwen")'
              assay models --catalog-path
            """
    )

    @Option(help: "The catalog file (default: catalog/models.yaml, else the built-in catalog).")
    var catalog = CatalogFile.defaultPath

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    @Flag(name: .customLong("catalog-path"), help: "Print which catalog is in use and exit.")
    var catalogPath = false

    func run() async throws {
        try await withExitStatus {
            let catalog = try CatalogFile.load(self.catalog)
            if catalogPath {
                print(CatalogFile.source(for: self.catalog).description)
                return
            }
            print(json ? Self.json(catalog) : Self.table(catalog), terminator: "")
        }
    }

    static func families(_ catalog: Catalog) -> [(family: String, models: [ModelSpec])] {
        var order: [String] = []
        var byFamily: [String: [ModelSpec]] = [:]
        for model in catalog.models {
            if byFamily[model.family] == nil { order.append(model.family) }
            byFamily[model.family, default: []].append(model)
        }
        return order.map { ($0, byFamily[$0] ?? []) }
    }

    static func table(_ catalog: Catalog) -> String {
        var rows = [
            [
                "family", "id", "aliases", "capabilities", "context", "in $/M", "cached $/M", "out $/M", "endpoint",
                "price date",
            ]
        ]
        for (family, models) in families(catalog) {
            for (index, model) in models.enumerated() {
                rows.append([
                    index == 0 ? family : "", model.id, model.aliases.joined(separator: ", "),
                    model.capabilities.sorted().map(\.rawValue).joined(separator: ", "),
                    model.contextWindow > 0 ? "\(model.contextWindow / 1000)K" : "-",
                    model.price.inputPerMillion.map(price) ?? "?",
                    model.price.cachedInputPerMillion.map(price) ?? (model.price.inputPerMillion == nil ? "?" : "="),
                    price(model.price.outputPerMillion), model.endpoint,
                    model.price.date,
                ])
            }
        }
        var out = TextTable.render(rows, rightAligned: [4, 5, 6, 7])
        if catalog.models.contains(where: { $0.price.inputPerMillion == nil }) {
            out += "? input price not quoted: costs of these models cover output tokens only\n"
        }
        if catalog.models.contains(where: {
            $0.price.inputPerMillion != nil && $0.price.cachedInputPerMillion == nil && !$0.price.isFree
        }) {
            out += "= no cached-input price quoted: cached prompt tokens are billed at the input price\n"
        }
        let variants = catalog.models.filter {
            $0.wireID != $0.id || !$0.request.isEmpty || $0.maxTokensFloor != nil || $0.thinkTag == nil
        }
        if !variants.isEmpty {
            var wire = [["id", "sent as", "extra request fields", "max_tokens floor", "think tag"]]
            for model in variants {
                wire.append([
                    model.id, model.wireID, model.request.isEmpty ? "-" : JSONValue.object(model.request).compactJSON,
                    model.maxTokensFloor.map(String.init) ?? "-", model.thinkTag.map { "<\($0)>" } ?? "off",
                ])
            }
            out +=
                "\nHow they are asked (models sent under another id, or with extra fields):\n" + TextTable.render(wire)
        }
        var endpoints = [["endpoint", "base url", "key variable"]]
        for endpoint in catalog.endpoints {
            let location =
                endpoint.kind == .tesseract ? "(tesseract on this machine)" : endpoint.baseURLs.joined(separator: ", ")
            endpoints.append([endpoint.name, location, endpoint.apiKeyEnv ?? "(none)"])
        }
        return out + "\n" + TextTable.render(endpoints)
    }

    static func price(_ value: Double) -> String {
        String(format: "%.2f", value)
    }

    static func json(_ catalog: Catalog) -> String {
        let models: [JSONValue] = catalog.models.map { model in
            [
                "id": .string(model.id), "family": .string(model.family), "endpoint": .string(model.endpoint),
                "aliases": .array(model.aliases.map(JSONValue.string)),
                "capabilities": .array(model.capabilities.sorted().map { .string($0.rawValue) }),
                "context_window": .int(model.contextWindow),
                "api_id": .string(model.wireID),
                "request": .object(model.request),
                "max_tokens_floor": model.maxTokensFloor.map(JSONValue.int) ?? .null,
                "think_tag": model.thinkTag.map(JSONValue.string) ?? .null,
                "price": [
                    "input_per_million": model.price.inputPerMillion.map(JSONValue.double) ?? .null,
                    "cached_input_per_million": model.price.cachedInputPerMillion.map(JSONValue.double) ?? .null,
                    "reasoning_per_million": model.price.reasoningPerMillion.map(JSONValue.double) ?? .null,
                    "output_per_million": .double(model.price.outputPerMillion),
                    "currency": .string(model.price.currency), "date": .string(model.price.date),
                    "source": .string(model.price.source),
                ],
            ]
        }
        let endpoints: [JSONValue] = catalog.endpoints.map { endpoint in
            [
                "name": .string(endpoint.name), "base_urls": .array(endpoint.baseURLs.map(JSONValue.string)),
                "api_key_env": endpoint.apiKeyEnv.map(JSONValue.string) ?? .null,
            ]
        }
        return JSONValue.object(["models": .array(models), "endpoints": .array(endpoints)]).prettyJSON
    }
}
