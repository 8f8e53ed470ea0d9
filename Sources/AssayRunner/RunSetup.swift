import AssayConfig
import AssayCore
import AssayEvalSets
import AssayGraders

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
    /// The fallback model of each primary model that has one.
    public var fallbackModels: [String: ModelSpec] = [:]

    /// Loads and checks everything the plan names. `catalog` replaces the plan's catalog file
    /// (a resumed run keeps the catalog, and the prices, it started with).
    public static func prepare(_ plan: Plan, catalog given: Catalog? = nil) async throws(InputError) -> RunSetup {
        var problems = plan.problems()
        var catalog: Catalog
        if let given {
            catalog = given
        } else {
            catalog = try CatalogFile.load(plan.catalog)
        }
        for (name, url) in plan.baseURLs.sorted(by: { $0.key < $1.key }) {
            guard let index = catalog.endpoints.firstIndex(where: { $0.name == name }) else {
                problems.append(
                    Diagnostic(
                        file: plan.file ?? "--base-url",
                        "no endpoint '\(name)' in \(plan.catalog) (endpoints: \(catalog.endpoints.map(\.name).joined(separator: ", ")))"))
                continue
            }
            catalog.endpoints[index].baseURLs = [url.hasSuffix("/") ? String(url.dropLast()) : url]
        }
        var models: [ModelSpec] = []
        for name in plan.models {
            do {
                let model = try catalog.resolve(name)
                if !models.contains(where: { $0.id == model.id }) { models.append(model) }
            } catch {
                problems += error.diagnostics.map { Diagnostic(file: plan.file ?? "--model", line: $0.line, $0.message) }
            }
        }
        var fallbackModels: [String: ModelSpec] = [:]
        for (primary, rule) in plan.settings.fallbacks.sorted(by: { $0.key < $1.key }) {
            let where_ = plan.file ?? "fallbacks"
            guard let primaryModel = catalog.model(named: primary), models.contains(where: { $0.id == primaryModel.id }) else {
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
                problems += error.diagnostics.map { Diagnostic(file: where_, "fallback of '\(primary)': \($0.message)") }
            }
        }
        var suites: [Suite] = []
        for path in plan.suites {
            do {
                let suite = try SuiteLoader.load(path)
                if let other = suites.first(where: { $0.id == suite.id }) {
                    problems.append(Diagnostic(file: path, "suite id '\(suite.id)' is also the id of \(other.directory)"))
                    continue
                }
                suites.append(suite)
            } catch {
                problems += error.diagnostics
            }
        }
        var context = GraderContext()
        if suites.contains(where: { $0.grader.name.runsCode }) {
            do {
                context.sandbox = try await Sandbox.bubblewrap()
            } catch {
                if plan.unsafeNoSandbox {
                    context.sandbox = Sandbox.unsandboxed()
                } else {
                    problems.append(
                        Diagnostic(
                            file: "sandbox",
                            "refusing to run model-written code: \(error.reason). Install bubblewrap, or pass --unsafe-no-sandbox to run it unsandboxed (every report of the run will say so)"))
                }
            }
        }
        var graders: [String: any Grader] = [:]
        var images: [String: [String: String]] = [:]
        var audio: [String: [String: CaseAudio.Clip]] = [:]
        for suite in suites {
            do {
                graders[suite.id] = try Graders.make(for: suite, context: context)
                // Images are read only when some model will be sent them.
                if (models + fallbackModels.values).contains(where: { suite.requires.isSubset(of: $0.capabilities) }) {
                    images[suite.id] = try CaseImages.load(suite)
                    audio[suite.id] = try CaseAudio.load(suite)
                }
            } catch {
                problems += error.diagnostics
            }
        }
        if !problems.isEmpty { throw InputError(problems) }
        return RunSetup(
            plan: plan, catalog: catalog, models: models, suites: suites, graders: graders, sandbox: context.sandbox,
            images: images, audio: audio, fallbackModels: fallbackModels)
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

    /// Every work item, epochs outermost, then suites, cases and models, so that models
    /// progress at the same pace and an interrupted run has a fair sample of each. A lazy
    /// sequence: a run of a million items never holds them all.
    /// The run's work items. Under an open-loop load of more requests than one pass over the
    /// plan has, the plan is sent again as further epochs, up to the load's count.
    public var workItems: WorkItems {
        let pass = WorkItems(suites: suites.map(\.cases.count), models: models, epochs: max(1, plan.epochs))
        guard let load = plan.settings.load, pass.count > 0 else { return pass }
        let total = load.total(itemsPerPass: pass.count)
        let passes = (total + pass.count - 1) / pass.count
        return WorkItems(suites: pass.suites, models: models, epochs: pass.epochs * max(1, passes), limit: total)
    }
}

/// The work items of a run, generated in order as they are needed.
public struct WorkItems: Sequence, Sendable {
    let suites: [Int]
    let models: [ModelSpec]
    public let epochs: Int
    /// Stop after this many (an open-loop load's count); nil for all.
    let limit: Int?

    init(suites: [Int], models: [ModelSpec], epochs: Int, limit: Int? = nil) {
        self.suites = suites
        self.models = models
        self.epochs = epochs
        self.limit = limit
    }

    public var count: Int {
        let all = epochs * models.count * suites.reduce(0, +)
        return limit.map { Swift.min($0, all) } ?? all
    }

    public struct Iterator: IteratorProtocol {
        let items: WorkItems
        var epoch = 1, suite = 0, caseIndex = 0, model = 0, given = 0

        public mutating func next() -> WorkItem? {
            guard !items.models.isEmpty, given < items.limit ?? .max else { return nil }
            while epoch <= items.epochs {
                if suite >= items.suites.count {
                    epoch += 1
                    suite = 0
                    continue
                }
                if caseIndex >= items.suites[suite] {
                    suite += 1
                    caseIndex = 0
                    continue
                }
                let item = WorkItem(suiteIndex: suite, caseIndex: caseIndex, model: items.models[model], epoch: epoch)
                given += 1
                model += 1
                if model == items.models.count {
                    model = 0
                    caseIndex += 1
                }
                return item
            }
            return nil
        }
    }

    public func makeIterator() -> Iterator { Iterator(items: self) }
}

/// One case of one suite for one model in one epoch.
public struct WorkItem: Sendable {
    public var suiteIndex: Int
    public var caseIndex: Int
    public var model: ModelSpec
    public var epoch: Int
}
