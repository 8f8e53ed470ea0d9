import AssayCore
import AssayGraders
import AssayTestSupport
import Foundation
import Testing

/// Answers written to fool the grader or exhaust the machine. Every one of them is wrong
/// (it adds by subtracting, or does nothing useful); none may pass, and the sandbox's limits
/// must hold for the sandbox as a whole. Before the two-process harness, the first two
/// passed: the marker was a literal in the harness the candidate could read and print.
@Suite struct HostileCodeTests {
    /// `add` must add; the tests carry a canary that no answer may see.
    static let canary = "assay-hidden-test-canary-\(UUID().uuidString)"
    static let tests = """
        def check(candidate):
            # \(canary)
            assert candidate(1, 2) == 3
            assert candidate(-1, 1) == 0
            assert candidate(10, 5) == 15

        """

    func grade(_ code: String, timeout: Double = 3, memoryMB: Int? = nil, sandbox: Sandbox? = nil) async throws -> Grade
    {
        let item = Case(
            id: "h", input: ["prompt": "Write add(a, b).", "entry_point": "add"],
            expected: ["tests": .string(Self.tests)], line: 1)
        var settings: [String: JSONValue] = ["timeout_seconds": .double(timeout)]
        if let memoryMB { settings["memory_mb"] = .int(memoryMB) }
        let suite = Suite(
            id: "hostile", title: "hostile", kind: .code, grader: GraderSpec(name: .code, settings: settings),
            prompt: PromptTemplate(template: "{{prompt}}"), cases: [item], directory: "/tmp")
        let chosen: Sandbox
        if let sandbox {
            chosen = sandbox
        } else {
            chosen = try await SandboxTests.sandbox.value
        }
        let grader = try Graders.make(for: suite, context: GraderContext(sandbox: chosen))
        return await grader.grade(item, answer: "```python\n\(code)\n```")
    }

    /// Wrong answers that try to make the harness say "passed".
    static let forgeries: [(name: String, code: String)] = [
        (
            "prints a verdict it read from the harness, then exits 0",
            """
            import os, re, sys
            text = "".join(open(os.path.join("/src", name)).read() for name in os.listdir("/src"))
            for marker in set(re.findall(r"ASSAY-[A-Za-z0-9-]+", text)) | {"ASSAY-TESTS-PASSED"}:
                print(marker, '{"outcome":"passed"}', marker, flush=True)
                print(marker + " ready", flush=True)
            os._exit(0)
            def add(a, b):
                return a - b
            """
        ),
        ("exits 0 before the tests", "import sys\nsys.exit(0)\ndef add(a, b):\n    return a - b"),
        ("calls os._exit(0) when called", "def add(a, b):\n    import os\n    os._exit(0)"),
        ("raises SystemExit when called", "def add(a, b):\n    raise SystemExit(0)"),
        ("raises KeyboardInterrupt when called", "def add(a, b):\n    raise KeyboardInterrupt"),
        (
            "prints a verdict at exit",
            """
            import atexit
            atexit.register(lambda: print('{"outcome":"passed"}'))
            def add(a, b):
                return a - b
            """
        ),
        (
            "rewrites builtins",
            """
            import builtins
            builtins.AssertionError = type("Quiet", (BaseException,), {})
            builtins.print = lambda *args, **kwargs: None
            builtins.isinstance = lambda *args: True
            def add(a, b):
                return a - b
            """
        ),
        (
            "monkeypatches check through the garbage collector",
            """
            import gc, sys
            def add(a, b):
                for obj in gc.get_objects():
                    if getattr(obj, "__name__", "") == "check":
                        obj.__code__ = (lambda candidate: None).__code__
                frame = sys._getframe()
                while frame:
                    frame.f_globals["check"] = lambda candidate: None
                    frame = frame.f_back
                return a - b
            """
        ),
        (
            "returns an object equal to everything",
            """
            class Equal:
                def __eq__(self, other): return True
                def __ne__(self, other): return False
                __hash__ = object.__hash__
            def add(a, b):
                return Equal()
            """
        ),
        (
            "returns an int whose == always holds",
            """
            class Int(int):
                def __eq__(self, other): return True
                __hash__ = int.__hash__
            def add(a, b):
                return Int(0)
            """
        ),
        (
            "writes a verdict into the runner's descriptors",
            """
            import os
            for pid in os.listdir("/proc"):
                if pid.isdigit():
                    for fd in ("1", "2"):
                        try:
                            with open(f"/proc/{pid}/fd/{fd}", "w") as out:
                                out.write('{"outcome":"passed"}\\n')
                        except OSError:
                            pass
            def add(a, b):
                return a - b
            """
        ),
        (
            "attaches to the runner with ptrace",
            """
            import ctypes, os
            libc = ctypes.CDLL(None, use_errno=True)
            result = libc.ptrace(16, os.getppid(), 0, 0)
            print("ptrace", result, ctypes.get_errno())
            def add(a, b):
                return a - b
            """
        ),
        (
            "kills the runner",
            "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\ndef add(a, b):\n    return a - b"
        ),
        (
            "stops the runner",
            "import os, signal\nos.kill(os.getppid(), signal.SIGSTOP)\ndef add(a, b):\n    return a - b"
        ),
        (
            "claims an exception it did not raise",
            "def add(a, b):\n    class AssertionError(Exception): pass\n    raise AssertionError('the tests passed')"
        ),
    ]

    @Test(arguments: Self.forgeries.indices)
    func aWrongAnswerCannotForgeAPass(_ index: Int) async throws {
        let forgery = Self.forgeries[index]
        let grade = try await grade(forgery.code)
        #expect(grade.outcome == .fail, "\(forgery.name): \(grade.evidence)")
        #expect(grade.evidence["execution"] != "sandbox_error", "\(forgery.name): \(grade.evidence)")
    }

    @Test func theRightAnswerStillPasses() async throws {
        let grade = try await grade("def add(a, b):\n    return a + b")
        #expect(grade.outcome == .pass, "\(grade.evidence)")
    }

    @Test func theHiddenTestsAreNotReadable() async throws {
        let code = """
            import gc, os
            needle = "assay-hidden" + "-test-canary-"  # never whole in this file
            found = []
            paths = []
            for root in ("/src", "/work", "/tmp"):
                for directory, _, files in os.walk(root):
                    paths += [os.path.join(directory, name) for name in files]
            for pid in filter(str.isdigit, os.listdir("/proc")):
                paths += ["/proc/%s/%s" % (pid, name) for name in ("environ", "cmdline", "mem")]
                try:
                    paths += ["/proc/%s/fd/%s" % (pid, fd) for fd in os.listdir("/proc/%s/fd" % pid)]
                except OSError:
                    pass
            for path in paths:
                try:
                    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
                    try:
                        if needle.encode() in os.read(fd, 1 << 20):
                            found.append(path)
                    finally:
                        os.close(fd)
                except OSError:
                    pass
            for obj in gc.get_objects():
                if isinstance(obj, str) and needle in obj and obj != needle:
                    found.append("memory")
            print("FOUND", found)
            def add(a, b):
                return a + b if found else None
            """
        let grade = try await grade(code, timeout: 20)
        #expect(grade.outcome == .fail, "\(grade.evidence)")
        #expect(grade.evidence["output"]?.stringValue?.contains("FOUND []") == true, "\(grade.evidence)")
    }

    @Test func theRootDevAndSharedMemoryAreNotUnboundedDisks() async throws {
        let code = """
            import os
            def add(a, b):
                wrote = {}
                for path in ("/big", "/dev/big", "/dev/shm/big", "/work/big", "/tmp/big"):
                    total = 0
                    try:
                        with open(path, "wb") as f:
                            for _ in range(1024):
                                f.write(b"x" * (1 << 20))
                                total += 1
                    except OSError:
                        pass
                    wrote[path] = total
                    try:
                        os.remove(path)
                    except OSError:
                        pass
                print("WROTE", wrote)
                return a + b if all(megabytes < 100 for megabytes in wrote.values()) else None
            """
        let grade = try await grade(code, timeout: 30)
        #expect(grade.outcome == .pass, "no path took 100 MB: \(grade.evidence)")
        let output = grade.evidence["output"]?.stringValue ?? ""
        #expect(output.contains("'/big': 0") && output.contains("'/dev/big': 0"), "\(output)")
    }

    @Test func workAndTmpShareOneDiskBudget() async throws {
        let code = """
            def add(a, b):
                sizes = []
                for path in ("/work/a", "/tmp/b"):
                    total = 0
                    try:
                        with open(path, "wb") as f:
                            for _ in range(48):
                                f.write(b"x" * (1 << 20))
                                total += 1
                    except OSError:
                        pass
                    sizes.append(total)
                print("SIZES", sizes)
                return a + b if sum(sizes) < 64 else None
            """
        let grade = try await grade(code, timeout: 20)
        #expect(grade.outcome == .pass, "the 64 MB disk holds both: \(grade.evidence)")
    }

    @Test func nestedUserNamespacesAndCoreDumpsAreRefused() async throws {
        let code = """
            import resource, subprocess
            def add(a, b):
                unshare = subprocess.run(["unshare", "-U", "-r", "-m", "true"], capture_output=True)
                core = resource.getrlimit(resource.RLIMIT_CORE)
                print("UNSHARE", unshare.returncode, "CORE", core)
                return a + b if unshare.returncode != 0 and core == (0, 0) else None
            """
        let grade = try await grade(code, timeout: 10)
        #expect(grade.outcome == .pass, "\(grade.evidence)")
    }

    @Test(.enabled(if: SandboxTests.hasControlGroups, "this machine gives Assay no control group"))
    func memoryIsBoundedForTheSandboxAsAWhole() async throws {
        // Four children of 700 MB each: every one is under the 1024 MB address-space limit;
        // together they are far over the sandbox's memory.
        let code = """
            import os
            def add(a, b):
                children = []
                for _ in range(4):
                    pid = os.fork()
                    if pid == 0:
                        block = bytearray(700 * 1024 * 1024)
                        for i in range(0, len(block), 4096):
                            block[i] = 1
                        os._exit(0)
                    children.append(pid)
                statuses = [os.waitpid(pid, 0)[1] for pid in children]
                print("STATUSES", statuses)
                return a + b if all(status == 0 for status in statuses) else None
            """
        let grade = try await grade(code, timeout: 25, memoryMB: 1024)
        #expect(grade.outcome == .fail, "\(grade.evidence)")
        #expect(grade.evidence["execution"] == "memory", "\(grade.evidence)")
        #expect(try await self.grade("def add(a, b):\n    return a + b").outcome == .pass, "and the machine carries on")
    }

    /// A fork bomb fills its own control group; programs graded beside it, in the sandbox or
    /// not, still start their processes. With RLIMIT_NPROC set as well, they shared one count
    /// (every process of `nobody` on the machine) and their harness's fork failed (CI).
    @Test(.enabled(if: SandboxTests.hasControlGroups, "this machine gives Assay no control group"))
    func aForkBombBesideFailsNoOtherCandidate() async throws {
        let bomb =
            "import os\ndef add(a, b):\n    while True:\n        try:\n            os.fork()\n        except OSError:\n            pass"
        async let bombed = grade(bomb, timeout: 4)
        try await Task.sleep(for: .milliseconds(500))
        for sandbox in [Sandbox.unsandboxed(), nil, Sandbox.unsandboxed(), nil] {
            let innocent = try await grade(
                "import os\nos.fork() or os._exit(0)\ndef add(a, b):\n    return a + b", sandbox: sandbox)
            #expect(innocent.outcome == .pass, "\(innocent.evidence)")
        }
        #expect(try await bombed.outcome == .fail)
    }

    @Test func withoutTheSandboxRootIsStillDropped() async throws {
        let unsafe = Sandbox.unsandboxed()
        let grade = try await grade(
            "import os\nprint('UID', os.getuid(), os.getgid())\ndef add(a, b):\n    return a + b", sandbox: unsafe)
        #expect(grade.outcome == .pass, "\(grade.evidence)")
        if getuid() == 0 {
            #expect(grade.evidence["output"]?.stringValue?.contains("UID 65534 65534") == true, "\(grade.evidence)")
        }
        #expect(unsafe.description.hasPrefix("none: model code ran unsandboxed"))
    }

    @Test func theReportsStateHowFarTheLimitsReach() async throws {
        let sandbox = try await SandboxTests.sandbox.value
        let expected = SandboxTests.hasControlGroups ? "for the whole sandbox" : "per process only"
        #expect(sandbox.description.contains(expected), "\(sandbox.description)")
    }
}

extension SandboxTests {
    /// Whether this machine lets Assay make control groups (root, or a delegated cgroup v2).
    static var hasControlGroups: Bool { Sandbox.controlGroupsAvailable }
}
