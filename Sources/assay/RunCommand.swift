import ArgumentParser
import AssayAnalysis
import AssayConfig
import AssayCore
import AssayGraders
import AssayProviders
import AssayReports
import AssayRunner
import AssayStore
import Foundation
import SystemPackage

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run suites against models; grade, store and summarise every answer.",
        discussion: """
            Every case of every suite is sent to every model (epochs times), graded by the suite's
            grader and stored as soon as it is graded (--store: a SQLite file, or a PostgreSQL
            shared by workers). At the end, a summary table is printed and reports/<run-id>/ gets
            index.html (the report to read), report.xml (validated by its XSD), junit.xml,
            summary.json and summary.md.

            API keys come from the environment variables the catalog names (`assay models` lists
            them); a missing one stops the run before the first request.

            Examples:
              assay run --plan plans/local.yaml
              assay run --suite evalsets/smoke-sentiment --model v4-flash --model qwen3-8b
              assay run --plan plans/local.yaml --base-url local=http://127.0.0.1:9000/v1 --epochs 3

            Failed requests are retried (429 and 503 after their Retry-After, 5xx, timeouts, broken
            connections and streams) with exponential backoff and jitter; an endpoint with several
            base URLs moves off a failing one. Ctrl-C stops gracefully (a second Ctrl-C quits at
            once); `--resume RUN` finishes an interrupted run without repeating a completed request.

              assay run --plan plans/local.yaml --max-cost 2.50
              assay run --resume 20261123-161500-3fa2

            Load, routing and scale: --rate starts requests on a schedule (open loop) and reports
            the rate held, the backlog and the latency under load; --route asks each case of the
            model a routing policy picks; --shard runs one part of a run split across a CI matrix,
            which `assay merge` joins back.

              assay run --suite evalsets/chinese-classification/intent --model v4-flash --rate 100/s --duration 60s

            A range sweeps the load: the plan runs at each level after a warm-up, each level a run
            of its own, and the knee (the last level meeting --sla) is named and drawn in
            reports/<sweep>/index.html. Streamed answers give inter-token latency and time per
            output token in every report; --client-region labels where this client stands.

              assay run --suite evalsets/chinese-classification/intent --model v4-flash --concurrency 1..64 --sla "p99<=800ms,availability>=99.9%"
              assay run --suite evalsets/chinese-classification/intent --model v4-flash --rate 10/s..100/s --steps 4 --client-region eu-west
              assay run --suite evalsets/chinese-classification/intent --route routing/flash-windowed-failover.yaml --rate 50/s --max-cost 2
              assay run --plan plans/nightly.yaml --shard 3/8 --run-id sweep-42 --store shard-3.sqlite

            Or share one PostgreSQL between workers: the first starts the run, the others join
            it and claim items as they go (a worker that dies gives its items back after
            --lease; --max-cost, and each API key's rate limits, hold across all of them).

              assay run --plan plans/nightly.yaml --store postgres://db.internal/assay --run-id sweep-42
              assay run --join sweep-42 --store postgres://db.internal/assay
              assay run --join sweep-42 --store postgres://db.internal/assay --join-timeout 600   # started before the run is

            Exit code 3 when the run is incomplete (failed requests, which count as wrong answers;
            an interruption; the spending cap), 2 for bad input.
            """
    )

    @OptionGroup var options: RunOptions

    @Flag(help: "Print no progress.")
    var quiet = false

    func run() async throws {
        if let sweep = try? options.sweep() {
            try await withExitStatus { try await runSweep(sweep) }
            return
        }
        try await withExitStatus {
            // A new run's store is opened (and created) only once the plan, the catalog, the
            // suites and the keys are known good: bad input leaves no empty store behind.
            let (plan, stored) = try await planAndStoredRun()
            let resumed = stored?.part.manifest
            let session = try await RunSession.prepare(
                plan, environment: ProcessInfo.processInfo.environment, catalog: resumed?.catalog, store: stored?.store)
            StoredRuns.keep(session.store)
            Self.noteSetup(session.setup, plan: plan, resumed: resumed)
            let (manifest, trouble) = try await execute(session, plan: plan, part: stored?.part)
            try await report(manifest, plan: plan, store: session.store, trouble: trouble)
        }
    }

    /// A sweep: the plan at each level, each a run of its own with its report, then the
    /// sweep's table and knee (terminal, reports/<sweep>/index.html and sweep.json).
    private func runSweep(_ sweep: Sweep) async throws {
        var plan = try options.resolvedPlan()
        if sweep.dimension == .rate {
            // The levels' loads: the flags' arrivals, and the open loop's generous cap on what
            // is in flight unless --concurrency gives one.
            plan.settings.load = LoadProfile(perSecond: sweep.levels[0], arrivals: options.arrivals ?? .constant)
            if options.concurrency == nil { plan.concurrency = Plan.loadConcurrency }
        }
        let session = try await SweepSession.prepare(
            plan, sweep: sweep, environment: ProcessInfo.processInfo.environment)
        let sweepID = options.runID ?? "sweep-" + RunID.make()
        let levels = sweep.levels.count
        Terminal.note(
            "sweep \(sweepID): \(sweep.dimension.rawValue) at \(sweep.levels.map(sweep.title).joined(separator: ", ")); SLA: \((sweep.sla.isEmpty ? .standard : sweep.sla).description)"
        )
        let progress = ProgressPrinter(enabled: !quiet, live: Terminal.standardErrorIsTTY)
        let task = Task {
            try await session.run(
                runID: { "\(sweepID)-\($0 + 1)" },
                onPhase: { index, phase in
                    let level = sweep.title(sweep.levels[index])
                    switch phase {
                    case .warmingUp(let requests):
                        Terminal.note("level \(index + 1)/\(levels) (\(level)): warming up with \(requests) requests")
                    case .measuring(let requests, let runID):
                        Terminal.note(
                            "level \(index + 1)/\(levels) (\(level)): measuring \(requests) requests as run \(runID)")
                    }
                }, onEvent: { progress.handle($0) })
        }
        let interrupts = InterruptHandler { task.cancel() }
        let result = await task.result
        interrupts.remove()
        progress.stop()
        let runs = try result.get()
        let store = try await StoredRuns.open(plan.store)
        var summaries: [(level: Double, summary: RunSummary)] = []
        for run in runs {
            let written = try await ReportFiles.write(run: run.manifest.id, from: store, under: plan.reports)
            summaries.append((run.level, written.summary))
        }
        let summary = SweepSummary(sweep: sweep, runs: summaries)
        let index = try SweepReport.write(
            summary, sweepID: sweepID, to: FilePath(plan.reports).appending(sweepID).string)
        print(SweepReport.text(summary), terminator: "")
        print("sweep \(sweepID): \(runs.count) levels stored in \(plan.store)")
        print("report: \(index)")
        print("also: sweep.json beside it; each level's own report under \(plan.reports)/\(sweepID)-K/")
    }

    /// The plan, and the stored run this process works on (`--resume`, `--join`) with its
    /// store; nil for a new run. Every combination of flags that cannot work is refused here.
    private func planAndStoredRun() async throws -> (Plan, (store: any RunStore, part: RunSession.Part)?) {
        guard let runID = options.resume ?? options.join else {
            let plan = try options.resolvedPlan()
            if StoreLocation.isPostgres(plan.store) {
                if plan.settings.shard != nil {
                    throw InputError(
                        "--shard splits a run across separate stores; with a shared store, start more workers with --join instead"
                    )
                }
                if plan.settings.load != nil {
                    throw InputError("--rate is one process's schedule: run an open-loop load against a SQLite store")
                }
            }
            try checkLease(plan)
            return (plan, nil)
        }
        let location = options.store ?? Store.defaultPath
        if !StoreLocation.isPostgres(location), !FileManager.default.fileExists(atPath: location) {
            throw InputError(file: location, "no store here to resume from")
        }
        let store = try await StoredRuns.openForWriting(location)
        let wait = options.join != nil ? options.joinTimeout ?? JoinWait.defaultSeconds : 0
        guard let manifest = try await JoinWait.run(runID, in: store, seconds: wait) else {
            let waited = wait > 0 ? " after waiting \(Int(wait.rounded())) s (--join-timeout)" : ""
            throw InputError(
                file: store.location, "no run '\(runID)' in the store\(waited) (`assay report --list` shows the runs)")
        }
        let plan = try options.resumedPlan(manifest)
        let part: RunSession.Part
        if options.join != nil {
            part = .join(manifest)
        } else {
            guard manifest.status != .completed else {
                throw InputError(file: store.location, "run \(runID) is complete: nothing to resume")
            }
            part = .resume(manifest)
        }
        try checkLease(plan)
        return (plan, (store, part))
    }

    private func checkLease(_ plan: Plan) throws(InputError) {
        if options.lease != nil, !StoreLocation.isPostgres(plan.store) {
            throw InputError(
                "--lease is how long a shared store's worker holds its items: it needs --store postgres://…")
        }
    }

    /// What the user should know before the first request: no sandbox, cases no route takes,
    /// suites that changed since a resumed run started.
    private static func noteSetup(_ setup: RunSetup, plan: Plan, resumed: RunManifest?) {
        if setup.sandbox?.isSandboxed == false {
            Terminal.note(
                "warning: bubblewrap is unavailable; model-written code runs UNSANDBOXED (--unsafe-no-sandbox)")
        }
        if let routes = setup.routes, let policy = plan.settings.routing {
            let cases = routes.reduce(0) { $0 + $1.count }
            let unrouted = routes.reduce(0) { $0 + $1.filter { $0 == nil }.count }
            Terminal.note(
                "routing by \(policy.name): each case goes to one model"
                    + (unrouted > 0
                        ? "; \(unrouted) of \(cases) cases match no rule and are not asked (add a last rule with no match)"
                        : ""))
        }
        for suite in resumed?.suites ?? [] {
            if let now = setup.suites.first(where: { $0.id == suite.id }), now.cases.count != suite.cases {
                Terminal.note(
                    "warning: suite \(suite.id) has \(now.cases.count) cases now, \(suite.cases) when the run started")
            }
        }
    }

    /// Runs this process's part of the run with progress on stderr; the first Ctrl-C cancels
    /// it (results kept). Returns the manifest as stored at the end, and the endpoints' trouble.
    private func execute(_ session: RunSession, plan: Plan, part: RunSession.Part?) async throws -> (
        RunManifest, EndpointTrouble
    ) {
        let store = session.store
        let progress = ProgressPrinter(enabled: !quiet, live: Terminal.standardErrorIsTTY)
        let trouble = EndpointTrouble(setup: session.setup)
        let onEvent: @Sendable (RunEvent) -> Void = { event in
            progress.handle(event)
            trouble.record(event)
        }
        let commit = GitCommit.current()
        let resumed = part?.manifest
        let id =
            resumed?.id ?? options.runID
            ?? (plan.settings.shard != nil ? RunID.derived(plan: plan, gitCommit: commit) : RunID.make())
        if resumed == nil, try await store.run(id) != nil {
            throw InputError(
                file: store.location,
                "run \(id) is already in this store: finish it with `assay run --resume \(id)`"
                    + (StoreLocation.isPostgres(store.location) ? ", work on it with `--join \(id)`" : "")
                    + ", or give another --run-id")
        }
        if let shard = plan.settings.shard {
            Terminal.note("shard \(shard) of run \(id): \(session.setup.workItems.count) items")
        }
        let worker = options.lease.map { Worker(lease: .seconds($0)) } ?? Worker()
        if case .join = part { Terminal.note("worker \(worker.id) joins run \(id) in \(store.location)") }
        let task = Task {
            try await session.run(
                part ?? .start, id: id, gitCommit: commit,
                label: options.label.map { RunLabel(text: $0, note: options.note) },
                worker: worker, onEvent: onEvent)
        }
        let interrupts = InterruptHandler { task.cancel() }
        let result = await task.result
        interrupts.remove()
        progress.stop()
        return (try result.get(), trouble)
    }

    /// Writes the run's reports, prints the summary, and says (and exits with) how it ended.
    private func report(_ manifest: RunManifest, plan: Plan, store: any RunStore, trouble: EndpointTrouble) async throws
    {
        let written = try await ReportFiles.write(run: manifest.id, from: store, under: plan.reports)
        let summary = written.summary
        print(SummaryTable.render(summary))
        let errors = summary.models.reduce(0) { $0 + $1.overall.errors }
        // The status line and the exit code say the same thing: a completed run with
        // failed requests is not called complete without saying so.
        let failed =
            errors > 0 ? " with \(errors) failed request\(errors == 1 ? "" : "s") (counted as wrong answers)" : ""
        print("run \(manifest.id) \(manifest.status.rawValue)\(failed); stored in \(store.location)")
        print("report: \(written.path("index.html"))")
        print("also: report.xml, junit.xml, summary.json, summary.md in \(written.directory)")
        for line in trouble.lines() { Terminal.note(line) }
        switch manifest.status {
        case .completed where errors == 0:
            return
        case .budgetStopped:
            Terminal.note(
                "run incomplete: the spending cap (--max-cost \(plan.settings.maxCost.map { String($0) } ?? "?")) stopped it; "
                    + "finish it with: assay run --resume \(manifest.id) --max-cost <higher>")
        case .interrupted:
            Terminal.note("run interrupted; finish it with: assay run --resume \(manifest.id)")
        default:
            Terminal.note(
                "run incomplete: \(errors) request\(errors == 1 ? "" : "s") failed and count as wrong answers; "
                    + "`assay run --resume \(manifest.id)` asks them again")
        }
        throw ExitStatus.incomplete
    }
}
