import AssayCore
import AssayGraders
import AssayTestServer
import AssayTestSupport
import Foundation
import Testing

/// Model-written code in the real bubblewrap sandbox: right code passes, wrong code fails
/// with its evidence, and hostile code is contained.
@Suite struct SandboxTests {
    static let sandbox: Task<Sandbox, any Error> = Task { try await Sandbox.bubblewrap() }

    /// A one-case code suite whose tests call `solve()` and expect 42.
    func grade(_ code: String, tests: String = "def check(candidate):\n    assert candidate() == 42\n", timeout: Double = 3) async throws -> Grade {
        let item = Case(id: "t", input: ["prompt": "Write solve().", "entry_point": "solve"], expected: ["tests": .string(tests)], line: 1)
        let suite = Suite(
            id: "hostile", title: "hostile", kind: .code, grader: GraderSpec(name: .code, settings: ["timeout_seconds": .double(timeout)]),
            prompt: PromptTemplate(template: "{{prompt}}"), cases: [item], directory: "/tmp")
        let grader = try Graders.make(for: suite, context: GraderContext(sandbox: try await Self.sandbox.value))
        return await grader.grade(item, answer: "```python\n\(code)\n```")
    }

    @Test func rightCodePassesAndWrongCodeFailsWithTheAssertion() async throws {
        let right = try await grade("def solve():\n    return 42")
        #expect(right.outcome == .pass, "\(right.evidence)")
        #expect(right.evidence["execution"] == "passed")
        #expect(right.evidence["sandbox"]?.stringValue?.hasPrefix("bubblewrap") == true)

        let wrong = try await grade("def solve():\n    return 41")
        #expect(wrong.outcome == .fail)
        #expect(wrong.evidence["execution"] == "failed")
        #expect(wrong.evidence["assertion"] == "assert candidate() == 42")
        #expect(wrong.evidence["error"] == "AssertionError")
        #expect(wrong.evidence["stderr"]?.stringValue?.contains("Traceback") == true)

        let raising = try await grade("def solve():\n    return 1 / 0")
        #expect(raising.evidence["error"] == "ZeroDivisionError: division by zero")

        let missing = try await grade("def other():\n    return 42")
        #expect(missing.outcome == .fail)
        #expect(missing.evidence["error"]?.stringValue?.contains("has no attribute 'solve'") == true)
    }

    @Test func aMainBlockDoesNotRunAndAnEarlyExitNeverPasses() async throws {
        let main = try await grade("def solve():\n    return 42\n\nif __name__ == '__main__':\n    raise SystemExit(3)")
        #expect(main.outcome == .pass)
        let exit = try await grade("import os\nos._exit(0)\ndef solve():\n    return 41")
        #expect(exit.outcome == .fail)
        #expect(exit.evidence["error"] == "the program exited before the tests finished")
    }

    @Test func theNetworkIsUnreachableLoopbackIncluded() async throws {
        let server = try await TestServer.start(script: TestScript())
        defer { Task { await server.shutdown() } }
        let code = """
            import socket, urllib.request
            def solve():
                results = []
                for target in [("127.0.0.1", \(server.port)), ("8.8.8.8", 53)]:
                    try:
                        socket.create_connection(target, timeout=1).close()
                        results.append("connected")
                    except OSError as error:
                        results.append(type(error).__name__)
                print(results)
                return 42 if "connected" in results else 0
            """
        let grade = try await grade(code)
        #expect(grade.outcome == .fail, "\(grade.evidence)")
        #expect(server.requestCount == 0)
        #expect(server.received.isEmpty)
    }

    @Test func theHostIsNeitherReadableNorWritable() async throws {
        let canary = try TempDirectory("assay-canary")
        defer { canary.remove() }
        let secret = "canary-\(UUID().uuidString)"
        try canary.write("secret.txt", secret)
        setenv("ASSAY_TEST_CANARY_KEY", secret, 1)
        let code = """
            import os, glob
            def solve():
                found = []
                for path in ["\(canary.path("secret.txt"))", os.path.expanduser("~/.ssh/id_rsa"), "/root/.ssh/id_rsa",
                             "/etc/shadow", "/etc/passwd", "/proc/1/environ", "/proc/self/environ"]:
                    try:
                        with open(path, "rb") as f:
                            found.append(f.read().decode("utf-8", "replace"))
                    except OSError:
                        pass
                found.append(repr(dict(os.environ)))
                for path in ["\(canary.path("written.txt"))", "/usr/pwned", "/src/pwned", "/root/pwned"]:
                    try:
                        with open(path, "w") as f:
                            f.write("pwned")
                        found.append("wrote " + path)
                    except OSError:
                        pass
                print("\\n".join(found))
                return 42 if any("canary-" in item for item in found) or any(item.startswith("wrote /") for item in found) else 0
            """
        let grade = try await grade(code)
        #expect(grade.outcome == .fail, "\(grade.evidence)")
        let output = grade.evidence["stdout"]?.stringValue ?? ""
        #expect(!output.contains(secret))
        #expect(!output.contains("ASSAY_TEST_CANARY_KEY"))
        #expect(!canary.exists("written.txt"))
        #expect(!FileManager.default.fileExists(atPath: "/usr/pwned"))
    }

    @Test func aForkBombIsContainedAndTheMachineCarriesOn() async throws {
        let bomb = try await grade("import os\ndef solve():\n    while True:\n        try:\n            os.fork()\n        except OSError:\n            pass")
        #expect(bomb.outcome == .fail)
        #expect(["timeout", "failed"].contains(bomb.evidence["execution"]?.stringValue), "\(bomb.evidence)")
        #expect(try await grade("def solve():\n    return 42").outcome == .pass)
    }

    @Test func tenGigabytesIsAMemoryOutcome() async throws {
        let grade = try await grade("def solve():\n    block = bytearray(10 * 1024 ** 3)\n    return 42")
        #expect(grade.outcome == .fail)
        #expect(grade.evidence["execution"] == "memory", "\(grade.evidence)")
    }

    @Test func loopsThatIgnoreSignalsAreKilledAtTheTimeout() async throws {
        let code = """
            import signal
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            signal.signal(signal.SIGALRM, signal.SIG_IGN)
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            def solve():
                while True:
                    pass
            """
        let grade = try await grade(code, timeout: 1)
        #expect(grade.evidence["execution"] == "timeout", "\(grade.evidence)")
        // Killed at the 1 s limit, not after the program chose to stop (it never would).
        let wall = try #require(grade.evidence["wall_ms"]?.doubleValue)
        #expect(wall >= 1000 && wall < 5000, "wall \(wall) ms")
    }

    @Test func escapesThroughCtypesAndExecStayInside() async throws {
        let code = """
            import ctypes, os
            def solve():
                libc = ctypes.CDLL(None)
                libc.kill(os.getppid(), 9)
                libc.kill(-1, 9)
                os.execv("/bin/sh", ["sh", "-c", "echo pwned > /tmp/assay-exec-pwned; kill -9 -1"])
            """
        let grade = try await grade(code)
        #expect(grade.outcome == .fail)
        #expect(!FileManager.default.fileExists(atPath: "/tmp/assay-exec-pwned"))
        #expect(try await self.grade("def solve():\n    return 42").outcome == .pass, "the grader and the machine carry on")
    }

    @Test func floodsOfOutputAndDiskAreCapped() async throws {
        let print = try await grade("import sys\ndef solve():\n    chunk = 'x' * (1024 * 1024)\n    for _ in range(1024):\n        sys.stdout.write(chunk)\n    return 41", timeout: 10)
        #expect(print.outcome == .fail)
        #expect(print.evidence["output_truncated"] == true)
        #expect((print.evidence["stdout"]?.stringValue?.count ?? 0) <= 2000)

        let disk = try await grade("def solve():\n    with open('/work/fill', 'wb') as f:\n        while True:\n            f.write(b'x' * 1048576)")
        #expect(disk.outcome == .fail)
        #expect(disk.evidence["execution"] == "failed", "\(disk.evidence)")
        #expect(disk.evidence["error"]?.stringValue?.contains("Error") == true)
    }

    @Test func aMissingSandboxIsReportedNotGuessed() async throws {
        let error = await #expect(throws: SandboxUnavailable.self) { try await Sandbox.bubblewrap(executable: "/nonexistent/bwrap") }
        #expect(error?.reason.contains("not installed at /nonexistent/bwrap") == true)
    }
}
