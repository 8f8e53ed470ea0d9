import AssayCore
import AssayGraders
import AssayTestSupport
import Foundation
import Testing

/// Model-written code in the real bubblewrap sandbox: right code passes, wrong code fails
/// with its evidence, and hostile code is contained.
@Suite struct SandboxTests {
    static let sandbox: Task<Sandbox, any Error> = Task { try await Sandbox.bubblewrap() }

    /// A one-case code suite whose tests call `solve()` and expect 42.
    static func grade(
        _ code: String, tests: String = "def check(candidate):\n    assert candidate() == 42\n", timeout: Double = 3,
        settings: [String: JSONValue] = [:], sandbox: Sandbox? = nil
    ) async throws -> Grade {
        let item = Case(
            id: "t", input: ["prompt": "Write solve().", "entry_point": "solve"], expected: ["tests": .string(tests)],
            line: 1)
        var settings = settings
        settings["timeout_seconds"] = .double(timeout)
        let suite = Suite(
            id: "hostile", title: "hostile", kind: .code, grader: GraderSpec(name: .code, settings: settings),
            prompt: PromptTemplate(template: "{{prompt}}"), cases: [item], directory: "/tmp")
        let chosen: Sandbox
        if let sandbox {
            chosen = sandbox
        } else {
            chosen = try await Self.sandbox.value
        }
        let grader = try Graders.make(for: suite, context: GraderContext(sandbox: chosen))
        return await grader.grade(item, answer: "```python\n\(code)\n```")
    }

    func grade(
        _ code: String, tests: String = "def check(candidate):\n    assert candidate() == 42\n", timeout: Double = 3
    ) async throws -> Grade {
        try await Self.grade(code, tests: tests, timeout: timeout)
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
        #expect(wrong.evidence["traceback"]?.stringValue?.contains("Traceback") == true)

        let raising = try await grade("def solve():\n    return 1 / 0")
        #expect(raising.evidence["error"] == "ZeroDivisionError: division by zero")
        #expect(
            raising.evidence["candidate_traceback"]?.stringValue?.contains("return 1 / 0") == true,
            "\(raising.evidence)")

        let missing = try await grade("def other():\n    return 42")
        #expect(missing.outcome == .fail)
        #expect(missing.evidence["error"]?.stringValue?.contains("has no attribute 'solve'") == true)
    }

    @Test func aMainBlockDoesNotRunAndAnEarlyExitNeverPasses() async throws {
        let main = try await grade("def solve():\n    return 42\n\nif __name__ == '__main__':\n    raise SystemExit(3)")
        #expect(main.outcome == .pass, "\(main.evidence)")
        let exit = try await grade("import os\nos._exit(0)\ndef solve():\n    return 41")
        #expect(exit.outcome == .fail)
        #expect(
            exit.evidence["error"]?.stringValue?.hasPrefix("the program exited before the tests finished") == true,
            "\(exit.evidence)")
    }

    @Test func argumentsAndResultsKeepTheirTypesIdentityAndInPlaceChanges() async throws {
        let tests = """
            def check(candidate):
                from datetime import datetime, timezone
                from decimal import Decimal
                from fractions import Fraction
                data = [3, 1, 2]
                assert candidate("sort", data) is None and data == [1, 2, 3]
                empty = []
                assert candidate("first", None, empty) is empty
                nested = {"a": [1]}
                out = candidate("same", nested)
                assert out is nested and out["a"] is nested["a"]
                assert candidate("echo", -0.0).hex() == "-0x0.0p+0"
                assert type(candidate("echo", True)) is bool and type(candidate("echo", 1)) is int
                assert candidate("echo", 10 ** 5000) == 10 ** 5000
                assert candidate("echo", (1, (2, frozenset({3})))) == (1, (2, frozenset({3})))
                assert candidate("echo", Decimal("1.10")) == Decimal("1.10") and str(candidate("echo", Decimal("1.10"))) == "1.10"
                assert candidate("echo", Fraction(1, 3)) == Fraction(1, 3)
                moment = datetime(2024, 11, 3, 1, 30, tzinfo=timezone.utc, fold=1)
                back = candidate("echo", moment)
                assert back == moment and back.fold == 1 and back.utcoffset().total_seconds() == 0
                deep = []
                for _ in range(100000):
                    deep = [deep]
                assert candidate("depth", deep) == 100000
                assert candidate("apply", lambda x: x * 2, 21) == 42
                assert list(candidate("gen", 3)) == [0, 1, 2]
                try:
                    candidate("raise")
                except KeyError:
                    pass
                else:
                    raise AssertionError("KeyError expected")
            """
        let code = """
            def solve(action, *args):
                if action == "sort":
                    args[0].sort()
                    return None
                if action == "first":
                    return next(a for a in args if a is not None)
                if action in ("same", "echo"):
                    return args[0]
                if action == "depth":
                    n, x = 0, args[0]
                    while x:
                        n, x = n + 1, x[0]
                    return n
                if action == "apply":
                    return args[0](args[1])
                if action == "gen":
                    return (i for i in range(args[0]))
                raise KeyError("nope")
            """
        let grade = try await grade(code, tests: tests, timeout: 20)
        #expect(grade.outcome == .pass, "\(grade.evidence)")
    }

    @Test func theNetworkIsUnreachableLoopbackIncluded() async throws {
        let listener = try LoopbackListener()
        defer { listener.close() }
        // The canary: the code returns 42 (and so passes) only if any connection succeeds.
        let code = """
            import socket
            def solve():
                results = []
                for target in [("127.0.0.1", \(listener.port)), ("localhost", \(listener.port))]:
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
        #expect(grade.evidence["output"]?.stringValue?.contains("connected") == false, "\(grade.evidence)")
        #expect(listener.acceptedConnections() == 0, "the host's loopback listener was reached from the sandbox")
    }

    /// The sandbox's network namespace has its loopback up, and TCP buffers on it pinned 2.25
    /// GiB of host memory past a 1,120 MiB limit: no socket but AF_UNIX opens (a seccomp
    /// filter), while pipes, `socketpair()` and `multiprocessing` work. Without the sandbox
    /// (`--unsafe-no-sandbox`) there is no filter.
    @Test func noSocketButUnixOnesOpensInTheSandbox() async throws {
        let code = """
            import multiprocessing, socket
            def square(x):
                return x * x
            def solve():
                results = {}
                for name, family, kind in (("inet", socket.AF_INET, socket.SOCK_STREAM), ("inet6", socket.AF_INET6, socket.SOCK_STREAM),
                                           ("udp", socket.AF_INET, socket.SOCK_DGRAM), ("netlink", socket.AF_NETLINK, socket.SOCK_RAW)):
                    try:
                        socket.socket(family, kind).close()
                        results[name] = "opened"
                    except OSError as error:
                        results[name] = type(error).__name__
                try:
                    server = socket.create_server(("127.0.0.1", 0))
                    client = socket.create_connection(server.getsockname(), timeout=1)
                    results["loopback"] = "connected"
                except OSError as error:
                    results["loopback"] = type(error).__name__
                left, right = socket.socketpair()
                left.sendall(b"unix")
                results["socketpair"] = right.recv(4).decode()
                with multiprocessing.Pool(2) as pool:
                    results["pool"] = pool.map(square, [1, 2, 3])
                print("RESULTS", sorted(results.items()))
                refused = all(results[name] == "PermissionError" for name in ("inet", "inet6", "udp", "netlink", "loopback"))
                return 42 if refused and results["socketpair"] == "unix" and results["pool"] == [1, 4, 9] else 0
            """
        let grade = try await grade(code, timeout: 10)
        #expect(grade.outcome == .pass, "\(grade.evidence)")
        #expect(
            grade.evidence["output"]?.stringValue?.contains("('loopback', 'PermissionError')") == true,
            "\(grade.evidence)")

        let unsandboxed = try await Self.grade(code, timeout: 10, sandbox: Sandbox.unsandboxed())
        #expect(unsandboxed.outcome == .fail, "without bubblewrap, no filter: \(unsandboxed.evidence)")
        #expect(
            unsandboxed.evidence["output"]?.stringValue?.contains("('inet', 'opened')") == true,
            "\(unsandboxed.evidence)")
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
                for path in ["\(canary.path("written.txt"))", "/usr/pwned", "/src/pwned", "/root/pwned", "/pwned", "/dev/pwned"]:
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
        let output = grade.evidence["output"]?.stringValue ?? ""
        #expect(!output.contains(secret))
        #expect(!output.contains("ASSAY_TEST_CANARY_KEY"))
        #expect(!output.contains("wrote /"), "\(output)")
        #expect(!canary.exists("written.txt"))
        #expect(!FileManager.default.fileExists(atPath: "/usr/pwned"))
    }

    @Test func aForkBombIsContainedAndTheMachineCarriesOn() async throws {
        let bomb = try await grade(
            "import os\ndef solve():\n    while True:\n        try:\n            os.fork()\n        except OSError:\n            pass"
        )
        #expect(bomb.outcome == .fail)
        #expect(["timeout", "failed", "crashed"].contains(bomb.evidence["execution"]?.stringValue), "\(bomb.evidence)")
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
        // Stopped by a limit, not when it chose to (it never would): the kernel's CPU limit
        // (SIGXCPU at 1 s) or, on a machine so loaded that the loop got too little CPU in its
        // wall-clock allowance (CI once, with a model loading beside it), the wall clock. The
        // error says which. The CPU the harness reads back (rusage) is not the count the kernel
        // enforced the limit on: under load it has read 144 ms short of the 1 s that raised
        // SIGXCPU (CI, 856.6 ms), so it bounds the run from above and shows the loop ran, no more.
        let candidate = try #require(grade.evidence["candidate_cpu_ms"]?.doubleValue)
        let error = grade.evidence["error"]?.stringValue ?? ""
        #expect(
            error.contains("1 s of CPU time") || error.contains("wall clock"), "stopped by: \(grade.evidence)")
        #expect(candidate >= 500 && candidate < 2500, "candidate \(candidate) ms of CPU: \(grade.evidence)")
        let wall = try #require(grade.evidence["wall_ms"]?.doubleValue)
        #expect(wall < ExecutionLimits().sandboxSeconds * 1000, "wall \(wall) ms")
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
        #expect(
            try await self.grade("def solve():\n    return 42").outcome == .pass, "the grader and the machine carry on")
    }

    @Test func floodsOfOutputAndDiskAreCapped() async throws {
        let print = try await grade(
            "import sys\ndef solve():\n    chunk = 'x' * (1024 * 1024)\n    for _ in range(1024):\n        sys.stdout.write(chunk)\n    return 41",
            timeout: 10)
        #expect(print.outcome == .fail)
        #expect(print.evidence["output_truncated"] == true, "\(print.evidence)")
        #expect((print.evidence["output"]?.stringValue?.count ?? 0) <= 2100)

        let disk = try await grade(
            "def solve():\n    with open('/work/fill', 'wb') as f:\n        while True:\n            f.write(b'x' * 1048576)"
        )
        #expect(disk.outcome == .fail)
        #expect(disk.evidence["execution"] == "failed", "\(disk.evidence)")
        #expect(disk.evidence["error"]?.stringValue?.contains("Error") == true)
    }

    @Test func aMissingSandboxIsReportedNotGuessed() async throws {
        let error = await #expect(throws: SandboxUnavailable.self) {
            try await Sandbox.bubblewrap(executable: "/nonexistent/bwrap")
        }
        #expect(error?.reason.contains("not installed at /nonexistent/bwrap") == true)
    }
}

/// A TCP listener on the host's loopback that never accepts on its own: a connection that
/// reaches it waits in its backlog, where `acceptedConnections` finds it.
final class LoopbackListener: Sendable {
    let descriptor: Int32
    let port: Int

    init() throws {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw CommandError(description: "socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(socket, 16) == 0 else { throw CommandError(description: "bind/listen failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        _ = fcntl(socket, F_SETFL, fcntl(socket, F_GETFL) | O_NONBLOCK)
        descriptor = socket
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    /// How many connections reached the listener so far.
    func acceptedConnections() -> Int {
        var count = 0
        while case let client = accept(descriptor, nil, nil), client >= 0 {
            Glibc.close(client)
            count += 1
        }
        return count
    }

    func close() { Glibc.close(descriptor) }
}
