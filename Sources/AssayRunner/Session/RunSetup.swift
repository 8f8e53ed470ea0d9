import AssayConfig
import AssayCore
import AssayEvalSets
import AssayGraders
import AssayProviders

/// A plan with everything it names loaded and checked: the catalog, the models, the
/// suites and their graders. Preparing it reports every problem at once, before any
/// request is sent.
public struct RunSetup: Sendable {
    public var plan: Plan
    public var catalog: Catalog
    public var models: [ModelSpec]
    public var suites: [Suite]
    /// Graders by suite id.
    public var graders: [String: any Grader]
    /// Where model-written code runs; nil when no suite runs code.
    public var sandbox: Sandbox?
    /// Data URLs of the cases' images, by suite id and path.
    public var images: [String: [String: String]] = [:]
    /// The cases' sound clips, by suite id and path.
    public var audio: [String: [String: CaseAudio.Clip]] = [:]
    /// The files cases keep prompt text in (`CasePromptFiles`), measured, by suite id and path.
    public var promptFiles: [String: [String: PromptFile]] = [:]
    /// Each suite's fingerprint (`SuiteFingerprint`), by suite id: worked out as the suites
    /// load, not when the run starts (JSON of every case: 0.15 s for 20,000 cases).
    public var fingerprints: [String: String] = [:]
    /// Each suite's `response_format` as every request of it writes it, by suite id: written
    /// once, not once a request (`ChatWireFormat.encodedBody`).
    public var responseFormats: [String: String] = [:]
    /// The fallback model of each primary model that has one.
    public var fallbackModels: [String: ModelSpec] = [:]
    /// Under a routing policy, the model each case goes to, by suite and case index (nil
    /// where no rule takes the case); nil when every model is asked every case.
    public var routes: [[String?]]?

    /// Loads and checks everything the plan names. `catalog` replaces the plan's catalog file
    /// (a resumed run keeps the catalog, and the prices, it started with). Every problem is
    /// collected before any is thrown.
    public static func prepare(_ plan: Plan, catalog given: Catalog? = nil) async throws(InputError) -> RunSetup {
        var problems = plan.problems()
        var catalog: Catalog
        if let given { catalog = given } else { catalog = try CatalogFile.load(plan.catalog) }
        overrideBaseURLs(plan, in: &catalog, problems: &problems)
        let models = resolveModels(plan, in: catalog, problems: &problems)
        let fallbackModels = resolveFallbacks(plan, models: models, in: catalog, problems: &problems)
        let suites = loadSuites(plan, problems: &problems)
        let context = await graderContext(plan, suites: suites, problems: &problems)
        var graders: [String: any Grader] = [:]
        var images: [String: [String: String]] = [:]
        var audio: [String: [String: CaseAudio.Clip]] = [:]
        var promptFiles: [String: [String: PromptFile]] = [:]
        for suite in suites {
            do {
                graders[suite.id] = try Graders.make(for: suite, context: context)
                // Images are read only when some model will be sent them.
                if (models + fallbackModels.values).contains(where: { suite.requires.isSubset(of: $0.capabilities) }) {
                    images[suite.id] = try CaseImages.load(suite)
                    audio[suite.id] = try CaseAudio.load(suite)
                    promptFiles[suite.id] = try CasePromptFiles.load(suite)
                }
            } catch {
                problems += error.diagnostics
            }
        }
        if !problems.isEmpty { throw InputError(problems) }
        var setup = RunSetup(
            plan: plan, catalog: catalog, models: models, suites: suites, graders: graders, sandbox: context.sandbox,
            images: images, audio: audio, fallbackModels: fallbackModels)
        setup.promptFiles = promptFiles
        setup.fingerprints = Dictionary(
            suites.compactMap { suite in SuiteFingerprint.of(suite).map { (suite.id, $0) } }
        ) {
            first, _ in first
        }
        for suite in suites {
            if let format = suite.responseFormat {
                setup.responseFormats[suite.id] = ChatWireFormat.encodedResponseFormat(format)
            }
        }
        if let policy = plan.settings.routing { setup.routes = setup.route(policy) }
        return setup
    }

    /// `--base-url NAME=URL`: the named endpoint's base URLs replaced by that one.
    private static func overrideBaseURLs(_ plan: Plan, in catalog: inout Catalog, problems: inout [Diagnostic]) {
        for (name, url) in plan.baseURLs.sorted(by: { $0.key < $1.key }) {
            guard let index = catalog.endpoints.firstIndex(where: { $0.name == name }) else {
                problems.append(
                    Diagnostic(
                        file: plan.file ?? "--base-url",
                        "no endpoint '\(name)' in \(plan.catalog) (endpoints: \(catalog.endpoints.map(\.name).joined(separator: ", ")))"
                    ))
                continue
            }
            catalog.endpoints[index].baseURLs = [url.hasSuffix("/") ? String(url.dropLast()) : url]
        }
    }

    /// The plan's models as the catalog has them, each once (an alias and its id are one).
    private static func resolveModels(_ plan: Plan, in catalog: Catalog, problems: inout [Diagnostic]) -> [ModelSpec] {
        var models: [ModelSpec] = []
        for name in plan.models {
            do {
                let model = try catalog.resolve(name)
                if !models.contains(where: { $0.id == model.id }) { models.append(model) }
            } catch {
                problems += error.diagnostics.map {
                    Diagnostic(file: plan.file ?? "--model", line: $0.line, $0.message)
                }
            }
        }
        return models
    }

    /// The fallback model of each primary that has one: a model of the run, not itself.
    private static func resolveFallbacks(
        _ plan: Plan, models: [ModelSpec], in catalog: Catalog, problems: inout [Diagnostic]
    ) -> [String: ModelSpec] {
        var fallbackModels: [String: ModelSpec] = [:]
        for (primary, rule) in plan.settings.fallbacks.sorted(by: { $0.key < $1.key }) {
            let where_ = plan.file ?? "fallbacks"
            guard let primaryModel = catalog.model(named: primary), models.contains(where: { $0.id == primaryModel.id })
            else {
                problems.append(Diagnostic(file: where_, "fallback for '\(primary)', which is not a model of this run"))
                continue
            }
            do {
                let fallback = try catalog.resolve(rule.model)
                if fallback.id == primaryModel.id {
                    problems.append(Diagnostic(file: where_, "'\(primary)' cannot be its own fallback"))
                } else {
                    fallbackModels[primaryModel.id] = fallback
                }
            } catch {
                problems += error.diagnostics.map {
                    Diagnostic(file: where_, "fallback of '\(primary)': \($0.message)")
                }
            }
        }
        return fallbackModels
    }

    /// The plan's suites; a folder of suites (evalsets/chinese-classification) stands for
    /// every suite below it. Two suites with one id are a problem.
    private static func loadSuites(_ plan: Plan, problems: inout [Diagnostic]) -> [Suite] {
        var suites: [Suite] = []
        for path in plan.suites.flatMap(SuiteLoader.suitePaths(under:)) {
            do {
                let suite = try SuiteLoader.load(path)
                if let other = suites.first(where: { $0.id == suite.id }) {
                    problems.append(
                        Diagnostic(file: path, "suite id '\(suite.id)' is also the id of \(other.directory)"))
                    continue
                }
                suites.append(suite)
            } catch {
                problems += error.diagnostics
            }
        }
        return suites
    }

    /// What the graders need: a sandbox when some suite runs model-written code (bubblewrap,
    /// or none only when the user said `--unsafe-no-sandbox`).
    private static func graderContext(_ plan: Plan, suites: [Suite], problems: inout [Diagnostic]) async
        -> GraderContext
    {
        var context = GraderContext()
        guard suites.contains(where: { $0.grader.name.runsCode }) else { return context }
        do {
            context.sandbox = try await Sandbox.bubblewrap()
        } catch {
            if plan.unsafeNoSandbox {
                context.sandbox = Sandbox.unsandboxed()
            } else {
                problems.append(
                    Diagnostic(
                        file: "sandbox",
                        "refusing to run model-written code: \(error.reason). Install bubblewrap, or pass --unsafe-no-sandbox to run it unsandboxed (every report of the run will say so)"
                    ))
            }
        }
        return context
    }

    /// The model each case goes to under `policy`: the first rule that matches the case (by
    /// suite, kind, tags, the prompt as sent, an image) picks it, as `route simulate` does.
    func route(_ policy: RoutingPolicy) -> [[String?]] {
        suites.map { suite in
            suite.cases.map { testCase in
                // A prompt file's text read in, one case at a time: a rule matches the prompt as sent.
                var whole = testCase
                if CasePromptFiles.reference(of: testCase) != nil,
                    let input = try? CasePromptFiles.filled(testCase, of: suite)
                {
                    whole.input = input
                }
                let prompt =
                    models.first.map {
                        RequestBuilder.request(
                            for: whole, of: suite, model: $0, plan: plan, images: images[suite.id] ?? [:],
                            audio: audio[suite.id] ?? [:]
                        ).routedPrompt
                    } ?? nil
                return policy.rules.first {
                    $0.match.matches(suite: suite.id, kind: suite.kind, tags: testCase.tags, prompt: prompt)
                }?.model
            }
        }
    }

    /// The measured file that holds part of `testCase`'s prompt; nil when none does.
    func file(of testCase: Case, in suite: Suite) -> PromptFile? {
        CasePromptFiles.reference(of: testCase).flatMap { promptFiles[suite.id]?[$0.path] }
    }

    /// The endpoints the models (and their fallbacks) use, each with the ids of its models.
    public var endpoints: [(endpoint: Endpoint, models: [String])] {
        var result: [(endpoint: Endpoint, models: [String])] = []
        let fallbacks = fallbackModels.values.filter { fallback in !models.contains { $0.id == fallback.id } }
        for model in models + fallbacks.sorted(by: { $0.id < $1.id }) {
            guard let endpoint = catalog.endpoint(named: model.endpoint) else { continue }
            if let index = result.firstIndex(where: { $0.endpoint.name == endpoint.name }) {
                if !result[index].models.contains(model.id) { result[index].models.append(model.id) }
            } else {
                result.append((endpoint, [model.id]))
            }
        }
        return result
    }
}

/// One case of one suite for one model in one epoch.
public struct WorkItem: Sendable {
    public var suiteIndex: Int
    public var caseIndex: Int
    public var model: ModelSpec
    public var epoch: Int
}
