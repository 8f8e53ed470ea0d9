import AssayConfig
import AssayCore
import AssayStore
import AssayTestServer
import AssayTestSupport
import Foundation
import NIOCore
import NIOPosix
import Testing

/// "Hostile answers, round two": a header, a pattern, a copy of a store, a byte-order mark, a
/// path, an escape sequence, a weight, file modes and a port that each crashed, hung, bloated
/// or fooled a command. Each test failed before its fix.
@Suite struct HostileInputsRoundTwoTests {
    /// A sentiment suite of `count` cases, run against the in-process server answering
    /// `reply`, stored in `store`; returns the run and its id.
    func run(
        _ dir: TempDirectory, reply: TestScript.Reply = .init(text: "positive"), count: Int = 3,
        store: String = "s.sqlite", extra: [String] = [],
        cases: String? = nil
    ) async throws -> (result: CommandResult, runID: String?) {
        let fixture = Fixtures.sentimentSuite(count: count)
        if !dir.exists("suite/suite.yaml") {
            try dir.write("suite/suite.yaml", fixture.yaml)
            try dir.write("suite/cases.jsonl", cases ?? fixture.cases)
        }
        // Big answers are written on a thread of their own, not the event loops other tests share.
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let result: CommandResult
        do {
            result = try await TestServer.withTestServer(script: TestScript(defaultReply: reply), group: group) {
                server in
                try await runAssay(
                    [
                        "run", "--suite", dir.path("suite"), "--model", "gemma3-270m", "--base-url",
                        "local=\(server.baseURL)", "--store",
                        dir.path(store), "--reports", dir.path("reports"), "--quiet", "--no-cache",
                    ] + extra)
            }
            try await group.shutdownGracefully()
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
        // The newest run in the store (a token of the output that starts with "20" may be a latency).
        let runID =
            FileManager.default.fileExists(atPath: dir.path(store))
            ? try await Store(path: dir.path(store)).runs().max { $0.startedAt < $1.startedAt }?.id : nil
        return (result, runID)
    }

    // MARK: 1. Rate-limit headers

    @Test func absurdRateLimitHeadersAreLeftOut() {
        func read(_ headers: [String: String]) -> RateLimitHeaders? { RateLimitHeaders { headers[$0] } }
        #expect(
            read(["x-ratelimit-limit-requests": "1e-300"]) == nil,
            "a limit of one request in 1e300 minutes is no limit a server means")
        #expect(read(["x-ratelimit-limit-requests": "1e300"]) == nil)
        #expect(read(["x-ratelimit-limit-tokens": "1e-300"]) == nil)
        #expect(read(["x-ratelimit-remaining-requests": "1e300"]) == nil)
        #expect(read(["retry-after-ms": "1e300"]) == nil)
        #expect(
            read(["x-ratelimit-limit-requests": "60", "x-ratelimit-remaining-requests": "59"])?.limitRequests == 60)
        #expect(RateLimitHeaders.seconds("9" + String(repeating: "9", count: 30) + "h") != nil, "finite, however long")
    }

    /// One answer header of `1e-300` requests a minute trapped the run (exit 132): a wait of
    /// 1e302 seconds became an Int.
    @Test func aRateLimitOfOneRequestIn1e300MinutesDoesNotCrashTheRun() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let reply = TestScript.Reply(
            text: "positive", headers: ["x-ratelimit-limit-requests": "1e-300", "x-ratelimit-remaining-requests": "0"])
        let (run, _) = try await run(dir, reply: reply, count: 4, extra: ["--concurrency", "1"])
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("completed"), "\(run.stdout)")
    }

    // MARK: 2. Routing patterns

    @Test(arguments: [
        #"(\w+\s?)*#"#, "(x+)*", "(x*)*", "(a|a)*", "(a|ab)+", #"(\d|x)+"#, "((ab)+c)*", "(?:a+){2,}", "(a?b?)+",
        #"(.*,)*x"#,
    ])
    func patternsThatBacktrackCatastrophicallyAreRefused(pattern: String) {
        #expect(BoundedRegex.hazard(in: pattern) != nil, "\(pattern)")
    }

    @Test(arguments: [
        #"\bdef \w+\("#, "number (1|3|5)$", "(cat|dog)+", #"(\d{3}-)+\d{4}"#, "(x+)*+", "(?>x+)*", #"[(]a+[)]*"#,
        #"\(a+\)*"#, "(?i)prove|step by step",
        #"\p{Han}+"#, "a{2,5}b",
    ])
    func ordinaryPatternsPass(pattern: String) throws {
        #expect(BoundedRegex.hazard(in: pattern) == nil, "\(pattern)")
        _ = try NSRegularExpression(pattern: pattern)
    }

    /// A pattern the static check lets through (polynomial, not exponential) still ends:
    /// the match gives up after its time limit, and the pattern is not tried again.
    @Test func aSlowPatternGivesUpWithinItsTimeLimit() throws {
        let pattern = #"\w*\w*\w*\w*\w*\w*#"#
        #expect(BoundedRegex.hazard(in: pattern) == nil)
        let regex = try NSRegularExpression(pattern: pattern)
        let text = String(repeating: "a", count: 5_000)
        let clock = ContinuousClock()
        let start = clock.now
        #expect(!BoundedRegex.matches(regex, in: text))
        #expect(
            clock.now - start < .seconds(30),
            "gave up after \(clock.now - start) (0.5 s on a quiet machine; without the limit, never)")
        #expect(BoundedRegex.givenUp.contains(pattern))
        let again = clock.now
        #expect(!BoundedRegex.matches(regex, in: "#"), "a pattern that gave up matches nothing more")
        #expect(clock.now - again < .seconds(10), "given up at once, not tried again")
        #expect(BoundedRegex.matches(try NSRegularExpression(pattern: "n(o|u)mber"), in: "review number 3"))
    }

    @Test func aCatastrophicRoutingPatternIsRefusedByValidateAndByRouteSimulate() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let words = String(repeating: "word ", count: 12) + "and more words"
        let cases =
            (1...2).map {
                #"{"id": "c\#($0)", "input": {"review": "\#(words) \#($0)"}, "expected": {"label": "positive"}}"#
            }.joined(separator: "\n") + "\n"
        let (run, _) = try await run(dir, count: 2, cases: cases)
        #expect(run.status == 0, "\(run)")
        let policy = try dir.write(
            "policy.yaml",
            #"""
            name: hostile
            rules:
              - match: {prompt_regex: '(\w+\s?)*#'}
                model: gemma3-270m
              - model: gemma3-270m

            """#)
        let validate = try await runAssay(["validate", policy])
        #expect(validate.status == 2, "\(validate)")
        #expect(
            validate.stdout.contains("\(policy):3: prompt_regex '(\\w+\\s?)*#' can backtrack catastrophically"),
            "\(validate)")
        let simulate = try await runAssay([
            "route", "simulate", policy, "--run", "latest", "--store", dir.path("s.sqlite"),
        ])
        #expect(simulate.status == 2, "\(simulate)")
        #expect(simulate.stderr.contains("\(policy):3:"), "\(simulate.stderr)")
        let traffic = try dir.write("traffic.yaml", "traffic:\n  - {match: {prompt_regex: '(x+)+y'}, weight: 1}\n")
        let mix = try await runAssay(["validate", traffic])
        #expect(mix.status == 2 && mix.stdout.contains("\(traffic):2: prompt_regex"), "\(mix)")
    }

    // MARK: 3. A store merged with a copy of itself

    @Test func aStoreMergedWithACopyOfItselfIsTheStore() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let (run, runID) = try await run(dir, count: 4)
        #expect(run.status == 0, "\(run)")
        let id = try #require(runID)
        for suffix in ["", "-wal", "-shm"] where dir.exists("s.sqlite" + suffix) {
            try FileManager.default.copyItem(
                atPath: dir.path("s.sqlite" + suffix), toPath: dir.path("copy.sqlite" + suffix))
        }
        let original = try Store(path: dir.path("s.sqlite"))
        let results = try await original.resultCount(run: id)
        let attempts = try await original.attemptCount(run: id)
        #expect(results == 4)
        // Ten merges, each in a process of its own: the order a process gives a set must not matter.
        for round in 1...10 {
            let merged = dir.path("merged-\(round).sqlite")
            let merge = try await runAssay(["merge", dir.path("s.sqlite"), dir.path("copy.sqlite"), "--into", merged])
            #expect(merge.status == 0, "round \(round): \(merge)")
            #expect(
                merge.stdout.contains("\(results) results (\(results) found twice), \(attempts) attempts"),
                "round \(round): \(merge.stdout)")
            let store = try Store(path: merged)
            #expect(try await store.resultCount(run: id) == results)
            #expect(try await store.attemptCount(run: id) == attempts, "an attempt found twice is one attempt")
        }
        let report = try await runAssay([
            "report", id, "--store", dir.path("merged-1.sqlite"), "--reports", dir.path("reports-merged"),
        ])
        #expect(report.status == 0, "\(report)")
    }

    // MARK: A gold past the grading bounds

    /// `assay import math` checks the suite it writes as `validate` does: a gold whose exact
    /// value is past the grader's bounds (it hung grading for hours) is refused at its line,
    /// and nothing is written.
    @Test func importRefusesAGoldPastTheGradingBounds() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let primes = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47]
        let product = "((" + primes.map { "(1+\\sqrt{\($0)})" }.joined() + "))^{2}"
        try dir.write(
            "math.jsonl",
            #"{"problem": "What is 1+1?", "answer": "2", "unique_id": "a"}"# + "\n"
                + #"{"problem": "Expand it.", "answer": "\#(product.replacingOccurrences(of: "\\", with: "\\\\"))", "unique_id": "b"}"#
                + "\n")
        let refused = try await runAssay(["import", "math", dir.path("math.jsonl"), "--out", dir.path("evalsets/m")])
        #expect(refused.status == 2, "\(refused)")
        #expect(refused.stderr.contains("evalsets/m/cases.jsonl:2: not imported:"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.path("evalsets/m")), "nothing written")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: dir.path("evalsets")).isEmpty,
            "no staging directory left behind")

        try dir.write("good.jsonl", #"{"problem": "What is 1+1?", "answer": "2", "unique_id": "a"}"# + "\n")
        let imported = try await runAssay(["import", "math", dir.path("good.jsonl"), "--out", dir.path("evalsets/m")])
        #expect(
            imported.status == 0 && dir.exists("evalsets/m/suite.yaml") && dir.exists("evalsets/m/cases.jsonl"),
            "\(imported)")
        let again = try await runAssay(["import", "math", dir.path("good.jsonl"), "--out", dir.path("evalsets/m")])
        #expect(again.status == 2 && again.stderr.contains("pass --force"), "\(again)")
        let forced = try await runAssay([
            "import", "math", dir.path("good.jsonl"), "--out", dir.path("evalsets/m"), "--force",
        ])
        #expect(forced.status == 0, "\(forced)")
    }

    // MARK: 4. Huge answers in the HTML report

    @Test func theHTMLReportCutsEveryTextOfAnItem() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let huge = String(repeating: "positive", count: 2 * 1024 * 1024 / 8)
        let (run, runID) = try await run(dir, reply: .init(text: huge), count: 2)
        #expect(run.status == 0, "\(run)")
        let id = try #require(runID)
        let index = dir.path("reports/\(id)/index.html")
        let size = try #require(try FileManager.default.attributesOfItem(atPath: index)[.size] as? Int)
        #expect(size < 500_000, "index.html is \(size) bytes for two answers of 2 MiB")
        let html = try String(contentsOfFile: index, encoding: .utf8)
        #expect(html.contains("more characters: the store and report.xml have them all"))
    }

    // MARK: 6. A byte-order mark

    @Test func aByteOrderMarkBeforeYAMLIsIgnored() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let fixture = Fixtures.sentimentSuite(count: 2)
        try dir.write("suite/suite.yaml", "\u{FEFF}" + fixture.yaml)
        try dir.write("suite/cases.jsonl", fixture.cases)
        let plan = try dir.write("plan.yaml", "\u{FEFF}suites: [\(dir.path("suite"))]\nmodels: [gemma3-270m]\n")
        let validate = try await runAssay(["validate", dir.path("suite"), plan])
        #expect(validate.status == 0, "\(validate)")
    }

    // MARK: 7. cases: outside the suite

    @Test func aCasesFileOutsideTheSuiteIsRefusedAtItsLine() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let fixture = Fixtures.sentimentSuite(count: 2)
        try dir.write("outside.jsonl", fixture.cases)
        try dir.write("suite/inner.jsonl", fixture.cases)
        try FileManager.default.createSymbolicLink(
            atPath: dir.path("suite/link.jsonl"), withDestinationPath: dir.path("outside.jsonl"))
        for (name, message) in [
            ("../outside.jsonl", "it leads out of the suite directory"),
            (dir.path("outside.jsonl"), "an absolute path"),
            ("link.jsonl", "it leads out of the suite directory"),
            ("../nowhere/missing.jsonl", "it leads out of the suite directory"),
        ] {
            try dir.write("suite/suite.yaml", fixture.yaml + "\ncases: '\(name)'\n")
            let validate = try await runAssay(["validate", dir.path("suite")])
            #expect(validate.status == 2, "\(name): \(validate)")
            #expect(
                validate.stdout.contains("\(dir.path("suite/suite.yaml")):10: cases: '\(name)': \(message)"),
                "\(name): \(validate)")
        }
        try dir.write("suite/suite.yaml", fixture.yaml + "\ncases: inner.jsonl\n")
        let inside = try await runAssay(["validate", dir.path("suite")])
        #expect(inside.status == 0, "a cases file inside the suite is fine: \(inside)")
    }

    // MARK: 8. Escape sequences on the terminal

    @Test func escapeSequencesFromFilesAndStoresAreShownNotSent() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let fixture = Fixtures.sentimentSuite(count: 2)
        try dir.write(
            "suite/suite.yaml",
            fixture.yaml.replacingOccurrences(
                of: "kind: classification", with: #"kind: "\e[2J\e]0;pwned\u0007class\u009B""#))
        try dir.write("suite/cases.jsonl", fixture.cases)
        let validate = try await runAssay(["validate", dir.path("suite")])
        #expect(validate.status == 2, "\(validate)")
        #expect(
            !validate.stdout.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x9B },
            "\(validate.stdout)")
        #expect(validate.stdout.contains("␛[2J␛]0;pwned␇class\\u{9B}"), "\(validate.stdout)")

        let store = try dir.write("empty.sqlite", "")
        _ = try Store(path: store)
        let report = try await runAssay(["report", "\u{1B}]0;pwned\u{07}", "--store", store])
        #expect(report.status == 2, "\(report)")
        #expect(!report.stderr.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 }, "\(report.stderr)")
        #expect(report.stderr.contains("␛]0;pwned␇"), "\(report.stderr)")
    }

    // MARK: 9. Traffic weights

    @Test func trafficWeightsThatSumPastADoubleAreRefused() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let traffic = try dir.write(
            "traffic.yaml",
            "traffic:\n  - {name: a, match: {kind: classification}, weight: 1.7e308}\n  - {name: b, weight: 1.7e308}\n")
        let validate = try await runAssay(["validate", traffic])
        #expect(validate.status == 2, "\(validate)")
        #expect(
            validate.stdout.contains("\(traffic):2: weight must be a number above 0 and at most 1e12"), "\(validate)")
        #expect(validate.stdout.contains("\(traffic):3: weight must be"), "\(validate)")
    }

    // MARK: 10. Read-only stores

    /// A store on read-only media (file 0444, directory 0555, read by a user who cannot write
    /// them: `nobody` when the tests run as root) reports and merges, and merge and report
    /// leave their inputs as they were.
    @Test func aReadOnlyStoreReportsAndMergesAndIsLeftAsItWas() async throws {
        let dir = try TempDirectory()
        defer {
            chmod(dir.path("ro"), 0o755)
            dir.remove()
        }
        let (run, runID) = try await run(dir, count: 2)
        #expect(run.status == 0, "\(run)")
        let id = try #require(runID)
        try FileManager.default.createDirectory(atPath: dir.path("ro"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir.path("out"), withIntermediateDirectories: true)
        // A store checkpointed and closed: the file alone, as it would be handed over.
        let checkpoint = try await runProcess(
            "/usr/bin/python3",
            [
                "-c",
                "import sqlite3, sys; db = sqlite3.connect(sys.argv[1]); db.execute('PRAGMA wal_checkpoint(TRUNCATE)'); db.close()",
                dir.path("s.sqlite"),
            ],
            in: dir.path)
        #expect(checkpoint.status == 0, "\(checkpoint)")
        try FileManager.default.copyItem(atPath: dir.path("s.sqlite"), toPath: dir.path("ro/s.sqlite"))
        let before = try Data(contentsOf: URL(fileURLWithPath: dir.path("ro/s.sqlite")))
        chmod(dir.path("ro/s.sqlite"), 0o444)
        chmod(dir.path("ro"), 0o555)
        chmod(dir.path("out"), 0o777)
        chmod(dir.path, 0o755)

        // As a user who may not write them (root may write anything).
        func assay(_ arguments: [String]) async throws -> CommandResult {
            guard getuid() == 0 else { return try await runAssay(arguments, in: dir.path) }
            return try await runProcess(
                "/usr/bin/setpriv",
                ["--reuid=65534", "--regid=65534", "--clear-groups", PackagePaths.assayBinary] + arguments, in: dir.path
            )
        }
        let report = try await assay([
            "report", id, "--store", dir.path("ro/s.sqlite"), "--reports", dir.path("out/reports"),
        ])
        #expect(report.status == 0, "\(report)")
        let list = try await assay(["report", "--list", "--store", dir.path("ro/s.sqlite")])
        #expect(list.status == 0 && list.stdout.contains(id), "\(list)")
        let merge = try await assay(["merge", dir.path("ro/s.sqlite"), "--into", dir.path("out/merged.sqlite")])
        #expect(merge.status == 0, "\(merge)")
        let policy = try dir.write("policy.yaml", "name: all\nrules:\n  - model: gemma3-270m\n")
        let route = try await assay(["route", "simulate", policy, "--run", id, "--store", dir.path("ro/s.sqlite")])
        #expect(route.status == 0, "\(route)")

        // Read as the owner, who could write: nothing is written either.
        chmod(dir.path("ro"), 0o755)
        chmod(dir.path("ro/s.sqlite"), 0o644)
        let again = try await runAssay([
            "merge", dir.path("ro/s.sqlite"), "--into", dir.path("out/merged-again.sqlite"),
        ])
        #expect(again.status == 0, "\(again)")
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: dir.path("ro/s.sqlite"))) == before,
            "the input store is unchanged")
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path("ro"))
        #expect(left == ["s.sqlite"], "nothing written beside the input: \(left)")
    }

    // MARK: 11. PostgreSQL ports

    @Test(arguments: ["70000", "65536", "0", "99999999999999999999", "x"])
    func aPostgresPortOutOfRangeIsRefusedWithoutThePassword(port: String) async throws {
        let report = try await runAssay([
            "report", "latest", "--store", "postgres://user:s3cret-password@127.0.0.1:\(port)/db",
        ])
        #expect(report.status == 2, "\(report)")
        #expect(
            report.stderr.contains("port") && report.stderr.contains("1 to 65535")
                || report.stderr.contains("not a postgres:// URL"), "\(report.stderr)")
        #expect(!report.stderr.contains("s3cret"), "\(report.stderr)")
    }
}
