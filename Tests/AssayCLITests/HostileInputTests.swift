import AssayCore
import AssayTestServer
import AssayTestSupport
import Foundation
import NIOCore
import NIOPosix
import Testing

/// Files and flags that hung, crashed or fooled a command before: each now gives a clear
/// error with file:line and exit 2, or simply works, and nothing is written where it should
/// not be. (The YAML alias bomb is in HostileYAMLTests; hostile endpoints and code have their
/// own suites.)
@Suite struct HostileInputTests {
    func suite(in dir: TempDirectory, cases: String, yaml: String = Fixtures.sentimentSuite(count: 2).yaml) throws
        -> String
    {
        try dir.write("suite/suite.yaml", yaml)
        try dir.write("suite/cases.jsonl", cases)
        return dir.path("suite")
    }

    @Test func aCRLFCasesFileValidatesLikeAnyOther() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let cases = Fixtures.sentimentSuite(count: 3).cases.replacingOccurrences(of: "\n", with: "\r\n")
        let validate = try await runAssay(["validate", try suite(in: dir, cases: cases)])
        #expect(validate.status == 0, "\(validate)")
    }

    @Test func invalidUTF8IsReportedAtItsLine() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        var bytes = Data(Fixtures.sentimentSuite(count: 3).cases.utf8)
        let secondLine = try #require(bytes.firstIndex(of: UInt8(ascii: "\n")))
        bytes.insert(contentsOf: [0xFF, 0xFE], at: secondLine + 5)
        _ = try suite(in: dir, cases: "")
        try bytes.write(to: URL(fileURLWithPath: dir.path("suite/cases.jsonl")))
        let validate = try await runAssay(["validate", dir.path("suite")])
        #expect(validate.status == 2, "\(validate)")
        #expect(validate.stdout.contains("cases.jsonl:2: not valid UTF-8"), "\(validate)")
    }

    @Test func imagesOutsideTheSuiteAreRefusedAtTheirLine() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let png = try Data(
            contentsOf: URL(fileURLWithPath: PackagePaths.root + "/evalsets/vision-ocr/images/ocr-001.png"))
        try png.write(to: URL(fileURLWithPath: dir.path("outside.png")))
        try dir.write("suite/images/.keep", "")
        try png.write(to: URL(fileURLWithPath: dir.path("suite/images/inside.png")))
        try FileManager.default.createSymbolicLink(
            atPath: dir.path("suite/images/link.png"), withDestinationPath: dir.path("outside.png"))
        let yaml = """
            id: ocr-hostile
            title: hostile images
            kind: ocr
            grader: ocr
            prompt: {template: "Read the text."}
            requires: [vision]
            """
        let cases =
            [
                #"{"id": "abs", "input": {"image": "\#(dir.path("outside.png"))"}, "expected": {"text": "x"}}"#,
                #"{"id": "up", "input": {"image": "../outside.png"}, "expected": {"text": "x"}}"#,
                #"{"id": "link", "input": {"image": "images/link.png"}, "expected": {"text": "x"}}"#,
                #"{"id": "ok", "input": {"image": "images/inside.png"}, "expected": {"text": "x"}}"#,
            ].joined(separator: "\n") + "\n"
        let validate = try await runAssay(["validate", try suite(in: dir, cases: cases, yaml: yaml)])
        #expect(validate.status == 2, "\(validate)")
        let file = dir.path("suite/cases.jsonl")
        #expect(
            validate.stdout.contains("\(file):1: referenced file '\(dir.path("outside.png"))': an absolute path"),
            "\(validate)")
        #expect(
            validate.stdout.contains("\(file):2: referenced file '../outside.png': it leads out of the suite directory")
        )
        #expect(
            validate.stdout.contains(
                "\(file):3: referenced file 'images/link.png': it leads out of the suite directory"))
        #expect(!validate.stdout.contains("\(file):4:"), "the image inside the suite is fine")
    }

    @Test(arguments: [
        (["--epochs", "9223372036854775807"], "epochs must be from 1 to 100000"),
        (["--max-tokens=-5"], "generation.max_tokens must be from 1 to 10000000"),
        (["--temperature=nan"], "generation.temperature must be from 0 to 2"),
        (["--concurrency", "0"], "concurrency must be from 1 to 10000"),
    ])
    func outOfRangeFlagsExitTwoBeforeAnything(flags: [String], message: String) async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let run = try await runAssay(
            [
                "run", "--suite", PackagePaths.root + "/evalsets/smoke-sentiment", "--model", "gemma3-270m", "--store",
                dir.path("s.sqlite"),
            ] + flags)
        #expect(run.status == 2, "\(run)")
        #expect(run.stderr.contains(message), "\(run.stderr)")
        #expect(!dir.exists("s.sqlite"), "no store is made for a run that cannot start")
    }

    @Test func outOfRangePlanValuesArePointedAtTheirLine() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let plan = try dir.write(
            "plan.yaml",
            """
            suites: [\(PackagePaths.root)/evalsets/smoke-sentiment]
            models: [gemma3-270m]
            timeouts:
              connect: 10
              total: 1e300
            retry: {max_delay: 1e300}
            epochs: 9223372036854775807

            """)
        let validate = try await runAssay(["validate", plan])
        #expect(validate.status == 2, "\(validate)")
        #expect(
            validate.stdout.contains("\(plan):5: timeouts.total must be above 0 and at most 86400 seconds"),
            "\(validate)")
        #expect(validate.stdout.contains("\(plan):6: retry.max_delay must be from 0 to 86400 seconds"))
        #expect(validate.stdout.contains("\(plan):7: epochs must be from 1 to 100000"))
    }

    @Test func aCorruptedStoreIsBadInputNotAnIncompleteRun() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try dir.write("broken.sqlite", String(repeating: "not a database ", count: 500))
        let report = try await runAssay(["report", "latest", "--store", store])
        #expect(report.status == 2, "\(report)")
        #expect(
            report.stderr.contains("\(store): cannot open the store") && report.stderr.contains("not a database"),
            "\(report.stderr)")
    }

    /// A store is a file anyone may hand over; a run id read from it never becomes a path
    /// outside --reports; and a 10 MiB answer stays out of attributes and labels, so that the
    /// report still validates.
    @Test func hostileStoreContentsStayInside() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let huge = String(repeating: "positive", count: 10 * 1024 * 1024 / 8)
        let store = dir.path("s.sqlite")
        let suitePath = try suite(in: dir, cases: Fixtures.sentimentSuite(count: 1).cases)
        // The server writes 10 MiB: on a thread of its own, not the event loops other tests share.
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let run: CommandResult
        do {
            run = try await TestServer.withTestServer(script: TestScript(defaultReply: .init(text: huge)), group: group)
            { server in
                try await runAssay([
                    "run", "--suite", suitePath, "--model", "gemma3-270m", "--base-url", "local=\(server.baseURL)",
                    "--store", store, "--reports",
                    dir.path("reports"), "--quiet",
                ])
            }
            try await group.shutdownGracefully()
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
        #expect(run.status == 0, "\(run)")
        let runID = try #require(run.stdout.split(separator: " ").first { $0.hasPrefix("20") }.map(String.init))
        let valid = try await runAssay([
            "report", runID, "--store", store, "--reports", dir.path("reports"), "--validate",
        ])
        #expect(valid.status == 0, "\(valid)")
        #expect(valid.stdout.contains("report.xml is valid"))

        // The same run, renamed in the store to climb out of the reports directory.
        let rename = try await runProcess(
            "/usr/bin/python3",
            [
                "-c",
                """
                import json, sqlite3, sys
                db = sqlite3.connect(sys.argv[1])
                (manifest,) = db.execute("SELECT manifest FROM runs WHERE id = ?", (sys.argv[2],)).fetchone()
                manifest = json.loads(manifest)
                manifest["id"] = "../../escaped"
                db.execute("UPDATE runs SET id = '../../escaped', manifest = ? WHERE id = ?", (json.dumps(manifest), sys.argv[2]))
                db.execute("UPDATE results SET run_id = '../../escaped' WHERE run_id = ?", (sys.argv[2],))
                db.commit()
                """,
                store, runID,
            ], in: dir.path)
        #expect(rename.status == 0, "\(rename)")
        let escaped = try await runAssay(["report", "latest", "--store", store, "--reports", dir.path("reports/inner")])
        #expect(escaped.status == 2, "\(escaped)")
        #expect(escaped.stderr.contains("is not a run id"), "\(escaped.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.path("escaped")), "nothing written outside --reports")
        #expect(!FileManager.default.fileExists(atPath: dir.path("reports/escaped")))
    }
}
