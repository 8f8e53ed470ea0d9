import AssayConfig
import AssayCore
import AssayTestSupport
import Foundation
import Testing

@Suite struct CatalogFileTests {
    static func shipped() throws -> Catalog {
        try CatalogFile.load(PackagePaths.root + "/catalog/models.yaml")
    }

    /// The price sheet of DESIGN.md: output $ per million tokens.
    static let priceSheet: [(id: String, output: Double, capabilities: Set<Capability>)] = [
        ("deepseek-v4-flash", 0.25, [.text]), ("deepseek-v3.2", 0.38, [.text]), ("deepseek-v4-pro", 0.78, [.text]),
        ("deepseek-r1", 2.50, [.text]), ("deepseek-coder", 0.25, [.text]),
        ("Qwen/Qwen3-8B", 0.01, [.text]), ("Qwen/Qwen3-32B", 0.28, [.text]), ("Qwen/Qwen3-Coder-30B", 0.35, [.text]),
        ("Qwen/Qwen3-VL-32B", 0.52, [.text, .vision]), ("Qwen/Qwen3-Omni-30B", 0.52, [.text, .vision, .audio]),
        ("Qwen/Qwen3.5-397B", 2.34, [.text]), ("Qwen/Qwen3.6-35B", 1.00, [.text]),
        ("moonshot-k2.5", 3.00, [.text]), ("moonshot-k2.5-thinking", 3.50, [.text]),
        ("GLM-4-9B", 0.01, [.text]), ("GLM-4-9B-Chat", 0.01, [.text]), ("GLM-4.6V", 0.15, [.text, .vision]),
        ("GLM-5", 1.92, [.text]),
    ]

    /// The six models for which LiteLLM's price map has an entry quoting the sheet's own
    /// output price with an input price beside it (litellm 1.110.2).
    static let quotedInputs: [String: (input: Double, cached: Double?, entry: String)] = [
        "deepseek-v4-flash": (0.15, 0.08, "aiand/deepseek-ai/deepseek-v4-flash"),
        "deepseek-v3.2": (0.26, 0.13, "deepinfra/deepseek-ai/DeepSeek-V3.2"),
        "deepseek-r1": (0.70, 0.35, "novita/deepseek/deepseek-r1-0528"),
        "Qwen/Qwen3-32B": (0.08, nil, "deepinfra/Qwen/Qwen3-32B"),
        "moonshot-k2.5": (0.60, 0.10, "moonshot/kimi-k2.5"),
        "GLM-5": (0.60, 0.12, "gmi/zai-org/GLM-5-FP8"),
    ]

    @Test func theShippedCatalogHoldsThePriceSheet() throws {
        let catalog = try Self.shipped()
        for entry in Self.priceSheet {
            let model = try #require(catalog.model(named: entry.id), "missing \(entry.id)")
            #expect(model.price.outputPerMillion == entry.output, "\(entry.id)")
            if let quoted = Self.quotedInputs[entry.id] {
                #expect(model.price.inputPerMillion == quoted.input, "\(entry.id)")
                #expect(model.price.cachedInputPerMillion == quoted.cached, "\(entry.id)")
                #expect(
                    model.price.source.contains("LiteLLM") && model.price.source.contains(quoted.entry),
                    "\(entry.id): \(model.price.source)")
            } else if entry.id == "moonshot-k2.5-thinking" {
                // The same API model as moonshot-k2.5: the same prompt, read at the same price.
                #expect(model.price.inputPerMillion == 0.60 && model.price.cachedInputPerMillion == 0.10, "\(entry.id)")
                #expect(model.price.source.contains("moonshot-k2.5's, the same API model"), "\(model.price.source)")
            } else {
                #expect(model.price.inputPerMillion == nil, "\(entry.id): no source quotes an input price")
            }
            // Every family's API documents JSON mode; none is assumed to hold output to a schema.
            #expect(model.capabilities == entry.capabilities.union([.jsonObject]), "\(entry.id)")
            #expect(model.contextWindow == 128_000)
            #expect(model.price.currency == "USD")
            #expect(!model.price.date.isEmpty && !model.price.source.isEmpty)
            #expect(model.endpoint == "unified")
        }
        let families = Set(catalog.models.map(\.family))
        #expect(families.isSuperset(of: ["DeepSeek", "Qwen", "Kimi", "GLM"]))
        #expect(catalog.endpoint(named: "unified")?.baseURLs == ["https://global-apis.com/v1"])
        let local = try #require(catalog.endpoint(named: "local"))
        #expect(local.apiKeyEnv == nil)
        #expect(catalog.model(named: "gemma3-270m")?.endpoint == "local")
        #expect(catalog.endpoint(named: "tesseract")?.kind == .tesseract)
        #expect(catalog.model(named: "tesseract-ocr")?.capabilities == [.vision, .jsonSchema])
        #expect(catalog.model(named: "gemma3-270m")?.capabilities == [.text, .jsonObject, .jsonSchema])
        for endpoint in catalog.endpoints where endpoint.name != "local" && endpoint.kind == .openAI {
            #expect(endpoint.apiKeyEnv?.hasSuffix("_KEY") == true, "\(endpoint.name) names its key variable")
        }
    }

    @Test func aliasesResolveCaseInsensitively() throws {
        let catalog = try Self.shipped()
        #expect(try catalog.resolve("v4-flash").id == "deepseek-v4-flash")
        #expect(try catalog.resolve("QWEN3-32B").id == "Qwen/Qwen3-32B")
        #expect(try catalog.resolve("qwen/qwen3-32b").id == "Qwen/Qwen3-32B")
        #expect(try catalog.resolve("k2.5").id == "moonshot-k2.5")
    }

    @Test func anUnknownModelNamesTheClosestIDs() throws {
        let catalog = try Self.shipped()
        let error = #expect(throws: InputError.self) { try catalog.resolve("deepseek-v4-flsh") }
        let message = try #require(error?.description)
        #expect(message.contains("unknown model 'deepseek-v4-flsh'"))
        #expect(message.contains("did you mean 'deepseek-v4-flash'"))
        #expect(catalog.closestIDs(to: "qwen3-23b").first == "Qwen/Qwen3-32B")
        #expect(catalog.closestIDs(to: "glm5").first == "GLM-5")
    }

    @Test func catalogProblemsAreReportedWithLines() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let path = try dir.write(
            "models.yaml",
            """
            prices: {date: "2026-11-23", source: test}
            endpoints:
              - name: a
                base_url: ftp://x
                api_key_env: sk-live-1234567890
            models:
              - {id: m1, family: F, endpoint: a, price: {input: null, output: 1}}
              - {id: m2, family: F, endpoint: nowhere, aliases: [M1], price: {input: null, output: -1}}
              - {id: m3, family: F, endpoint: a, capabilities: [smell], price: {output: 1}}
            """)
        let error = #expect(throws: InputError.self) { try CatalogFile.load(path) }
        #expect(error?.diagnostics.first?.line == 9, "capabilities fail to decode first")

        try dir.write(
            "models.yaml",
            """
            prices: {date: "2026-11-23", source: test}
            endpoints:
              - name: a
                base_url: ftp://x
                api_key_env: sk-live-1234567890
            models:
              - {id: m1, family: F, endpoint: a, price: {input: null, output: 1}}
              - {id: m2, family: F, endpoint: nowhere, aliases: [M1], pricing: 3, price: {input: null, output: -1}}
            """)
        let problems = #expect(throws: InputError.self) { try CatalogFile.load(path) }
        let text = try #require(problems?.description)
        #expect(text.contains("models.yaml:3: endpoint 'a': base URL 'ftp://x' must start with http:// or https://"))
        #expect(text.contains("models.yaml:5: endpoint 'a': api_key_env must name an environment variable"))
        #expect(!text.contains("sk-live-1234567890"), "a key pasted into the catalog is never echoed")
        #expect(text.contains("models.yaml:8: unknown key 'pricing' in a model"))
        #expect(text.contains("models.yaml:8: model 'm2' names endpoint 'nowhere'"))
        #expect(text.contains("models.yaml:8: 'M1' of model 'm2' is already used by model 'm1'"))
        #expect(text.contains("model 'm2': a price must be a number, not negative"))
    }
}

/// The catalog that travels inside the binary.
@Suite struct BuiltInCatalogTests {
    @Test func theBuiltInCatalogIsTheShippedFile() throws {
        let file = try String(contentsOfFile: PackagePaths.root + "/catalog/models.yaml", encoding: .utf8)
        #expect(BuiltInCatalog.yaml == file, "the EmbedFiles plugin builds catalog/models.yaml in: rebuild")
        let parsed = try CatalogFile.read(YAMLFile.parse(BuiltInCatalog.yaml, path: BuiltInCatalog.name))
        #expect(parsed.models.map(\.id) == (try CatalogFileTests.shipped()).models.map(\.id))
    }

    @Test func theDefaultPathFallsBackToItOnlyWhereNoFileIsThere() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        #expect(
            CatalogFile.source(for: CatalogFile.defaultPath, in: PackagePaths.root) == .file(CatalogFile.defaultPath))
        #expect(CatalogFile.source(for: CatalogFile.defaultPath, in: dir.path) == .builtIn)
        // A path the user names is never replaced.
        #expect(CatalogFile.source(for: "mine.yaml", in: dir.path) == .file("mine.yaml"))
        #expect(throws: InputError.self) { try CatalogFile.load(dir.path("mine.yaml")) }
    }
}
