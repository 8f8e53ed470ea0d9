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

    public static func prepare(_ plan: Plan) async throws(InputError) -> RunSetup {
        var problems = plan.problems()
        var catalog = try CatalogFile.load(plan.catalog)
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
        for suite in suites {
            do {
                graders[suite.id] = try Graders.make(for: suite, context: context)
                // Images are read only when some model will be sent them.
                if models.contains(where: { suite.requires.isSubset(of: $0.capabilities) }) {
                    images[suite.id] = try CaseImages.load(suite)
                }
            } catch {
                problems += error.diagnostics
            }
        }
        if !problems.isEmpty { throw InputError(problems) }
        return RunSetup(
            plan: plan, catalog: catalog, models: models, suites: suites, graders: graders, sandbox: context.sandbox,
            images: images)
    }

    /// The endpoints the models use, each with the ids of its models.
    public var endpoints: [(endpoint: Endpoint, models: [String])] {
        var result: [(endpoint: Endpoint, models: [String])] = []
        for model in models {
            guard let endpoint = catalog.endpoint(named: model.endpoint) else { continue }
            if let index = result.firstIndex(where: { $0.endpoint.name == endpoint.name }) {
                result[index].models.append(model.id)
            } else {
                result.append((endpoint, [model.id]))
            }
        }
        return result
    }

    /// Every work item, epochs outermost, then suites, cases and models, so that models
    /// progress at the same pace and an interrupted run has a fair sample of each.
    public var workItems: [WorkItem] {
        var items: [WorkItem] = []
        items.reserveCapacity(plan.epochs * models.count * suites.reduce(0) { $0 + $1.cases.count })
        for epoch in 1...max(1, plan.epochs) {
            for (suiteIndex, suite) in suites.enumerated() {
                for caseIndex in suite.cases.indices {
                    for model in models {
                        items.append(WorkItem(suiteIndex: suiteIndex, caseIndex: caseIndex, model: model, epoch: epoch))
                    }
                }
            }
        }
        return items
    }
}

/// One case of one suite for one model in one epoch.
public struct WorkItem: Sendable {
    public var suiteIndex: Int
    public var caseIndex: Int
    public var model: ModelSpec
    public var epoch: Int
}
