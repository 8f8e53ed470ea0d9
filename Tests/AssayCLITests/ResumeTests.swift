import AssayCore
import AssayStore
import AssayTestServer
import AssayTestSupport
import Foundation
import Testing

/// Runs interrupted for real, by kill -9 and by Ctrl-C, then finished with --resume:
/// nothing lost, no completed request repeated.
@Suite(.serialized) struct ResumeTests {
    static let cases = 40

    struct Setup {
        let dir: TempDirectory
        let server: TestServer
        var arguments: [String]
        var store: String { dir.path("s.sqlite") }
    }

    /// The server answers every case right; with `answering`, only the first that many,
    /// and holds the others' answers back (for ten minutes) until `answerAll`: the run is
    /// interrupted at a known point however slow the machine is.
    static func script(answering: Int = cases) -> TestScript {
        var script = TestScript(defaultReply: .init(text: "negative", ttftMs: 150))
        for index in 1...Self.cases {
            let reply = TestScript.Reply(
                text: Fixtures.sentimentLabel(index), ttftMs: index <= answering ? 150 : 600_000)
            script.rules.append(.init(promptEquals: Fixtures.sentimentPrompt(index), reply: reply))
        }
        return script
    }

    func answerAll(_ setup: Setup) {
        setup.server.setScript(Self.script())
    }

    /// Runs `body` with a server (see `script`), a suite, a catalog and the arguments of a run;
    /// the server is stopped and the directory removed when `body` ends.
    func withSetup(answering: Int = cases, _ body: (Setup) async throws -> Void) async throws {
        let dir = try TempDirectory("assay-resume")
        defer { dir.remove() }
        let fixture = Fixtures.sentimentSuite(count: Self.cases)
        try dir.write("suite/suite.yaml", fixture.yaml)
        try dir.write("suite/cases.jsonl", fixture.cases)
        try await TestServer.withTestServer(script: Self.script(answering: answering)) { server in
            try dir.write("catalog.yaml", Fixtures.catalog(baseURL: server.baseURL, models: ["alpha"]))
            let arguments = [
                "run", "--suite", dir.path("suite"), "--model", "alpha", "--catalog", dir.path("catalog.yaml"),
                "--concurrency", "4",
                "--store", dir.path("s.sqlite"), "--reports", dir.path("reports"), "--quiet",
            ]
            try await body(Setup(dir: dir, server: server, arguments: arguments))
        }
    }

    /// Waits until the store holds at least `count` results of its only run; returns the run id.
    /// Fails at once, with what the run printed, if it ended first.
    func waitForResults(_ setup: Setup, count: Int, of running: BackgroundProcess) async throws -> String {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            guard running.isRunning else {
                throw CommandError(description: "the run ended before \(count) results: \(running.output)")
            }
            if FileManager.default.fileExists(atPath: setup.store), let store = try? Store(path: setup.store),
                let run = try? await store.runs().first, (try? await store.resultCount(run: run.id)) ?? 0 >= count
            {
                return run.id
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw CommandError(description: "no \(count) results within 30 s; the run printed: \(running.output)")
    }

    /// How many times the server was asked each case's prompt.
    func requestsByCase(_ server: TestServer) -> [String: Int] {
        var counts: [String: Int] = [:]
        for request in server.received where request.path.hasSuffix("chat/completions") {
            for index in 1...Self.cases where request.body.contains("\"Review: review number \(index)\"") {
                counts["c\(index)", default: 0] += 1
            }
        }
        return counts
    }

    @Test func aRunKilledWithSigkillIsFinishedByResumeWithoutRepeats() async throws {
        try await withSetup(answering: 12) { setup in
            let running = try BackgroundProcess(assay: setup.arguments)
            let runID = try await waitForResults(setup, count: 12, of: running)
            running.send(SIGKILL)
            _ = await running.waitForExit()
            running.stop()
            let store = try Store(path: setup.store)
            #expect(try await store.run(runID)?.status == .running, "kill -9 left no chance to mark it")
            let doneBefore = Set(try await store.results(run: runID).map(\.caseID))
            #expect(doneBefore.count == 12)

            answerAll(setup)
            let resume = try await runAssay([
                "run", "--resume", runID, "--store", setup.store, "--reports", setup.dir.path("reports"), "--quiet",
            ])
            #expect(resume.status == 0, "\(resume)")
            let results = try await store.results(run: runID)
            #expect(results.count == Self.cases)
            #expect(Set(results.map(\.caseID)).count == Self.cases)
            #expect(try await store.run(runID)?.status == .completed)
            let asked = requestsByCase(setup.server)
            for caseID in doneBefore {
                #expect(asked[caseID] == 1, "\(caseID) was completed before the kill and asked again")
            }
            #expect(
                asked.values.reduce(0, +) <= Self.cases + 4, "only the requests in flight at the kill were asked twice")
            #expect(results.allSatisfy { $0.grade?.outcome == .pass })
        }
    }

    @Test func ctrlCStopsGracefullyAndResumeFinishes() async throws {
        try await withSetup(answering: 8) { setup in
            let running = try BackgroundProcess(assay: setup.arguments)
            let runID = try await waitForResults(setup, count: 8, of: running)
            running.send(SIGINT)
            let status = await running.waitForExit()
            let output = running.output
            running.stop()
            #expect(status == 3, "an interrupted run is incomplete: \(output)")
            #expect(output.contains("stopping: cancelling the requests in flight"))
            #expect(output.contains("run interrupted; finish it with: assay run --resume \(runID)"))
            let store = try Store(path: setup.store)
            #expect(try await store.run(runID)?.status == .interrupted)
            let kept = try await store.results(run: runID)
            #expect(
                kept.count == 8 && kept.allSatisfy { $0.status == .graded },
                "everything graded is kept, nothing half-done is")

            answerAll(setup)
            let resume = try await runAssay(["run", "--resume", runID, "--store", setup.store, "--quiet"])
            #expect(resume.status == 0, "\(resume)")
            #expect(try await store.results(run: runID).count == Self.cases)
            let asked = requestsByCase(setup.server)
            for result in kept { #expect(asked[result.caseID] == 1, "\(result.caseID) asked again") }
        }
    }

    @Test func resumeRefusesToChangeTheRunAndRejectsUnknownRuns() async throws {
        try await withSetup { setup in
            let run = try await runAssay(setup.arguments)
            #expect(run.status == 0)
            let runID = try #require(try await Store(path: setup.store).runs().first?.id)
            let complete = try await runAssay(["run", "--resume", runID, "--store", setup.store])
            #expect(complete.status == 2)
            #expect(complete.stderr.contains("is complete: nothing to resume"))
            let changed = try await runAssay(["run", "--resume", runID, "--store", setup.store, "--model", "beta"])
            #expect(changed.status == 2)
            #expect(changed.stderr.contains("a resumed run keeps its plan: drop --model"))
            let unknown = try await runAssay(["run", "--resume", "nope", "--store", setup.store])
            #expect(unknown.status == 2)
            #expect(unknown.stderr.contains("no run 'nope'"))
        }
    }

    @Test func aSpendingCapExitsThreeWithTheReason() async throws {
        try await withSetup { setup in
            try setup.dir.write(
                "catalog.yaml",
                Fixtures.catalog(baseURL: setup.server.baseURL, models: ["alpha"], input: "1000", output: "1000"))
            let capped = try await runAssay(setup.arguments + ["--max-cost", "0.2"])
            #expect(capped.status == 3, "\(capped)")
            #expect(capped.stderr.contains("spending cap reached") || capped.stderr.contains("the spending cap"))
            #expect(capped.stderr.contains("finish it with: assay run --resume"))
            let runID = try #require(try await Store(path: setup.store).runs().first?.id)
            #expect(try await Store(path: setup.store).run(runID)?.status == .budgetStopped)
        }
    }
}
