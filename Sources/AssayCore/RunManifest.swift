import Foundation

/// What a run was: enough to reproduce it and to read its results without the files it
/// came from (the catalog, with its prices, is a snapshot).
public struct RunManifest: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable {
        case running
        /// Every work item ended graded, unsupported, or with a recorded error.
        case completed
        /// Stopped by the user (Ctrl-C) or a crash noticed on resume.
        case interrupted
        /// Stopped by `--max-cost`.
        case budgetStopped = "budget_stopped"
        /// Could not go on (the store failed, for example).
        case failed
    }

    public var id: String

    /// Whether `id` may become a file name: letters, digits, `.`, `_` and `-`, at most 128,
    /// and not `.` or `..`. A store is a file anyone may hand over: an id like `../../x` read
    /// from it must never become a path outside `--reports`.
    public static func isSafeID(_ id: String) -> Bool {
        guard !id.isEmpty, id.count <= 128, id != ".", id != ".." else { return false }
        return id.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
                || "._-".unicodeScalars.contains($0)
        }
    }

    /// The plan file, or nil for a run given by flags only.
    public var plan: String?
    public var suites: [SuiteRef]
    public var models: [String]
    public var epochs: Int
    public var concurrency: Int
    public var catalog: Catalog
    public var assayVersion: String
    public var gitCommit: String?
    /// Where model-written code ran, in words ("bubblewrap 0.8.0; ...", or "none: ..." for an
    /// unsafe run); nil when no suite ran code.
    public var sandbox: String?
    /// How model-written code ran, typed; nil when no suite ran code, and in runs stored
    /// before it was kept (`codeSandbox` then reads it off `sandbox`).
    public var sandboxMode: SandboxMode?
    /// How the run asks (generation, streaming, cache, cap, retries, timeouts, limits,
    /// fallbacks): what `--resume` needs besides suites and models. Nil in runs stored before.
    public var settings: RunSettings?
    public var startedAt: Date
    public var endedAt: Date?
    public var status: Status
    /// What the run's requests met at each endpoint it used: attempts, 429s, time held by
    /// limits, the rate it settled at (summed over a resumed run's sessions). Nil in runs
    /// stored before, and in runs that sent nothing.
    public var traffic: [EndpointTraffic]?
    /// Each worker's own part of `traffic`, in a run that workers shared; nil otherwise.
    public var workers: [WorkerTraffic]?
    /// What an open-loop load (`--rate`) achieved; nil for other runs.
    public var load: LoadReport?
    /// What a person called the run (`assay run --label`, `assay label RUN`); nil when unnamed.
    public var label: RunLabel?
    /// Set only in memory, by `assay report --reprice`: the catalog whose prices the report's
    /// costs were computed with instead of the run's own. Never stored.
    public var repricedFrom: String?
    /// Set only in memory, with `--assume-input-ratio`: the input price assumed for models
    /// with none quoted, in words (their costs are then `estimated`).
    public var costAssumption: String?

    public init(
        id: String, plan: String?, suites: [SuiteRef], models: [String], epochs: Int, concurrency: Int,
        catalog: Catalog, assayVersion: String = AssayVersion.current, gitCommit: String?, sandbox: String? = nil,
        sandboxMode: SandboxMode? = nil, settings: RunSettings? = nil, startedAt: Date = Date(), endedAt: Date? = nil,
        status: Status = .running
    ) {
        self.id = id
        self.plan = plan
        self.suites = suites
        self.models = models
        self.epochs = epochs
        self.concurrency = concurrency
        self.catalog = catalog
        self.assayVersion = assayVersion
        self.gitCommit = gitCommit
        self.sandbox = sandbox
        self.sandboxMode = sandboxMode
        self.settings = settings
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.status = status
    }
}

/// A suite as a run saw it: its id, where it was loaded from, its kind and size.
public struct SuiteRef: Sendable, Hashable, Codable {
    public var id: String
    public var path: String
    public var kind: SuiteKind
    public var grader: GraderName
    public var cases: Int
    /// The declared labels, for a label-graded suite: the classes of its metrics.
    public var labels: [String]?
    /// The `max_tokens` the suite's requests were sent with (the plan's, else the suite's),
    /// before a model's floor; nil when none was set, and in runs stored before.
    public var maxTokens: Int?
    /// The structured output the suite asked for; how each model was asked for it follows
    /// from the model's capabilities in the run's catalog (`ResponseFormat.mode(for:)`).
    public var responseFormat: ResponseFormat?
    /// SHA-256 of the suite as loaded (prompt, grader, generation, cases; not where it was
    /// read from), in hex: two runs' results on a suite compare only while it is the same.
    /// Nil in runs stored before it was kept.
    public var fingerprint: String?

    public init(
        id: String, path: String, kind: SuiteKind, grader: GraderName, cases: Int, labels: [String]? = nil,
        maxTokens: Int? = nil, responseFormat: ResponseFormat? = nil, fingerprint: String? = nil
    ) {
        self.fingerprint = fingerprint
        self.maxTokens = maxTokens
        self.responseFormat = responseFormat
        self.id = id
        self.path = path
        self.kind = kind
        self.grader = grader
        self.cases = cases
        self.labels = labels
    }
}

public enum AssayVersion {
    public static let current = "0.1.0"
}

extension RunManifest {
    /// How model-written code ran: the stored mode, else (a run stored before the mode was
    /// kept) the mode its sandbox's description names; nil when no suite ran code.
    public var codeSandbox: SandboxMode? { sandboxMode ?? sandbox.map(SandboxMode.init(description:)) }

    /// True when model-written code ran without a sandbox: every report says so.
    public var ranCodeUnsandboxed: Bool { codeSandbox == .unsandboxed }

    /// The `max_tokens` `model` was sent for `suite`: the suite's, raised to the model's floor
    /// (the plan's, else the catalog's). Nil when nothing set one.
    public func maxTokens(model: String, suite: String) -> Int? {
        let asked = suites.first { $0.id == suite }?.maxTokens
        guard
            let floor = settings?.maxTokensFloors?[model]
                ?? catalog.models.first(where: { $0.id == model })?.maxTokensFloor
        else { return asked }
        return max(asked ?? floor, floor)
    }
}
